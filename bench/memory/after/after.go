// time.After in a select loop, 1,000,000 times (issue 11, "Memory": bounded): a producer
// feeds values while the consumer waits on each with a 1 ms timeout, so a timer and its
// channel are made per iteration and almost none fires; each is dropped once its
// deadline passes (Go 1.18's semantics: an unstopped timer stays until it fires).
package main

import "time"

func main() {
	work := make(chan int, 64)
	go func() {
		for i := 1; i <= 1000000; i++ {
			work <- i
		}
		close(work)
	}()
	sum, timeouts := 0, 0
	for {
		select {
		case v, ok := <-work:
			if !ok {
				println("after: sum", sum, "timeouts below 1000:", timeouts < 1000)
				return
			}
			sum += v
		case <-time.After(time.Millisecond):
			timeouts++
		}
	}
}
