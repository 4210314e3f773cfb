// A program that keeps everything it allocates reaches its memory limit and ends with a
// clear out-of-memory panic; the kernel and the other programs go on.
package main

import "goos"

func main() {
	hello := make(chan int)
	goos.Publish("hog", hello)
	hello <- goos.Pid()
	var kept [][]byte
	for {
		kept = append(kept, make([]byte, 64<<10))
	}
}
