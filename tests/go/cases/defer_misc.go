package main

// Less common defer forms: `defer recover()` (no effect: recover is not called by a
// deferred function), deferred method values and closures over loop variables, defers
// in a loop (heap records), a deferred call that itself defers and recovers, and
// recover's value when the panic value is nil-able.

type logger struct{ lines []string }

func (l *logger) add(s string) { l.lines = append(l.lines, s) }

func directRecover() (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			ok = true
		}
	}()
	defer recover() // does not stop the panic
	panic("direct")
}

func loopDefers(n int) (s string) {
	l := &logger{}
	func() {
		for i := 0; i < n; i++ {
			defer l.add(string(rune('a' + i)))
		}
	}()
	for _, x := range l.lines {
		s += x
	}
	return s
}

func nestedDefer() (r string) {
	defer func() {
		defer func() {
			if v := recover(); v != nil {
				r = "inner recovered " + v.(string)
			}
		}()
		panic("from deferred call")
	}()
	return "normal"
}

type wrapped struct{ err error }

func (w wrapped) Error() string { return "wrapped: " + w.err.Error() }

type plain struct{}

func (plain) Error() string { return "plain" }

func errorValue() (e error) {
	defer func() {
		e = recover().(error)
	}()
	panic(wrapped{plain{}})
}

func main() {
	println("direct:", directRecover())
	println("loop:", loopDefers(6))
	println("nested:", nestedDefer())
	println("error:", errorValue().Error())
	total := 0
	for i := 0; i < 1000; i++ {
		func() {
			defer func() { total += i }()
		}()
	}
	println("total:", total)
}
