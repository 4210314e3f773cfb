package main

import "goos"

type Req struct {
	N     int
	Reply chan int
}

func main() {
	reqs := make(chan Req)
	goos.Publish("reqs", reqs)
	for r := range reqs {
		r.Reply <- r.N + 1
	}
}
