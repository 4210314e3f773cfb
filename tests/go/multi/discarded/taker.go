package main

import "goos"

type Rec struct {
	ID   int
	Tags []string
	Next *Rec
}

func main() {
	box := make(chan *Rec, 4)
	goos.Publish("box", box)
	pid := make(chan int)
	goos.Publish("pid", pid)
	pid <- goos.Pid()
	println("taker: leaves without reading")
}
