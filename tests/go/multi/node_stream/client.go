package main

import "goos"

type Node struct {
	Val  int
	Next *Node
}

func main() {
	c := goos.Lookup("nodes").(chan *Node)
	for i := 0; i < 100000; i++ {
		c <- &Node{Val: i}
	}
	close(c)
}
