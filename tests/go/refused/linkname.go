// goos build refuses this program: it would reach another package's symbols.
// expect: uses //go:linkname
package main

import _ "runtime"

//go:linkname fatal runtime.fatal_panic
func fatal()

func main() { fatal() }
