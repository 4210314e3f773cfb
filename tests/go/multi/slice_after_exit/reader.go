package main

import "goos"

func main() {
	pid := make(chan int)
	goos.Publish("pid", pid)
	part := make(chan []byte)
	goos.Publish("part", part)
	pid <- goos.Pid()
	b := <-part
	sum := 0
	for _, x := range b {
		sum += int(x)
	}
	println("reader:", len(b), "bytes, sum", sum)
}
