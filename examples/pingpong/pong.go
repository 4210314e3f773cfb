// The other half of ping-pong: publishes "pong" and doubles every request, answering on
// the channel that came inside it.
package main

import "goos"

type request struct {
	n     int
	reply chan int
}

func main() {
	requests := make(chan request)
	if err := goos.Publish("pong", requests); err != nil {
		panic(err.Error())
	}
	served := 0
	for r := range requests {
		r.reply <- 2 * r.n
		served++
	}
	println("pong: served", served)
}
