// Ping-pong across two programs: ping looks up the "pong" service, sends it requests that
// carry ping's own reply channel, and checks every answer.
package main

import "goos"

type request struct {
	n     int
	reply chan int
}

func main() {
	pong := goos.Lookup("pong").(chan request)
	reply := make(chan int)
	sum := 0
	for i := 1; i <= 1000; i++ {
		pong <- request{i, reply}
		got := <-reply
		if got != 2*i {
			println("ping: wrong answer", got, "for", i)
			goos.Exit(1)
		}
		sum += got
	}
	// Printed before the close: once closed, pong may run (and print) before ping does.
	println("ping: 1000 round trips, sum", sum)
	close(pong)
}
