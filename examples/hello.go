// hello: the println builtin with each kind of basic value.
package main

func main() {
	println("hello, GoOS")
	println("ints:", 0, 42, -7, int64(-9223372036854775808), uint64(18446744073709551615))
	println("bool:", true, false)
	var s []int
	for i := 0; i < 10; i++ {
		s = append(s, i*i)
	}
	println("squares:", len(s), cap(s) >= 10, s[9])
	a, b := "go", "os"
	c := a + b
	println(c, c == "goos", c < "gop", len(c))
	print("no newline", 1, "\n")
	println(1.5, -0.25, 1e100)
	println(uint8(255), int8(-128), 'x')
}
