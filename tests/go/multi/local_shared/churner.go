package main

import (
	"goos"
	"runtime"
)

// Takes pages from the pool and fills them with a pattern, again and again, collecting
// between rounds so that what it frees comes back to the pool for the next round.
func main() {
	churned := goos.Lookup("churned").(chan int)
	<-churned
	total := 0
	for round := 0; round < 40; round++ {
		var keep [][]byte
		for i := 0; i < 64; i++ {
			b := make([]byte, 16384)
			for j := range b {
				b[j] = 0xAB
			}
			keep = append(keep, b)
		}
		total += len(keep)
		keep = nil
		runtime.GC()
	}
	println("churner: done") // before the receiver is let go, so the order of lines is fixed
	churned <- total
}
