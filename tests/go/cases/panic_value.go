package main

type code int

func main() {
	println("about to panic")
	var c code = 42
	if c > 40 {
		panic("boom: " + "value too large")
	}
}
