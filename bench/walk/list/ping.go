// The send walk's cost per object (issue 11: at most 20 ns): a 10,000-node list goes to
// another program and comes back, 1,000 times, so every send walks all of it (a channel
// two programs hold is not local; bench/walk/run.sh divides by the 20,000,000 objects).
package main

import "goos"

type node struct {
	value int
	next  *node
}

const nodes = 10000
const rounds = 1000

func main() {
	var head *node
	for i := nodes; i >= 1; i-- {
		head = &node{i, head}
	}
	there := goos.Lookup("there").(chan *node)
	back := goos.Lookup("back").(chan *node)
	for i := 0; i < rounds; i++ {
		there <- head
		head = <-back
	}
	close(there)
	sum := 0
	for p := head; p != nil; p = p.next {
		sum += p.value
	}
	println("walk", nodes, rounds, sum)
}
