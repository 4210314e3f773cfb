package main

import "goos"

func main() {
	churn := goos.Lookup("churn").(chan int)
	<-churn
	var junk [][]byte
	for i := 0; i < 8000; i++ {
		b := make([]byte, 4096)
		for j := range b {
			b[j] = 'U'
		}
		junk = append(junk, b)
	}
	churn <- 1
	<-churn
	println("churner:", len(junk), "pages written")
}
