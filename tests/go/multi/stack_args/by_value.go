// Frames larger than a segment, with 24 KB of arguments passed on the stack and copied onto
// each new one (runtime/morestack.S). Not among tests/go/cases: gccgo's own split stacks
// with libgo end this program with SIGSEGV, since its outgoing arguments are pushed below
// the frame its prologue checks (goos build passes -maccumulate-outgoing-args).
package main

type block struct{ a [3000]int }

func byValue(n int, b block) int {
	if n == 0 {
		return b.a[7]
	}
	b.a[n%3000] += n
	return byValue(n-1, b) + b.a[n%3000]%2
}

func main() {
	var b block
	b.a[7] = 5
	println("by value", byValue(2000, b))
	println("again", byValue(100, b))
}
