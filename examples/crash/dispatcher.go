// Hands jobs to the worker and watches it: when the worker panics, the dispatcher sees
// its watch channel close, reports, and goes on.
package main

import "goos"

type job struct {
	n     int
	reply chan int
}

func main() {
	jobs := goos.Lookup("jobs").(chan job)
	reply := make(chan int)
	jobs <- job{0, reply}
	dead := goos.Watch(<-reply)
	for n := 1; n <= 5; n++ {
		select {
		case jobs <- job{n, reply}:
		case <-dead:
			println("dispatcher: the worker ended before job", n)
			println("dispatcher: still running")
			return
		}
		select {
		case r := <-reply:
			println("dispatcher: job", n, "->", r)
		case <-dead:
			println("dispatcher: the worker ended during job", n)
			println("dispatcher: still running")
			return
		}
	}
}
