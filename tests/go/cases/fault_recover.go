// Faults caught by the hardware are Go panics: a nil dereference and an integer division
// by zero are recovered by deferred calls (again and again), and an unrecovered one runs
// the deferred calls before the program ends with status 2.
package main

type T struct{ x int }

var p *T
var zero = 0

func deref() (v int, err interface{}) {
	defer func() { err = recover() }()
	return p.x, nil
}

func divide() (v int, err interface{}) {
	defer func() { err = recover() }()
	return 10 / zero, nil
}

func main() {
	for i := 0; i < 3; i++ {
		_, err := deref()
		println("recovered:", err.(error).Error())
	}
	_, err := divide()
	println("recovered:", err.(error).Error())
	defer println("deferred call ran")
	println(p.x)
}
