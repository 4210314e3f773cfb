package main

import "goos"

type Request struct {
	Key  int
	Err  error
	Done chan bool
}

type NotFound struct{ Key int }

func (e NotFound) Error() string { return "server's NotFound.Error" }

func main() {
	requests := make(chan *Request)
	goos.Publish("requests", requests)
	for req := range requests {
		req.Err = NotFound{req.Key}
		println("server:", req.Err.Error())
		req.Done <- true
	}
}
