// runtime.Compiler, and MemProfileRate, which programs set to turn profiling off.
package main

import "runtime"

func main() {
	println(runtime.Compiler, runtime.GOARCH, runtime.MemProfileRate)
	runtime.MemProfileRate = 0
	println(runtime.MemProfileRate)
}
