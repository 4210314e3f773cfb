package main

import (
	"goos"
	"runtime"
)

type Node struct {
	V    int
	Next *Node
}

type Holder struct {
	N     *Node
	Later *Node
	Names map[string]*Node
	List  []*Node
}

func main() {
	pid := make(chan int)
	goos.Publish("pid", pid)
	holder := make(chan *Holder)
	goos.Publish("holder", holder)
	arr := make(chan []*Node)
	goos.Publish("arr", arr)
	byname := make(chan map[string]*Holder)
	goos.Publish("byname", byname)
	churned := make(chan int)
	goos.Publish("churned", churned)
	sender := goos.Watch(<-pid)
	g := <-holder
	a := <-arr
	m := <-byname
	<-sender
	runtime.GC() // a mark after the sender ended must keep what the variables reach
	churned <- 1
	<-churned
	runtime.GC()

	println("receiver: g", g.N.V, g.N.Next.V, "later", g.Later.V, g.Later.Next.V)
	sum := 0
	for k, n := range g.Names {
		sum += len(k) * n.V
	}
	println("receiver: names", len(g.Names), "sum", sum)
	sum = 0
	for i, n := range g.List {
		if n.V != i {
			println("receiver: list", i, "holds", n.V)
		}
		sum += n.V
	}
	println("receiver: list", len(g.List), "sum", sum)
	sum = 0
	for i, n := range a {
		if n.V != 1008+i {
			println("receiver: arr", i, "holds", n.V)
		}
		sum += n.V
	}
	println("receiver: arr", len(a), cap(a), "sum", sum)
	o := m["other"]
	println("receiver: other", len(m), o.N.V, o.N.Next.V)
}
