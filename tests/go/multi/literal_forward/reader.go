package main

import "goos"

type Point struct {
	X, Y int
	pad  [900]byte // boxed in its own span, after the ballast
}

type Msg struct {
	S   string
	V   interface{}
	N   int
	pad [600]byte
}

func main() {
	pids := make(chan int, 2)
	goos.Publish("pids", pids)
	reader := make(chan *Msg, 1) // the relay leaves it here and ends
	goos.Publish("reader", reader)
	churn := make(chan int)
	goos.Publish("churn", churn)
	sender, relay := goos.Watch(<-pids), goos.Watch(<-pids)
	<-sender
	<-relay
	churn <- 1 // both ended: the churner takes what the pool has
	<-churn
	m := <-reader // the message waited meanwhile
	p := m.V.(Point)
	println("reader:", m.N, m.S, p.X, p.Y)
	churn <- 2
}
