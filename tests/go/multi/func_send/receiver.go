package main

import "goos"

type Job struct {
	N  int
	Do func(int) int
}

func main() {
	goos.Publish("funcs", make(chan func() int, 1))
	goos.Publish("anys", make(chan []interface{}, 1))
	jobs := make(chan Job)
	goos.Publish("jobs", jobs)
	ack := make(chan int)
	goos.Publish("ack", ack)
	ptrs := make(chan *Job, 1)
	goos.Publish("ptrs", ptrs)
	vars := make(chan *Job, 1)
	goos.Publish("vars", vars)
	for j := range jobs {
		println("receiver: job", j.N, j.Do == nil)
		ack <- 1
	}
	p := <-ptrs
	println("receiver: ptr", p.N, p.Do == nil)
	ack <- 1
	for i := 0; i < 2; i++ {
		v := <-vars
		println("receiver: variable", v.N, v.Do == nil)
		ack <- 1
	}
}
