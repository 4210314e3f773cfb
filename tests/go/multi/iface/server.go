// Interface values crossing programs: the server publishes a channel of `message`
// structs whose payload is an interface; what it receives carries the client's types, and
// each one is rebound to the server's own declaration of the same type, so type switches,
// assertions and method calls work and run the server's code.
package main

import "goos"

type Shape interface {
	Area() int
	Name() string
}

type Square struct{ Side int }
type Rect struct{ W, H int }

func (s Square) Area() int    { return s.Side * s.Side }
func (s Square) Name() string { return "server's Square" }
func (r Rect) Area() int      { return r.W * r.H }
func (r Rect) Name() string   { return "server's Rect" }

type message struct {
	payload interface{}
	shape   Shape
	reply   chan string
}

func describe(v interface{}) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case int:
		if x == 42 {
			return "int 42"
		}
		return "int"
	case Square:
		return "Square"
	case chan int:
		x <- 7
		return "chan int (sent 7 on it)"
	default:
		return "something else"
	}
}

func main() {
	inbox := make(chan message)
	if err := goos.Publish("shapes", inbox); err != nil {
		panic(err.Error())
	}
	for m := range inbox {
		out := describe(m.payload)
		if m.shape != nil {
			out += "; shape " + m.shape.Name()
			if _, ok := m.shape.(Rect); ok {
				out += " (a Rect)"
			}
		}
		m.reply <- out
	}
}
