package main

import "goos"

func main() {
	pid := <-goos.Lookup("hog").(chan int)
	<-goos.Watch(pid)
	sum := 0
	for i := 0; i < 1000; i++ {
		b := make([]int, 100)
		b[i%100] = i
		sum += b[i%100]
	}
	println("bystander: the hog ended; still here, sum", sum)
}
