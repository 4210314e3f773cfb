// 100 worker goroutines of one program fed 5,000 *job values, in a 16 MiB pool
// (goos-sim.args). Before, the program ran out of memory: each send pinned its span.
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
		for i := 0; i < 5000; i++ {
			jobs <- &job{i, []int{i, i, i}}
		}
		close(jobs)
	}()
	total := 0
	for i := 0; i < 5000; i++ {
		total += <-results
	}
	println("total", total)
}
