package main

// Deferred calls run newest first, see their arguments as evaluated at the defer
// statement, can change named results, and run once per loop iteration.

var trace []int

func record(i int) { trace = append(trace, i) }

func three() {
	defer record(1)
	defer record(2)
	defer record(3)
	record(0)
}

func loop(n int) {
	for i := 0; i < n; i++ {
		defer record(10 + i)
	}
}

func named() (r int) {
	defer func() { r *= 2 }()
	r = 21
	return r
}

func args() {
	x := 5
	defer println("deferred x =", x)
	x = 6
	println("x now", x)
}

type counter struct{ n int }

func (c *counter) inc() { c.n++ }

func method() int {
	c := &counter{}
	func() {
		defer c.inc()
		defer c.inc()
	}()
	return c.n
}

func main() {
	three()
	loop(4)
	for _, v := range trace {
		print(v, " ")
	}
	println()
	println("named:", named())
	args()
	println("method defers:", method())
	closureCount := 0
	for i := 0; i < 3; i++ {
		func() {
			defer func() { closureCount += i }()
		}()
	}
	println("closure sum:", closureCount)
}
