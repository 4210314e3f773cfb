// Sends a list into the taker's buffered channel and panics while the list is in flight:
// the message, and the pages it names, outlive the sender.
package main

import "goos"

type Node struct {
	Value int
	Name  string
	Next  *Node
}

func main() {
	late := goos.Lookup("late").(chan *Node)
	pid := goos.Lookup("dropper").(chan int)
	var head *Node
	for i := 1000; i >= 1; i-- {
		head = &Node{i, "from the dropper", head}
	}
	late <- head
	pid <- goos.Pid()
	panic("dropper: gone, with its list in flight")
}
