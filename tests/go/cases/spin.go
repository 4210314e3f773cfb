// A goroutine that computes without calling the runtime must not starve the others; in
// deterministic mode its basic blocks are what let the kernel preempt it.
package main

func spin(n int, out chan<- int) {
	x := 0
	for i := 0; i < n; i++ {
		x += i % 7
	}
	out <- x
}

func main() {
	out := make(chan int)
	go spin(20000000, out)
	go spin(10, out)
	a, b := <-out, <-out
	println(a+b, a == 25 || b == 25)
}
