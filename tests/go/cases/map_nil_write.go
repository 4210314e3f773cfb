package main

// Writing to a nil map panics with Go's message.

func main() {
	var m map[string]int
	println("reading is fine:", m["a"])
	m["a"] = 1
	println("unreached")
}
