package main

import "goos"

type Reply struct {
	N    int
	Text string
}

type Request struct {
	N     int
	Reply chan *Reply
}

func main() {
	requests := goos.Lookup("requests").(chan Request)
	done := goos.Lookup("done").(chan int)
	const n = 3000
	before := goos.Charged() / 4096
	replies := make(chan *Reply)
	var kept []*Reply
	for i := 0; i < n; i++ {
		requests <- Request{i, replies}
		kept = append(kept, <-replies)
	}
	sum := 0
	for _, r := range kept {
		sum += r.N
	}
	grew := goos.Charged()/4096 - before
	println("client: kept", len(kept), "replies, sum", sum, "; charged", n, "pages more at least:", grew >= n)
	done <- n
	<-done
}
