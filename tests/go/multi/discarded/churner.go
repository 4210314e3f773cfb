package main

import (
	"goos"
	"runtime"
)

// Fills fresh memory with a pattern, round after round, collecting in between.
func main() {
	churn := make(chan int)
	goos.Publish("churn", churn)
	<-churn
	for round := 0; round < 40; round++ {
		var keep [][]byte
		for i := 0; i < 64; i++ {
			b := make([]byte, 16384)
			for j := range b {
				b[j] = 0xAB
			}
			keep = append(keep, b)
		}
		keep = nil
		runtime.GC()
	}
	println("churner: done") // before the owner is let go, so the order of lines is fixed
	churn <- 1
}
