// Receives the owner's Win inside an interface{} and asserts it to its own Win.
package main

import "goos"

type Win struct {
	Data     *[4]int
	Len, Cap int
}

func main() {
	pid := <-goos.Lookup("hello-iface").(chan chan int)
	pid <- goos.Pid()
	v := <-goos.Lookup("inbox").(chan interface{})
	if w, ok := v.(Win); ok {
		w.Data[0] = 42 // without structural types: a store into the owner's string
		println("peer_iface: took the owner's window as mine:", w.Len, w.Cap)
	} else {
		println("peer_iface: the owner's Win is another type than mine")
	}
}
