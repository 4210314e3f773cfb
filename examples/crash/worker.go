// A worker that panics while it holds what other programs sent it: a job, the slice in it
// (the worker's own since it received it) and the channel to answer on. The kernel ends
// it alone, with Go's panic message; its holds go, what it owned dies with it, and the
// dispatcher, which watches it, runs on.
package main

import "goos"

type job struct {
	n       int
	squares []int // squares[i] == i*i, for i up to n
	reply   chan int
}

func main() {
	jobs := make(chan job)
	if err := goos.Publish("jobs", jobs); err != nil {
		panic(err.Error())
	}
	var table [3]int
	for j := range jobs {
		if j.n == 0 {
			j.reply <- goos.Pid()
			continue
		}
		table[j.n%3] = j.squares[j.n]
		j.reply <- table[j.n%3] + table[j.n-1] // job 4 reads past the table: a runtime error
	}
}
