package main

// A panic inside a deferred call replaces the running one; the newest can be recovered,
// and a recovered panic may be re-raised.

func inner() (msg string) {
	defer func() {
		msg = recover().(string)
	}()
	defer func() {
		panic("second")
	}()
	panic("first")
}

func repanic() (msg string) {
	defer func() {
		msg = "outer got " + recover().(string)
	}()
	func() {
		defer func() {
			r := recover()
			panic("re-" + r.(string))
		}()
		panic("orig")
	}()
	return "unreached"
}

func deferRunsDuringPanic() (log string) {
	defer func() {
		recover()
		log += "c"
	}()
	defer func() { log += "b" }()
	defer func() { log += "a" }()
	panic("x")
}

func recoverTwice() (a, b bool) {
	defer func() {
		a = recover() != nil
		b = recover() != nil
	}()
	panic("once")
}

func main() {
	println(inner())
	println(repanic())
	println(deferRunsDuringPanic())
	println(recoverTwice())
	// A recovered goroutine-free loop of panics.
	n := 0
	for i := 0; i < 100; i++ {
		func() {
			defer func() {
				if recover() != nil {
					n++
				}
			}()
			if i%3 == 0 {
				panic(i)
			}
		}()
	}
	println("recovered", n)
}
