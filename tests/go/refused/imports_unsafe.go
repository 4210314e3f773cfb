// goos build refuses this program: GoOS isolation rests on Go's memory safety.
// expect: imports unsafe
package main

import (
	"unsafe"
)

func main() {
	x := 1
	println(*(*int)(unsafe.Pointer(uintptr(unsafe.Pointer(&x)))))
}
