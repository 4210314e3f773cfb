// A program may hold and pass on a value of a type it does not declare (DESIGN.md, "Types
// mean the same in every program"): the receiver keeps what it knows and forwards the rest,
// in the same interface{}, to a third program that declares the type and switches on it.
package main

import "goos"

type Known struct{ A int }

func main() {
	hello := make(chan chan int)
	goos.Publish("hello", hello)
	inbox := make(chan interface{})
	goos.Publish("inbox", inbox)
	(<-hello) <- goos.Pid()
	outbox := goos.Lookup("outbox").(chan interface{})
	acks := goos.Lookup("acks").(chan bool)
	for v := range inbox {
		if k, ok := v.(Known); ok {
			println("receiver: Known", k.A)
		} else {
			outbox <- v
			<-acks // the third has printed: the sender's line, after this program ends, follows it
		}
	}
	close(outbox)
}
