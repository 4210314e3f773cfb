// A large value handed between goroutines (bench/go_programs.py): two goroutines pass a
// 10,000-node list back and forth. On gc Go and gccgo a send passes one pointer; so it
// does on GoOS, since a channel only one program holds is local and its sends walk
// nothing (DESIGN.md, "Local channels move nothing"). bench/walk/ sends the same list
// between two programs, where every send walks it.
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
