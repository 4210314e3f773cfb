package main

// An index error runs deferred calls, then ends the program like Go.

func get(s []int, i int) int { return s[i] }

func main() {
	defer println("deferred 1")
	defer func() {
		println("deferred 2")
	}()
	println(get([]int{1, 2}, 3))
}
