// A thousand goroutines alive at once, each on its own 64 KiB kernel stack (as on
// goos-sim): they all wait on one channel until it is closed, then report back.
package main

func main() {
	const n = 1000
	start := make(chan struct{})
	done := make(chan int)
	for i := 0; i < n; i++ {
		go func(i int) {
			<-start
			done <- i
		}(i)
	}
	close(start)
	sum := 0
	for i := 0; i < n; i++ {
		sum += <-done
	}
	println("many:", n, "goroutines at once, sum", sum)
}
