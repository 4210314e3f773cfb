package main

import "goos"

type Msg struct {
	S   string
	N   int
	pad [600]byte
}

func main() {
	pids := make(chan int, 2)
	goos.Publish("pids", pids)
	reader := make(chan *Msg)
	goos.Publish("reader", reader)
	churn := make(chan int)
	goos.Publish("churn", churn)
	m := <-reader
	sender, relay := goos.Watch(<-pids), goos.Watch(<-pids)
	<-sender
	<-relay
	churn <- 1 // both ended: the churner takes what the pool has
	<-churn
	println("reader:", m.N, m.S)
	churn <- 2
}
