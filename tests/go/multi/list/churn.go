// Waits until asked, then takes and overwrites as much memory as it may: if any page of the
// builder's list had gone back to the pool when the builder exited, it would be among these.
package main

import "goos"

func main() {
	ask := make(chan chan int)
	if err := goos.Publish("churn", ask); err != nil {
		panic(err.Error())
	}
	done := <-ask
	total := 0
	var keep [][]byte
	for i := 0; i < 96; i++ {
		b := make([]byte, 64<<10)
		for j := range b {
			b[j] = 0xa5
		}
		keep = append(keep, b)
		total += len(b)
	}
	done <- total >> 20
}
