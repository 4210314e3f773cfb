// println of a slice prints [len/cap]pointer: a nil slice's is [0/0]0x0 in any argument
// position (a slice is passed in memory, not in registers).
package main

func main() {
	var s []int
	var b []byte
	println(s)
	println("before", s, "after")
	println(1, 2, 3, 4, 5, 6, b, 7)
	println(len(s), s, cap(b), b)
}
