// The same ping-pong program on every runtime (bench/go_programs.py): two goroutines
// hand an int back and forth over unbuffered channels 1,000,000 times.
package main

const rounds = 1000000

func pong(in <-chan int, out chan<- int) {
	for v := range in {
		out <- v + 1
	}
	close(out)
}

func main() {
	ping := make(chan int)
	back := make(chan int)
	go pong(ping, back)
	sum := 0
	for i := 0; i < rounds; i++ {
		ping <- i
		sum += <-back
	}
	close(ping)
	println("pingpong", rounds, sum)
}
