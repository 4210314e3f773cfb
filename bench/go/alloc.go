// An allocation-heavy program (bench/go_programs.py): builds and drops binary trees, so
// that it allocates about 50 times its live heap, like the classic binary-trees test.
package main

type node struct {
	left, right *node
}

func build(depth int) *node {
	if depth == 0 {
		return &node{}
	}
	return &node{build(depth - 1), build(depth - 1)}
}

func (n *node) count() int {
	if n.left == nil {
		return 1
	}
	return 1 + n.left.count() + n.right.count()
}

func main() {
	long := build(14) // lives throughout: 32767 nodes
	total := 0
	for i := 0; i < 50; i++ {
		total += build(14).count()
	}
	println("alloc", long.count(), total)
}
