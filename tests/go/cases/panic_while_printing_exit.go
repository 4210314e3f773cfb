// A panic inside the Error method of the value an unrecovered panic prints ends the
// program with Go's "fatal error: panic while printing panic value" and status 2.
package main

type E struct{}

func (E) Error() string { panic("inner boom") }

func main() {
	println("start")
	panic(E{})
}
