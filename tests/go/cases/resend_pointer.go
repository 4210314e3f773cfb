// One pointer sent twice on a buffered channel: the first receive brings the object back,
// the program drops that copy and collects, and the second message must still reach the
// object (DESIGN.md, invariant 1: nothing a message in a live channel can reach is freed
// or reused for another object). Found by the graphs fuzzer: the collector freed the
// object while the second message waited, and once that message was received the next
// allocation took the same slot, so y and z below were one object.
package main

import "runtime"

type T struct {
	V    int
	Next *T
}

// Package variables: keep holds the object allocated before x in x's span (so the span is
// not given back when x is freed); sink makes z escape to the heap.
var keep, sink *T

// Overwrites the stack below main's frame, where send's frame was: the collector scans
// stacks conservatively, and a stale copy of x there would keep it.
//
//go:noinline
func scrub() int {
	var a [512]int
	for i := range a {
		a[i] = i
	}
	return a[511]
}

//go:noinline
func send(ch chan *T) {
	x := &T{V: 42}
	ch <- x
	ch <- x
	<-ch
}

func main() {
	keep = &T{V: 7}
	ch := make(chan *T, 2)
	send(ch)
	scrub()
	runtime.GC()
	y := <-ch
	runtime.GC()
	sink = &T{V: -2}
	z := sink
	println("the second message's object:", y.V, "a new object:", z.V, "the same:", y == z, keep.V)
}
