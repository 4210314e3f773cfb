package main

// recover stops a panic in the deferring function, which then returns normally with its
// named results; recover outside a panic, or not called directly by the deferred
// function, returns nil.

func safeDiv(a, b int) (q int, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			println("recovered:", r.(string))
			q, ok = -1, false
		}
	}()
	if b == 0 {
		panic("division by zero requested")
	}
	return a / b, true
}

func helper() interface{} { return recover() }

func indirect() (got bool) {
	defer func() {
		// recover called by a function the deferred call calls: no effect in Go.
		if helper() != nil {
			got = true
		}
		recover()
	}()
	panic("indirect")
}

func noPanic() {
	defer func() {
		if r := recover(); r != nil {
			println("unexpected", r)
		} else {
			println("recover without panic is nil")
		}
	}()
}

func deep(n int) int {
	if n == 0 {
		panic(n)
	}
	return deep(n-1) + 1
}

func catchDeep() (v int) {
	defer func() {
		v = recover().(int) + 100
	}()
	return deep(20)
}

type myErr struct{ code int }

func (e *myErr) Error() string { return "myErr" }

func panicsErr() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = r.(error)
		}
	}()
	panic(&myErr{7})
}

func main() {
	println(safeDiv(7, 2))
	println(safeDiv(7, 0))
	println("indirect:", indirect())
	noPanic()
	println("deep:", catchDeep())
	e := panicsErr()
	println("error:", e.Error(), e.(*myErr).code)
	for i := 0; i < 3; i++ {
		q, ok := safeDiv(i, i%2)
		println(i, q, ok)
	}
	println("done")
}
