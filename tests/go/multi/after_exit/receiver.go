package main

import (
	"goos"
	"runtime"
)

type Node struct {
	V    int
	Next *Node
}

type Bundle struct {
	Chans map[string]chan int
	Nodes map[int]*Node
	Grid  [][]*Node
	Rows  []struct{ P *Node }
}

func main() {
	pid := make(chan int)
	goos.Publish("pid", pid)
	bundle := make(chan *Bundle)
	goos.Publish("bundle", bundle)
	half := make(chan []*Node)
	goos.Publish("half", half)
	churned := make(chan int)
	goos.Publish("churned", churned)
	sender := goos.Watch(<-pid)
	b := <-bundle
	h := <-half
	<-sender
	churned <- 1 // the churner starts once the sender has ended
	<-churned
	runtime.GC()

	sum := 0
	for k, c := range b.Chans {
		c <- len(k)
		sum += <-c
	}
	println("receiver: channels", len(b.Chans), "sum", sum)
	sum = 0
	for i, n := range b.Nodes {
		if n.V != i || n.Next.V != 1000+i {
			println("receiver: node", i, "holds", n.V, n.Next.V)
		}
		sum += n.V + n.Next.V
	}
	println("receiver: nodes", len(b.Nodes), "sum", sum)
	sum = 0
	for i, row := range b.Grid {
		for j, n := range row {
			if n.V != i*100+j {
				println("receiver: grid", i, j, "holds", n.V)
			}
			sum += n.V
		}
	}
	println("receiver: grid sum", sum)
	sum = 0
	for _, r := range b.Rows {
		sum += r.P.V
	}
	println("receiver: rows sum", sum)
	sum = 0
	for i, n := range h {
		if n.V != i {
			println("receiver: half", i, "holds", n.V)
		}
		sum += n.V
	}
	println("receiver: half", len(h), cap(h), "sum", sum)
}
