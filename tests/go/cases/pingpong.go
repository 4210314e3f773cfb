// Two goroutines alternate over unbuffered channels many times.
package main

func player(name string, in <-chan int, out chan<- int, done chan<- string) {
	for {
		n, ok := <-in
		if !ok {
			done <- name
			return
		}
		if n >= 1000 {
			close(out)
			done <- name
			return
		}
		out <- n + 1
	}
}

func main() {
	a, b := make(chan int), make(chan int)
	done := make(chan string, 2)
	go player("ping", a, b, done)
	go player("pong", b, a, done)
	a <- 0
	first, second := <-done, <-done
	println(len(first)+len(second), "players finished")
}
