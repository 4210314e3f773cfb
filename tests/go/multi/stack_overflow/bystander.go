// Runs on after the program beside it overflowed its stack.
package main

import "goos"

func main() {
	pid := <-goos.Lookup("overflow").(chan int)
	<-goos.Watch(pid)
	println("bystander: the other program ended; still here")
}
