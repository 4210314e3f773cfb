package main

import (
	"goos"
	"sync"
)

type Shared struct {
	mu sync.Mutex
	n  int
}

const rounds = 2000

func main() {
	share := make(chan *Shared)
	goos.Publish("share", share)
	step := make(chan int)
	goos.Publish("step", step)
	s := <-share
	step <- 1
	s.mu.Lock() // held by the owner: waits on the semaphore channel it makes
	println("taker: locked after the owner, n =", s.n)
	s.n++
	s.mu.Unlock()
	step <- 2
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
	step <- 3
}
