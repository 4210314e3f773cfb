package main

func main() {
	var c chan int
	println("closing nil")
	close(c)
}
