// A recursion without end: Go ends the program once its goroutine's stack would pass 1 GB
// (runtime/stack.h), and the other program runs on.
package main

import "goos"

func down(n int) int {
	var pad [64]int
	pad[n%64] = n
	return down(n+1) + pad[(n+1)%64]
}

func main() {
	hello := make(chan int)
	goos.Publish("overflow", hello)
	hello <- goos.Pid()
	println("overflow: going down")
	println(down(0))
}
