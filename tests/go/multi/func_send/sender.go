// Only data crosses programs (DESIGN.md, "Sending"): a send whose value holds a func value
// panics in the sender when another program may receive it, whether the func is the value
// itself, a field, or inside an interface; on a channel of its own it goes, as in Go.
package main

import "goos"

type Job struct {
	N  int
	Do func(int) int
}

func try(name string, f func()) {
	defer func() {
		if e, ok := recover().(error); ok {
			println("sender:", name, "panics:", e.Error())
		}
	}()
	f()
	println("sender:", name, "went")
}

func main() {
	own := make(chan func() int, 1)
	own <- func() int { return 7 }
	println("sender: own channel gives", (<-own)())

	funcs := goos.Lookup("funcs").(chan func() int)
	jobs := goos.Lookup("jobs").(chan Job)
	anys := goos.Lookup("anys").(chan []interface{})
	ack := goos.Lookup("ack").(chan int)
	k := 3
	try("func", func() { funcs <- func() int { return k } })
	try("field", func() { jobs <- Job{1, func(x int) int { return x + k }} })
	try("interface", func() { anys <- []interface{}{1, "two", func() {}} })
	try("nil func", func() { jobs <- Job{2, nil}; <-ack })
	close(jobs)
}
