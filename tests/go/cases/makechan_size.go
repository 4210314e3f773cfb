// make(chan T, n) with a size out of range panics as Go does, and the panic can be
// recovered.
package main

func mk(n int) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = r.(error).Error()
		}
	}()
	c := make(chan int, n)
	return "made, cap " + string(rune('0'+cap(c)))
}

func main() {
	println(mk(3))
	println(mk(-1))
	n := -5
	println(mk(n))
	println(mk(1 << 62))
}
