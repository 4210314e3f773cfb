package main

// Runtime errors are panics that recover turns into runtime.Error values whose Error()
// text is Go's.

func try(name string, f func()) {
	defer func() {
		r := recover()
		if r == nil {
			println(name, ": no panic")
			return
		}
		if e, ok := r.(error); ok {
			println(name, ":", e.Error())
		} else {
			println(name, ": not an error")
		}
	}()
	f()
}

var sink int

func main() {
	s := []int{1, 2, 3}
	i := 5
	try("index", func() { sink = s[i] })
	try("slice", func() { _ = s[1:i] })
	var m map[string]int
	try("nil map", func() { m["a"] = 1 })
	z := 0
	try("divide", func() { sink = 10 / z })
	try("string index", func() { str := "abc"; sink = int(str[i]) })
	var x interface{} = "str"
	try("assert", func() { sink = x.(int) })
	try("ok", func() { sink = s[2] })
	println("sink", sink)
}
