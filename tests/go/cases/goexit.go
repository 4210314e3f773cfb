// runtime.Goexit ends the calling goroutine after its deferred calls ran (recover in them
// returns nil), from any depth, and the program goes on.
package main

import "runtime"

func deep(n int, done chan string) {
	if n == 0 {
		runtime.Goexit()
	}
	deep(n-1, done)
	done <- "deep: not reached"
}

func main() {
	done := make(chan string)
	go func() {
		defer func() { done <- "first deferred call, last to run" }()
		defer func() { println("second deferred call: recover() == nil:", recover() == nil) }()
		func() {
			defer println("inner deferred call")
			runtime.Goexit()
		}()
		done <- "not reached"
	}()
	println(<-done)

	go func() {
		defer func() { done <- "deep goroutine's deferred call" }()
		deep(200000, done)
	}()
	println(<-done)

	for i := 0; i < 3; i++ {
		go func(i int) {
			defer func() { done <- "goroutine ended" }()
			if i%2 == 0 {
				runtime.Goexit()
			}
		}(i)
	}
	for i := 0; i < 3; i++ {
		println(<-done)
	}
	println("main: goroutines", runtime.NumGoroutine() >= 1)
}
