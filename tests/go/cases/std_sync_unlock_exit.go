// Unlocking an unlocked sync.Mutex is a fatal error (not a recoverable panic): Go's
// message and status 2, and the deferred recover does not see it.
package main

import "sync"

func main() {
	defer func() {
		println("recovered?", recover() != nil)
	}()
	var mu sync.Mutex
	mu.Lock()
	mu.Unlock()
	println("unlocking again")
	mu.Unlock()
	println("not reached")
}
