// Types match by structure, never by name alone (DESIGN.md, "Types mean the same in every
// program"). The owner and two peers each declare a main.Win, the peers' with other
// fields. A peer that took the owner's *Win or Win as its own would read the owner's
// string as a pointer to an array and write through it. Neither gets one: the peers' Win
// is another type, so asserting the looked-up chan *Win to the peer's panics naming both,
// and asserting a received Win to the peer's fails; the owner's windows stay intact.
package main

import "goos"

type Win struct {
	Title string
	Count int
}

// meet gives a peer a channel to send its pid on, and watches it.
func meet(name string) <-chan struct{} {
	hello := make(chan chan int)
	goos.Publish(name, hello)
	pid := make(chan int)
	hello <- pid
	return goos.Watch(<-pid)
}

func main() {
	wins := make(chan *Win, 1)
	mine := &Win{"the owner's window", 3}
	wins <- mine
	goos.Publish("wins", wins)
	inbox := make(chan interface{}, 1)
	inbox <- Win{"the owner's other window", 4}
	goos.Publish("inbox", inbox)

	<-meet("hello-iface")
	<-meet("hello-chan")
	w := <-wins
	println("owner:", w.Title, w.Count, w == mine)
	println("owner: both peers ended; the owner goes on")
}
