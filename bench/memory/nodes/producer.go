// 1,000,000 fresh objects, one per message, to a consumer that never calls runtime.GC
// (bench/memory/run.sh reports the peak pages in use).
package main

import "goos"

type Node struct {
	Val  int
	Next *Node
}

func main() {
	c := goos.Lookup("nodes").(chan *Node)
	for i := 0; i < 1000000; i++ {
		c <- &Node{Val: i}
	}
	close(c)
}
