package main

type code int

func check(c code) {
	if c > 40 {
		panic(c)
	}
}

func main() {
	check(7)
	check(42)
}
