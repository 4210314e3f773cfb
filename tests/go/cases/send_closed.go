package main

func main() {
	c := make(chan string, 2)
	c <- "a"
	close(c)
	println(<-c)
	c <- "b"
}
