// Receives one of the two lists the keeper put in its buffered inbox, then panics while it
// holds that list and the other is still in flight in the inbox.
package main

import "goos"

type Node struct {
	Value int
	Next  *Node
}

func main() {
	inbox := make(chan *Node, 4)
	ctl := make(chan chan int)
	if err := goos.Publish("inbox", inbox); err != nil {
		panic(err.Error())
	}
	if err := goos.Publish("crasher", ctl); err != nil {
		panic(err.Error())
	}
	(<-ctl) <- goos.Pid()
	n := 0
	for p := <-inbox; p != nil; p = p.Next {
		n++
	}
	println("crasher: received a list of", n, "nodes")
	var m map[string]int
	m["boom"] = n // a runtime error, with a list in hand and one in flight
}
