// Goroutine stacks grow as deep as Go lets them (split stacks, runtime/stack.h): a
// million-frame recursion, arguments passed on the stack and in float registers across a
// segment's edge, closures, a panic raised deep in a recursion
// and recovered at its top, a recovery half-way down followed by more recursion on the
// segments it left, and goroutines that recurse at the same time.
package main

func depth(n int) int {
	if n == 0 {
		return 0
	}
	return depth(n-1) + 1
}

// More integer arguments than registers: the rest travel on the stack.
func manyArgs(n, a, b, c, d, e, f, g, h, i int) int {
	if n == 0 {
		return a + b + c + d + e + f + g + h + i
	}
	return manyArgs(n-1, b, c, d, e, f, g, h, i, a) + 1
}

func floats(n int, x, y float64) float64 {
	if n == 0 {
		return x * y
	}
	return floats(n-1, x+0.5, y-0.25) + 1
}

func sink(n int) {
	if n == 0 {
		panic("bottom reached")
	}
	sink(n - 1)
}

func recovered(n int) (msg string) {
	defer func() { msg = recover().(string) }()
	sink(n)
	return "not recovered"
}

// Recovers at half depth, then recurses again from there.
func halfway(n, at int) int {
	if n == at {
		s := recovered(at)
		return len(s) + depth(200000)
	}
	return halfway(n-1, at) + 1
}

func main() {
	println("depth", depth(1000000))
	println("many args", manyArgs(300000, 1, 2, 3, 4, 5, 6, 7, 8, 9))
	println("floats", int(floats(300000, 1, 2)))
	var count func(int) int
	base := 3
	count = func(n int) int {
		if n == 0 {
			return base
		}
		return count(n-1) + 1
	}
	println("closure", count(500000))
	println("recovered:", recovered(300000))
	println("halfway", halfway(400000, 200000))
	println("depth again", depth(10))

	done := make(chan int)
	for i := 0; i < 8; i++ {
		go func(i int) { done <- depth(100000 * (i + 1)) }(i)
	}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += <-done
	}
	println("goroutines", sum)
}
