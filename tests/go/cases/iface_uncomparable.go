package main

// Comparing interfaces holding uncomparable values panics, and recover sees it.

func main() {
	defer func() {
		r := recover()
		println("recovered:", r.(error).Error())
	}()
	var a, b interface{} = []int{1}, []int{1}
	println(a == b)
}
