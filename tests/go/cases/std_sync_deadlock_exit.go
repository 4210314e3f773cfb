// A goroutine that waits for a Mutex nobody will unlock waits in the kernel, so when it
// is the last one the program ends as a deadlock, as in Go.
package main

import "sync"

func main() {
	var mu sync.Mutex
	mu.Lock()
	println("locking again")
	mu.Lock()
	println("not reached")
}
