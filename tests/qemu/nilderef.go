// Dereferences nil: the page fault at address 8 ends this program with Go's panic message
// while the other programs of the boot run on (tests/qemu/boot_test.sh, go-nilderef).
package main

type node struct {
	next *node
	v    int
}

var head = &node{v: 1}

func second(n *node) int { return n.next.v } // head.next is nil

func main() {
	println("nilderef: following a nil pointer")
	println("nilderef: never printed", second(head))
}
