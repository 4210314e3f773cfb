// A sync.Mutex inside a struct two programs share: the owner locks it and hands the struct
// over; the other program's Lock finds it held and waits in the kernel on the mutex's
// semaphore channel, which it makes on first use and stores into the shared struct
// (runtime/go/sync/sema.go). That store exposes the channel to the owner (DESIGN.md,
// "Stores into shared objects expose"): the owner's Unlock then sends on a channel it
// never made or received. Then both programs take the lock 2,000 times each from two
// goroutines apiece, and the count comes out exact.
package main

import (
	"goos"
	"sync"
	"time"
)

type Shared struct {
	mu sync.Mutex
	n  int
}

const rounds = 2000

func main() {
	share := goos.Lookup("share").(chan *Shared)
	step := goos.Lookup("step").(chan int)
	s := &Shared{}
	s.mu.Lock()
	share <- s
	<-step // the other program is about to Lock
	time.Sleep(20 * time.Millisecond)
	s.n = 1
	s.mu.Unlock() // wakes the waiter through the channel it made
	<-step        // it got the lock
	var wg sync.WaitGroup
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			for i := 0; i < rounds/2; i++ {
				s.mu.Lock()
				s.n++
				s.mu.Unlock()
			}
			wg.Done()
		}()
	}
	wg.Wait()
	<-step // the other program's goroutines are done too
	s.mu.Lock()
	println("owner: count", s.n)
	s.mu.Unlock()
}
