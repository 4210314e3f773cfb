// Hands jobs to the worker and watches it: when the worker panics, the dispatcher sees
// its watch channel close, reports, and goes on. Each job carries a slice the dispatcher
// made: sent, it becomes the worker's (nothing is copied), and it dies with the worker.
package main

import "goos"

type job struct {
	n       int
	squares []int // squares[i] == i*i, for i up to n
	reply   chan int
}

func main() {
	jobs := goos.Lookup("jobs").(chan job)
	reply := make(chan int)
	jobs <- job{0, nil, reply}
	dead := goos.Watch(<-reply)
	for n := 1; n <= 5; n++ {
		squares := make([]int, n+1)
		for i := range squares {
			squares[i] = i * i
		}
		select {
		case jobs <- job{n, squares, reply}:
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
