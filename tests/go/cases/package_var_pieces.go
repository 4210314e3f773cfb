// Package variables whose initial values point into each other and into the static arrays
// gccgo makes for literals: goos build records each array whole, however many pointers
// and slices start inside it (tools/goos-vars merges the pieces), and the runtime's check
// of gccgo's root lists against the records passes before main runs.
package main

type T struct {
	P *int
	F func() int
}

var x = 3
var arr = [4]T{{P: &x}, {P: &x}, {P: &x}, {P: &x, F: func() int { return 9 }}}
var p = &arr[0]
var s = arr[1:3]
var lit = []T{{P: &x}, {P: &x, F: func() int { return 7 }}}
var lp = &lit[1]
var nested = [][]*int{{&x}, {&x, &x}}

func main() {
	println(*p.P, len(s), *s[0].P, arr[3].F(), lp.F(), len(lit), len(nested[1]), *nested[1][1])
}
