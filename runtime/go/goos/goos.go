// Package goos is how Go programs reach GoOS itself, beyond what the language gives.
// This first slice offers the calls that need no more than the syscall ABI.
package goos

// Yield lets other goroutines run.
func Yield() { yield() }

// Pid is this program's process id.
func Pid() int { return int(getpid()) }

//extern goos_rt_yield
func yield()

//extern goos_rt_getpid
func getpid() int64
