// The other side of owner.go: keeps a pointer to the list it sends back, and reads it
// after the owner has collected and allocated again.
package main

import "goos"

type Node struct {
	Value int
	Next  *Node
}

func main() {
	in := make(chan *Node)
	out := make(chan *Node)
	check := make(chan int)
	for name, c := range map[string]chan *Node{"comeback-in": in, "comeback-out": out} {
		if err := goos.Publish(name, c); err != nil {
			panic(err.Error())
		}
	}
	if err := goos.Publish("comeback-check", check); err != nil {
		panic(err.Error())
	}
	head := <-in
	out <- head
	n := <-check
	count, sum := 0, 0
	for p := head; p != nil; p = p.Next {
		count++
		sum += p.Value
	}
	println("peer: the owner allocated", n, "nodes; the list it sent back still has", count, "nodes, sum", sum)
	check <- 0
}
