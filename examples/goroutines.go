// goroutines: an unbuffered channel between two goroutines, a buffered channel drained
// with range after close, and select with and without default.
package main

func producer(n int, out chan<- int) {
	for i := 0; i < n; i++ {
		out <- i * 10
	}
	close(out)
}

type pair struct {
	a, b int
	s    string
}

func main() {
	done := make(chan bool)
	go func() {
		println("in goroutine")
		done <- true
	}()
	v := <-done
	println("received", v)

	buf := make(chan int, 3)
	println("len/cap", len(buf), cap(buf))
	buf <- 1
	buf <- 2
	println("len/cap", len(buf), cap(buf))
	close(buf)
	for x := range buf {
		println("buffered", x)
	}
	x, ok := <-buf
	println("after close", x, ok)

	ch := make(chan int)
	go producer(5, ch)
	sum := 0
	for x := range ch {
		sum += x
	}
	println("sum", sum)

	ps := make(chan pair, 1)
	ps <- pair{1, 2, "three"}
	p := <-ps
	println("pair", p.a, p.b, p.s)

	empty := make(chan int)
	select {
	case x := <-empty:
		println("unexpected", x)
	default:
		println("default taken")
	}
	full := make(chan int, 1)
	select {
	case full <- 7:
		println("sent 7")
	default:
		println("unexpected default")
	}
	select {
	case full <- 8:
		println("unexpected send")
	default:
		println("full, default")
	}
	println("full had", <-full)

	results := make(chan int)
	quit := make(chan struct{})
	for i := 1; i <= 3; i++ {
		go func(k int) { results <- k * k }(i)
	}
	go func() {
		t := 0
		for i := 0; i < 3; i++ {
			t += <-results
		}
		println("total", t)
		close(quit)
	}()
	var never chan int
	select {
	case <-quit:
		println("quit closed")
	case y := <-never:
		println("unexpected", y)
	}
}
