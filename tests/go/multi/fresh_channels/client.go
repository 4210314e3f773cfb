package main

import (
	"goos"
	"time"
)

type request struct {
	n     int
	reply chan int
}

func main() {
	requests := goos.Lookup("requests").(chan request)
	sum := 0
	for i := 0; i < 100000; i++ {
		reply := make(chan int)
		requests <- request{i, reply}
		sum += <-reply
	}
	println("client: sum", sum)
	// A fresh timer channel each time round, as a select with a timeout is written; each
	// timer fires soon after into a channel no one reads any more.
	// (The value is ready at once; the timer may be ready too when a collection or a slow
	// machine held the loop up: then the value is taken after it.)
	work := make(chan int, 1)
	got := 0
	for i := 0; i < 20000; i++ {
		work <- i
		select {
		case v := <-work:
			got += v
		case <-time.After(time.Microsecond):
			got += <-work
		}
	}
	println("client: got", got)
	close(requests)
}
