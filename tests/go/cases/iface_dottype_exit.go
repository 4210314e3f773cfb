package main

// A failed type assertion without ok panics with Go's message.

func main() {
	var v interface{} = "text"
	println("before")
	n := v.(int)
	println(n)
}
