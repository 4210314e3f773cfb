// A program in a loop that never calls the kernel: preemption keeps the others running
// (the kernel's timer on goos-sim and x86-64; basic-block counts in deterministic mode).
package main

import "goos"

func main() {
	x := uint64(1)
	for i := 0; i < 300000000; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	println("spinner: 300000000 steps without a system call, then", x%1000)
	goos.Exit(0)
}
