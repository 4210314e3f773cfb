// Converting a slice to an array pointer checks the slice's length; the panic names the
// slice's length first, as Go's does.
package main

func convert(s []int) (p *[4]int, msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = r.(error).Error()
		}
	}()
	return (*[4]int)(s), "ok"
}

func main() {
	_, msg := convert(make([]int, 2))
	println(msg)
	p, msg := convert(make([]int, 6))
	println(len(p), msg)
	_, msg = convert(nil)
	println(msg)
}
