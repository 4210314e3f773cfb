package main

import "goos"

type Getter interface{ Get() int }

type Box struct{ V int }

func (b Box) Get() string { return "a string" }

func main() {
	getters := make(chan Getter)
	goos.Publish("getters", getters)
	g := <-getters
	println("caller: got a Getter; calling Get")
	println("caller:", g.Get())
}
