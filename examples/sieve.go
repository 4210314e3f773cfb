// The concurrent prime sieve: a chain of goroutines, one filter per prime, connected by
// channels (after the Go tour's and Doug McIlroy's).
package main

func generate(ch chan<- int) {
	for i := 2; ; i++ {
		ch <- i
	}
}

func filter(in <-chan int, out chan<- int, prime int) {
	for {
		i := <-in
		if i%prime != 0 {
			out <- i
		}
	}
}

func main() {
	ch := make(chan int)
	go generate(ch)
	sum := 0
	for i := 0; i < 100; i++ {
		prime := <-ch
		if i < 10 || i == 99 {
			println("prime", i+1, "is", prime)
		}
		sum += prime
		next := make(chan int)
		go filter(ch, next, prime)
		ch = next
	}
	println("sum of the first 100 primes:", sum)
}
