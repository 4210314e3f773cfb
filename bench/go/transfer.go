// Ownership transfer of a large value (bench/go_programs.py): two goroutines hand a
// 10,000-node list back and forth 200 times. On gc Go and gccgo a send passes one pointer;
// on GoOS each send walks the list and hands every node over (runtime/transfer.cpp), so
// the difference is the cost of the transfer walk, about 2,000,000 objects in all.
package main

type node struct {
	value int
	next  *node
}

const nodes = 10000
const rounds = 100

func echo(in <-chan *node, out chan<- *node) {
	for l := range in {
		out <- l
	}
	close(out)
}

func main() {
	var head *node
	for i := nodes; i >= 1; i-- {
		head = &node{i, head}
	}
	there := make(chan *node)
	back := make(chan *node)
	go echo(there, back)
	for i := 0; i < rounds; i++ {
		there <- head
		head = <-back
	}
	close(there)
	sum := 0
	for p := head; p != nil; p = p.next {
		sum += p.value
	}
	println("transfer", nodes, rounds, sum)
}
