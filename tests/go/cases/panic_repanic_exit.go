package main

// An unrecovered re-panic prints the recovered first panic with "[recovered]" and exits
// with status 2.

func main() {
	defer func() {
		r := recover()
		panic(r.(string) + " again")
	}()
	println("start")
	panic("first")
}
