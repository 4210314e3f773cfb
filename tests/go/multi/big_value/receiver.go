package main

import "goos"

func main() {
	pid := make(chan int)
	goos.Publish("pid", pid)
	bigc := make(chan []byte)
	goos.Publish("big", bigc)
	rowsc := make(chan [][]byte)
	goos.Publish("rows", rowsc)
	churn := make(chan int)
	goos.Publish("churn", churn)
	sender := goos.Watch(<-pid)
	big := <-bigc
	rows := <-rowsc
	<-sender
	churn <- 1 // the sender ended: the churner takes what the pool has
	<-churn
	bad := 0
	for i, b := range big {
		if b != byte(i%251) {
			bad++
		}
	}
	for i, r := range rows {
		for j, b := range r {
			if b != byte(i+j) {
				bad++
			}
		}
	}
	println("receiver:", len(big), "bytes,", len(rows), "rows,", bad, "wrong")
	churn <- 2
}
