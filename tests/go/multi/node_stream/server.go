// A client sends 100,000 fresh objects, one per message, to a server that only sums them,
// in a 16 MiB pool (goos-sim.args). A span one of whose objects another program holds is
// not allocated from, so each message takes a page: both programs must collect for the
// pages to come back (the client counts the spans it takes, the server the pages it is
// granted). Before, the client ran out of memory after about 2,000 messages with a 16 MiB
// budget (15,700 in a 64 MiB pool).
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
	println("server: sum", sum)
}
