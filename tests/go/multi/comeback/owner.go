// A slot its owner freed is not reused while another program may still reach it
// (DESIGN.md, "Reuse"). The owner sends a list to the peer, which keeps a pointer to it
// and sends it back; the owner drops the list, collects, and allocates a thousand nodes
// of the same size. The peer's pointer must still read the list it sent back, not the
// owner's new nodes (before the fix a span whose objects had all come home took new
// objects into the freed slots: the graphs fuzzer's regress-reuse-on-dirty-page).
package main

import (
	"goos"
	"runtime"
)

type Node struct {
	Value int
	Next  *Node
}

//go:noinline
func send() {
	in := goos.Lookup("comeback-in").(chan *Node)
	out := goos.Lookup("comeback-out").(chan *Node)
	var head *Node
	for i := 1; i <= 100; i++ {
		head = &Node{i, head}
	}
	in <- head
	<-out
}

// Overwrites the stack below main's frame, where send's frame was: the collector scans
// stacks conservatively, and a stale copy of the list's head there would keep it.
//
//go:noinline
func scrub() int {
	var a [512]int
	for i := range a {
		a[i] = i
	}
	return a[511]
}

func main() {
	check := goos.Lookup("comeback-check").(chan int)
	send()
	scrub()
	runtime.GC()
	runtime.GC()
	fill := make([]*Node, 0, 1000)
	for i := 0; i < 1000; i++ {
		fill = append(fill, &Node{-1, nil})
	}
	check <- len(fill)
	<-check
}
