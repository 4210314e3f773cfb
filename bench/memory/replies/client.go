// 10,000,000 request/reply round trips, each with a fresh reply channel (bench/memory/run.sh
// reports the peak pages in use).
package main

import "goos"

type Req struct {
	N     int
	Reply chan int
}

func main() {
	reqs := goos.Lookup("reqs").(chan Req)
	sum := 0
	for i := 0; i < 10000000; i++ {
		reply := make(chan int)
		reqs <- Req{i, reply}
		sum += <-reply
	}
	close(reqs)
	println("client: sum", sum)
}
