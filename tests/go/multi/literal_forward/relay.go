package main

import "goos"

type Point struct {
	X, Y int
	pad  [900]byte // boxed in its own span, after the ballast
}

type Msg struct {
	S   string
	V   interface{}
	N   int
	pad [600]byte
}

func main() {
	relay := make(chan *Msg)
	goos.Publish("relay", relay)
	reader := goos.Lookup("reader").(chan *Msg)
	pids := goos.Lookup("pids").(chan int)
	m := <-relay
	reader <- m
	pids <- goos.Pid()
	println("relay: passed it on")
}
