// The collector and channels: while values wait in a buffered channel, the channel holds
// the only reference to what they point to; garbage made meanwhile forces collections.
package main

type msg struct {
	id   int
	data []int
	name *string
}

func churn(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		b := make([]byte, 1024)
		b[i%1024] = byte(i)
		s += int(b[i%1024])
	}
	return s
}

func main() {
	ch := make(chan *msg, 200)
	for i := 0; i < 200; i++ {
		name := "message"
		d := make([]int, 50)
		for j := range d {
			d[j] = i * j
		}
		ch <- &msg{i, d, &name}
	}
	println("churn", churn(20000)) // about 20 MiB of garbage while the messages wait
	total := 0
	for i := 0; i < 200; i++ {
		m := <-ch
		if m.id != i || *m.name != "message" {
			println("wrong message", i)
			return
		}
		for _, v := range m.data {
			total += v
		}
	}
	println("total", total)
	// Unbuffered, between goroutines, with garbage on both sides.
	ping := make(chan []int)
	done := make(chan int)
	go func() {
		sum := 0
		for v := range ping {
			churn(100)
			sum += v[len(v)-1]
		}
		done <- sum
	}()
	for i := 0; i < 2000; i++ {
		v := make([]int, 100)
		v[99] = i
		ping <- v
	}
	close(ping)
	println("received sum", <-done)
}
