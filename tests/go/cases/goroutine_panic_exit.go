package main

// A panic nobody recovers in another goroutine ends the whole program with status 2,
// after that goroutine's deferred calls ran.

func worker(done chan bool) {
	defer println("worker's deferred call")
	var m map[int]int
	m[1] = 2
	done <- true
}

func main() {
	done := make(chan bool)
	go worker(done)
	<-done
	println("unreached")
}
