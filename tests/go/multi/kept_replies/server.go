// A client that keeps every reply a server makes holds a page of the server's per reply
// (the server hands out no fresh slots on a page another program holds). Those pages are
// charged to the client, not to the server that made them (DESIGN.md, "Charging": a page
// is charged to its holders other than its origin), so a client that hoards cannot spend
// the server's budget. Before, the server was charged every page it made. (It is still
// charged its own records of each span it made, about half a page per kept reply on this
// runtime: runtime/heap_internal.h, Span.)
package main

import "goos"

type Reply struct {
	N    int
	Text string
}

type Request struct {
	N     int
	Reply chan *Reply
}

func main() {
	requests := make(chan Request)
	goos.Publish("requests", requests)
	done := make(chan int)
	goos.Publish("done", done)
	for {
		select {
		case r := <-requests:
			r.Reply <- &Reply{N: r.N * 2, Text: "reply"}
		case n := <-done:
			charged := goos.Charged() / 4096
			println("server: served", n, "requests, charged for fewer pages than the client keeps:", charged < int64(n))
			done <- 0
			return
		}
	}
}
