// Only data crosses programs (DESIGN.md, "Sending"): a send whose value holds a func value
// panics in the sender when another program may receive it, whether the func is the value
// itself, a field, inside an interface or in a package variable a pointer reaches; on a
// channel of its own it goes, as in Go. So
// does a store of a func value into an object a send reached ("Stores into shared objects
// expose"), but not into one beside it that no send reached; a package variable is such
// an object, and so is the static array the compiler made for a slice literal, whose
// records goos build makes from DWARF ("Layout records": the compiler's root list calls a
// func value a pointer).
package main

import "goos"

type Job struct {
	N  int
	Do func(int) int
}

var pkgJob = Job{N: 5, Do: func(x int) int { return 2 * x }}
var pkgEmpty = Job{N: 6}
var table = []Job{{N: 7}, {N: 8, Do: func(x int) int { return x }}}

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
	try("package variable", func() { goos.Lookup("ptrs").(chan *Job) <- &pkgJob })

	// A func stored into an object a send reached panics as a send would; into an object
	// beside it, on the same page, which no send reached, it goes (no one else reaches it).
	ptrs := goos.Lookup("ptrs").(chan *Job)
	near := make([]*Job, 8)
	for i := range near {
		near[i] = &Job{N: 10 + i}
	}
	ptrs <- near[0]
	try("store into a sent object", func() { near[0].Do = func(x int) int { return x + k } })
	try("store beside it", func() {
		for _, j := range near[1:] {
			j.Do = func(x int) int { return x * k }
		}
	})
	println("sender: beside it gives", near[7].Do(2))
	close(jobs)
	<-ack

	vars := goos.Lookup("vars").(chan *Job)
	vars <- &pkgEmpty
	<-ack
	try("store into a sent package variable", func() { pkgEmpty.Do = func(x int) int { return x - k } })
	try("static array with a func", func() { vars <- &table[0] })
	vars <- &pkgEmpty
	<-ack
}
