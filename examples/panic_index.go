// panic_index: an index out of range ends the program with Go's message and status 2.
package main

var idx = 5

func main() {
	s := []int{1, 2, 3}
	println("before")
	println(s[idx])
	println("not reached")
}
