// The client of tests/go/multi/iface/server.go: it declares the same types (and its own
// methods, which must not run in the server).
package main

import "goos"

type Shape interface {
	Area() int
	Name() string
}

type Square struct{ Side int }
type Rect struct{ W, H int }

func (s Square) Area() int    { return s.Side * s.Side }
func (s Square) Name() string { return "client's Square" }
func (r Rect) Area() int      { return r.W * r.H }
func (r Rect) Name() string   { return "client's Rect" }

type message struct {
	payload interface{}
	shape   Shape
	reply   chan string
}

func main() {
	server := goos.Lookup("shapes").(chan message)
	reply := make(chan string)
	ints := make(chan int, 1)
	for _, m := range []message{
		{42, Square{3}, reply},
		{Square{2}, Rect{2, 5}, reply},
		{ints, nil, reply},
		{nil, nil, reply},
		{"a string", Square{1}, reply},
	} {
		server <- m
		println("client:", <-reply)
	}
	println("client: got", <-ints, "on the channel it sent inside an interface")
	close(server)
}
