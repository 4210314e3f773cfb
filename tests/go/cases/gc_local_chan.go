// Values buffered in a channel that only this program holds are sent without a walk
// (DESIGN.md, "Local channels move nothing"), so nothing but the channel reaches them:
// the collector must take them as roots, or it frees them and the allocations below
// reuse their memory. Then the same through goroutines, a select and a nested channel.
package main

import "runtime"

type Node struct {
	V    int
	Next *Node
	S    []int
}

func fill(c chan *Node, n, base int) {
	for i := 0; i < n; i++ {
		c <- &Node{V: base + i, Next: &Node{V: -(base + i)}, S: make([]int, 10)}
	}
}

func churn() {
	for r := 0; r < 4; r++ {
		runtime.GC()
		var junk [][]int
		for i := 0; i < 3000; i++ {
			s := make([]int, 10)
			for j := range s {
				s[j] = 0x5a5a
			}
			junk = append(junk, s)
		}
		_ = junk
	}
}

func drain(c chan *Node, n, base int) int {
	sum := 0
	for i := 0; i < n; i++ {
		x := <-c
		if x.V != base+i || x.Next.V != -(base+i) || len(x.S) != 10 || x.S[3] != 0 {
			println("bad value", i, x.V, x.Next.V)
		}
		sum += x.V
	}
	return sum
}

func main() {
	c := make(chan *Node, 1000)
	fill(c, 1000, 0)
	churn()
	println("buffered:", drain(c, 1000, 0))

	// Filled by a goroutine through select, a channel of channels in between.
	outer := make(chan chan *Node, 1)
	done := make(chan bool)
	go func() {
		inner := make(chan *Node, 100)
		for i := 0; i < 100; i++ {
			select {
			case inner <- &Node{V: 5000 + i, Next: &Node{V: -(5000 + i)}, S: make([]int, 10)}:
			case <-done:
			}
		}
		outer <- inner
		done <- true
	}()
	<-done
	churn()
	println("nested:", drain(<-outer, 100, 5000))

	// Workers over unbuffered channels: values handed straight from goroutine to goroutine.
	jobs := make(chan *Node)
	results := make(chan int, 8)
	for w := 0; w < 8; w++ {
		go func() {
			s := 0
			for j := range jobs {
				s += j.V + j.Next.V + len(j.S)
			}
			results <- s
		}()
	}
	fill(jobs, 10000, 0)
	close(jobs)
	total := 0
	for w := 0; w < 8; w++ {
		total += <-results
	}
	println("workers:", total)
}
