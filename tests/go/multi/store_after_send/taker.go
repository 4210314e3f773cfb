package main

import "goos"

type Item struct {
	V    int
	Tags []string
}

type S struct {
	F *Item
	M map[int]*Item
}

func main() {
	box := make(chan *S)
	goos.Publish("box", box)
	step := make(chan int)
	goos.Publish("step", step)
	s := <-box
	step <- 1
	<-step
	x, y := s.F, s.M[1]
	s.F = nil
	delete(s.M, 1)
	step <- 1
	<-step // the owner collected and allocated meanwhile
	println("taker: holds", x.V, x.Tags[0], x.Tags[1], x.Tags[2], x.Tags[3])
	println("taker: holds", y.V, y.Tags[0], y.Tags[1], y.Tags[2])
	s.F = x
	s.M[1] = y
	step <- 1
}
