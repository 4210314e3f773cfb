package main

// Each goroutine has its own defers and panics: goroutines panic and recover at the same
// time without disturbing each other.

func worker(id int, done chan int) {
	total := 0
	for i := 0; i < 50; i++ {
		func() {
			defer func() {
				if r := recover(); r != nil {
					total += r.(int)
				}
			}()
			defer func() { total++ }()
			if i%2 == 0 {
				panic(id)
			}
		}()
	}
	done <- total
}

func main() {
	done := make(chan int)
	for id := 1; id <= 4; id++ {
		go worker(id, done)
	}
	sum := 0
	for id := 1; id <= 4; id++ {
		sum += <-done
	}
	println("sum", sum)
}
