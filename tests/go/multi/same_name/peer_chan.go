// Looks up the owner's chan *Win as a chan of its own *Win, whose fields differ.
package main

import "goos"

type Win struct {
	Data     *[4]int
	Len, Cap int
}

func main() {
	pid := <-goos.Lookup("hello-chan").(chan chan int)
	pid <- goos.Pid()
	wins := goos.Lookup("wins").(chan *Win)
	w := <-wins
	w.Data[0] = 42 // without structural types: a store into the owner's string
	println("peer_chan: took the owner's window as mine:", w.Len, w.Cap)
	wins <- w
}
