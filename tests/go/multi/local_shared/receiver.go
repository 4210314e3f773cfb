package main

import (
	"goos"
	"runtime"
	"strconv"
)

type Node struct {
	V    int
	Next *Node
	Tag  string
}

type Parcel struct {
	Jobs  chan *Node
	Boxes chan chan *Node
}

func check(n *Node) int {
	if n.Next.V != 1000+n.V || n.Tag != "n"+strconv.Itoa(n.V) {
		println("receiver: node", n.V, "holds", n.Next.V, n.Tag)
	}
	return n.V
}

func main() {
	pid := make(chan int)
	goos.Publish("pid", pid)
	take := make(chan *Parcel)
	goos.Publish("take", take)
	churned := make(chan int)
	goos.Publish("churned", churned)
	sender := goos.Watch(<-pid)
	p := <-take
	// Two values make room for the sender's two blocked goroutines, and it ends.
	sum, n := check(<-p.Jobs)+check(<-p.Jobs), 2
	<-sender
	churned <- 1 // the churner starts once the sender has ended
	<-churned
	runtime.GC()

	for len(p.Jobs) > 0 {
		sum += check(<-p.Jobs)
		n++
	}
	println("receiver: jobs", n, "sum", sum)
	inner := <-p.Boxes
	sum, n = 0, 0
	for len(inner) > 0 {
		sum += check(<-inner)
		n++
	}
	println("receiver: inner", n, "sum", sum)
}
