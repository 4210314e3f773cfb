// A receive of an interface holding a type this program does not declare panics with the
// type's name (no code of the sender's may run here); the sender, watching, goes on.
package main

import "goos"

type Known struct{ A int }

func main() {
	hello := make(chan chan int)
	goos.Publish("hello", hello)
	inbox := make(chan interface{})
	goos.Publish("inbox", inbox)
	(<-hello) <- goos.Pid()
	for v := range inbox {
		if k, ok := v.(Known); ok {
			println("receiver: Known", k.A)
		}
	}
}
