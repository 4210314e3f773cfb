// Takes the dropper's list after the dropper has panicked and walks it.
package main

import "goos"

type Node struct {
	Value int
	Name  string
	Next  *Node
}

func main() {
	late := make(chan *Node, 1)
	pid := make(chan int)
	if err := goos.Publish("late", late); err != nil {
		panic(err.Error())
	}
	if err := goos.Publish("dropper", pid); err != nil {
		panic(err.Error())
	}
	<-goos.Watch(<-pid)
	println("taker: the dropper has ended")
	n, s, name := 0, 0, ""
	for p := <-late; p != nil; p = p.Next {
		n++
		s += p.Value
		name = p.Name
	}
	println("taker: received after the sender died:", n, "nodes, sum", s, "named", name)
}
