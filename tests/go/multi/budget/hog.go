// A program's budget holds on both targets (goos-sim --budget, goos.budget= on x86-64's
// command line): this one keeps 12 MiB alive under a budget of 8 MiB, and ends when its
// allocator is refused memory.
package main

func main() {
	var keep [][]byte
	for i := 0; i < 12; i++ {
		keep = append(keep, make([]byte, 1<<20))
	}
	println("hog: kept", len(keep), "MiB")
}
