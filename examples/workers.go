// A worker pool: jobs on one channel, results on another, a fixed number of goroutines.
package main

type result struct {
	job, value, worker int
}

func collatz(n int) int {
	steps := 0
	for n != 1 {
		if n%2 == 0 {
			n /= 2
		} else {
			n = 3*n + 1
		}
		steps++
	}
	return steps
}

func worker(id int, jobs <-chan int, results chan<- result) {
	for j := range jobs {
		results <- result{j, collatz(j), id}
	}
}

func main() {
	const nworkers, njobs = 4, 1000
	jobs := make(chan int, 16)
	results := make(chan result, 16)
	for w := 1; w <= nworkers; w++ {
		go worker(w, jobs, results)
	}
	go func() {
		for j := 1; j <= njobs; j++ {
			jobs <- j
		}
		close(jobs)
	}()
	total, longest, at := 0, 0, 0
	var perWorker [nworkers + 1]int
	for i := 0; i < njobs; i++ {
		r := <-results
		total += r.value
		perWorker[r.worker]++
		if r.value > longest || (r.value == longest && r.job < at) {
			longest, at = r.value, r.job
		}
	}
	done := 0
	for w := 1; w <= nworkers; w++ {
		done += perWorker[w]
	}
	println("jobs done:", done)
	println("total steps:", total)
	println("longest:", longest, "steps, from", at)
}
