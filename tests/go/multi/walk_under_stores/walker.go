// Sends a list long enough that walking it takes more than a time slice, three times, while
// the storer stores into an object the list reaches.
package main

import "goos"

type T struct{ N int }

type S struct{ P *T }

type Node struct {
	Next *Node
	S    *S
}

func main() {
	s := <-goos.Lookup("share").(chan *S)
	lists := goos.Lookup("lists").(chan *Node)
	var head *Node
	for i := 0; i < 1000000; i++ {
		head = &Node{Next: head}
	}
	head.S = s
	for round := 0; round < 3; round++ {
		lists <- head
	}
	println("walker: sent the list 3 times")
	goos.Lookup("stop").(chan int) <- 1
}
