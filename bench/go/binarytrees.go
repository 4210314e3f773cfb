// The benchmarks game's binary trees at depth 16: pointer stores into fresh heap objects,
// which is what the write barrier's fast path costs most on (bench/go_programs.py runs it
// with the barrier and, as goos-nobarrier, with gccgo's barrier flag off).
package main

type Node struct{ L, R *Node }

func build(d int) *Node {
	if d == 0 {
		return &Node{}
	}
	n := &Node{}
	n.L = build(d - 1)
	n.R = build(d - 1)
	return n
}

func (n *Node) check() int {
	if n.L == nil {
		return 1
	}
	return 1 + n.L.check() + n.R.check()
}

func main() {
	const maxDepth = 16
	long := build(maxDepth)
	total := 0
	for d := 4; d <= maxDepth; d += 2 {
		iters := 1 << (maxDepth - d + 4)
		for i := 0; i < iters; i++ {
			total += build(d).check()
		}
	}
	println("binarytrees:", total, long.check())
}
