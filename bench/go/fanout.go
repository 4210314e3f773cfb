// In-program fan-out (issue 11: within 1.5x of gccgo with libgo): 100 worker goroutines of
// one program fed 200,000 *job values on one channel, their sums gathered on another. On
// GoOS each send of a *job walks the job and its slice (goroutine traffic is walked as if
// it crossed programs until channels that stay in one program skip the walk).
package main

type job struct {
	id   int
	data []int
}

func main() {
	jobs := make(chan *job)
	results := make(chan int)
	for w := 0; w < 100; w++ {
		go func() {
			for j := range jobs {
				s := 0
				for _, v := range j.data {
					s += v
				}
				results <- s
			}
		}()
	}
	go func() {
		for i := 0; i < 200000; i++ {
			jobs <- &job{i, []int{i, i, i}}
		}
		close(jobs)
	}()
	total := 0
	for i := 0; i < 200000; i++ {
		total += <-results
	}
	println("total", total)
}
