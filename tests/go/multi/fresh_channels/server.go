// Channels are freed once no one holds them (DESIGN.md, "Channels"): a client that makes
// a fresh reply channel for each of 100,000 requests, and a loop of 20,000 selects with a
// time.After timeout, run in a 16 MiB pool (goos-sim.args). Before, every channel lived until its
// maker ended, and the client ran out of memory at about 70,000 requests.
package main

import "goos"

type request struct {
	n     int
	reply chan int
}

func main() {
	requests := make(chan request)
	goos.Publish("requests", requests)
	served := 0
	for r := range requests {
		r.reply <- r.n * 2
		served++
	}
	println("server: served", served)
}
