// The collector: a long-lived tree plus 200 short-lived ones, about 100 times the live
// heap in all, within the program's memory limit (16 MiB of pages on goos-sim).
package main

type node struct {
	left, right *node
	value       int
}

func build(depth, value int) *node {
	if depth == 0 {
		return &node{value: value}
	}
	return &node{build(depth-1, 2*value), build(depth-1, 2*value+1), value}
}

func (n *node) check() int {
	if n.left == nil {
		return n.value
	}
	return n.value + n.left.check() - n.right.check()
}

func main() {
	long := build(15, 1)
	sum := 0
	for i := 0; i < 200; i++ {
		t := build(12, i)
		sum += t.check()
	}
	println("short-lived trees:", sum)
	println("long-lived tree:", long.check())
}
