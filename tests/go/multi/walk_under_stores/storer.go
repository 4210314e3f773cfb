// A program that stores into an object it shares, as fast as it can, while another
// program sends a graph that reaches that object (DESIGN.md, "Sending": after two stale
// walks the walk joins each page to the pending message). Every store is exposed, which
// makes every walk under way stale; a walk that takes longer than a time slice was
// refused with RETRY for as long as this loop ran, and the sender never got its list out.
package main

import "goos"

type T struct{ N int }

type S struct{ P *T }

func main() {
	share := make(chan *S)
	goos.Publish("share", share)
	stop := make(chan int)
	goos.Publish("stop", stop)
	last := make(chan int)
	goos.Publish("last", last)
	s := &S{}
	share <- s // the walker holds s
	share <- s // and so does the reader
	// Two objects stored in turn: every store is exposed, and none takes a page.
	ts := [2]*T{{N: 1}, {N: 2}}
	n := 0
	for {
		select {
		case <-stop:
			println("storer: stopped")
			last <- s.P.N // the value stored last
			return
		default:
			n++
			s.P = ts[n%2]
		}
	}
}
