// Sends two lists into the crasher's buffered inbox and keeps pointers to both (Go lets a
// sender keep what it sent). When the crasher has ended, one list died with it and the
// other with its inbox; the keeper's pointers stay good, since the keeper still holds the
// pages, and every page comes back when all have ended.
package main

import (
	"goos"
	"runtime"
)

type Node struct {
	Value int
	Next  *Node
}

func build(n, base int) *Node {
	var head *Node
	for i := n; i >= 1; i-- {
		head = &Node{base + i, head}
	}
	return head
}

func sum(l *Node) (int, int) {
	n, s := 0, 0
	for p := l; p != nil; p = p.Next {
		n++
		s += p.Value
	}
	return n, s
}

func main() {
	inbox := goos.Lookup("inbox").(chan *Node)
	ctl := goos.Lookup("crasher").(chan chan int)
	a, b := build(500, 0), build(700, 1000)
	inbox <- a
	inbox <- b
	reply := make(chan int)
	ctl <- reply
	<-goos.Watch(<-reply)
	println("keeper: the crasher has ended")
	for i := 0; i < 100; i++ {
		_ = make([]byte, 64<<10)
	}
	runtime.GC()
	na, sa := sum(a)
	nb, sb := sum(b)
	println("keeper: what it sent still reads:", na, "nodes, sum", sa, "and", nb, "nodes, sum", sb)
}
