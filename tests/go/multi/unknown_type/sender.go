package main

import "goos"

type Known struct{ A int }
type Circle struct{ R int }

func main() {
	pid := make(chan int)
	goos.Lookup("hello").(chan chan int) <- pid
	dead := goos.Watch(<-pid)
	inbox := goos.Lookup("inbox").(chan interface{})
	inbox <- Known{1}
	inbox <- Circle{2}
	close(inbox)
	<-dead
	println("sender: the receiver ended; the sender goes on")
}
