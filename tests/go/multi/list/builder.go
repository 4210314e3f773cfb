// Ownership on send (DESIGN.md): the builder makes a linked list of 10,000 nodes, sends
// its head to the walker and exits. Nothing is copied: every node, and every string a node
// points to, becomes the walker's, and the pages they sit on (and the page of the
// builder's image holding the "static" literal) stay while the walker may reach them.
package main

import (
	"goos"
	"strconv"
)

type Node struct {
	Value int
	Label string
	Next  *Node
}

type List struct {
	Head *Node
	Len  int
	From int
	Tag  string
}

func main() {
	lists := goos.Lookup("lists").(chan List)
	var head *Node
	for i := 10000; i >= 1; i-- {
		label := "static"
		if i%1000 == 0 {
			label = "node " + strconv.Itoa(i)
		}
		head = &Node{i, label, head}
	}
	lists <- List{head, 10000, goos.Pid(), "sent by the builder"}
	println("builder: sent 10000 nodes; exiting")
}
