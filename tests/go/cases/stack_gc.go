// Objects that only frames deep in grown segments point at survive collections: the
// collector scans every segment in use (runtime/stack.h), and a collection that runs
// while the stack is deep (here, allocating at the bottom) keeps what the frames above hold.
package main

type node struct {
	next *node
	pad  [8]int
}

func deep(n int, keep *node) *node {
	if n == 0 {
		var l *node
		for i := 0; i < 20000; i++ {
			l = &node{next: l}
		}
		return l
	}
	x := &node{next: keep}
	r := deep(n-1, x)
	if x.next != keep {
		panic("lost")
	}
	return r
}

func main() {
	s := 0
	for i := 0; i < 30; i++ {
		l := deep(20000+i*1000, nil)
		for ; l != nil; l = l.next {
			s++
		}
	}
	println(s)
}
