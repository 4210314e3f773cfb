// The Go anchors: the operations of bench/goos_bench.cpp done with goroutines and Go's
// own channels. Built twice, with gc (golang-go) and with gccgo-12 and libgo, and run
// under GOMAXPROCS=1 and 2. Prints one JSON object per line: {"name", "ns_per_op"}.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"
)

func report(name string, ops int, d time.Duration) {
	fmt.Printf("{\"name\":%q,\"ns_per_op\":%.3f}\n", name, float64(d.Nanoseconds())/float64(ops))
}

func best(runs int, f func() time.Duration) time.Duration {
	var b time.Duration
	for i := 0; i < runs; i++ {
		if d := f(); i == 0 || d < b {
			b = d
		}
	}
	return b
}

func roundTrip(n int) time.Duration {
	req, reply := make(chan int), make(chan int)
	go func() {
		for v := range req {
			reply <- v
		}
	}()
	start := time.Now()
	for i := 0; i < n; i++ {
		req <- i
		<-reply
	}
	d := time.Since(start)
	close(req)
	return d
}

func buffered(n, capacity int) time.Duration {
	c := make(chan int, capacity)
	done := make(chan bool)
	go func() {
		for range c {
		}
		done <- true
	}()
	start := time.Now()
	for i := 0; i < n; i++ {
		c <- i
	}
	close(c)
	<-done
	return time.Since(start)
}

func selectReady(n, cases int) time.Duration {
	cs := make([]chan int, 8)
	for i := range cs {
		cs[i] = make(chan int, 1)
		cs[i] <- i
	}
	start := time.Now()
	if cases == 2 {
		for i := 0; i < n; i++ {
			select {
			case v := <-cs[0]:
				cs[0] <- v
			case v := <-cs[1]:
				cs[1] <- v
			}
		}
	} else {
		for i := 0; i < n; i++ {
			select {
			case v := <-cs[0]:
				cs[0] <- v
			case v := <-cs[1]:
				cs[1] <- v
			case v := <-cs[2]:
				cs[2] <- v
			case v := <-cs[3]:
				cs[3] <- v
			case v := <-cs[4]:
				cs[4] <- v
			case v := <-cs[5]:
				cs[5] <- v
			case v := <-cs[6]:
				cs[6] <- v
			case v := <-cs[7]:
				cs[7] <- v
			}
		}
	}
	return time.Since(start)
}

func spawn(n int) time.Duration {
	done := make(chan bool)
	start := time.Now()
	for i := 0; i < n; i++ {
		go func() { done <- true }()
		<-done
	}
	return time.Since(start)
}

func main() {
	scale := 1
	if len(os.Args) > 1 {
		scale, _ = strconv.Atoi(os.Args[1])
	}
	runs := 3
	n := 100000 / scale
	_ = runtime.GOMAXPROCS(0)
	report("round_trip", n, best(runs, func() time.Duration { return roundTrip(n) }))
	report("buffered_1", 2*n, best(runs, func() time.Duration { return buffered(2*n, 1) }))
	report("buffered_100", 2*n, best(runs, func() time.Duration { return buffered(2*n, 100) }))
	report("select_2_ready", n, best(runs, func() time.Duration { return selectReady(n, 2) }))
	report("select_8_ready", n, best(runs, func() time.Duration { return selectReady(n, 8) }))
	report("spawn_run_exit", n/2, best(runs, func() time.Duration { return spawn(n / 2) }))
}
