// goos build refuses this program: it would call foreign code behind the compiler's back.
// expect: uses //extern
package main

//extern goos_rt_yield
func yield()

func main() { yield() }
