package main

import "goos"

type Node struct {
	Val  int
	Next *Node
}

func main() {
	c := make(chan *Node)
	goos.Publish("nodes", c)
	sum := 0
	for n := range c {
		sum += n.Val
	}
	println("consumer: sum", sum)
}
