// A program sends the first part of a buffer and keeps writing the rest; the receiver
// ends (DESIGN.md, "The origin frees": a holder that ends only lets go; nothing of the
// sender's dies with it). The writer then collects, allocates and checks every byte.
package main

import (
	"goos"
	"runtime"
)

func main() {
	part := goos.Lookup("part").(chan []byte)
	reader := goos.Watch(<-goos.Lookup("pid").(chan int))
	buf := make([]byte, 64<<10)
	for i := range buf[:1000] {
		buf[i] = byte(i % 199)
	}
	part <- buf[:1000]
	<-reader
	for i := 1000; i < len(buf); i++ {
		buf[i] = byte(i % 199)
	}
	var junk [][]byte
	for round := 0; round < 8; round++ {
		runtime.GC()
		for i := 0; i < 64; i++ {
			junk = append(junk, make([]byte, 4096))
		}
	}
	bad := 0
	for i, b := range buf {
		if b != byte(i%199) {
			bad++
		}
	}
	println("writer:", len(buf), "bytes,", bad, "wrong,", len(junk), "more buffers")
}
