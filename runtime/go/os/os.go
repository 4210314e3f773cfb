// Package os is GoOS's part of Go's os package, with Go's signatures: Exit, Args, Getpid,
// the console as Stdin, Stdout and Stderr (file.go), and the environment. GoOS has no
// files or processes in the Unix sense (DESIGN.md: files come as programs that publish
// channels), so opening a path fails, saying so.
package os

// Args holds the command-line arguments, starting with the program name: the name the
// kernel gave the program (its image's file name without .elf). The kernel passes no
// arguments yet.
var Args = []string{programName()}

// Implemented by the runtime (runtime/start.cpp).
func programName() string

// Exit ends the program at once with the given status code: deferred functions do not
// run, and every goroutine ends with it. As in Go, 0 means success.
func Exit(code int) {
	exit(code)
}

// exit ends the program through the kernel's exit syscall (runtime/std.cpp).
func exit(code int)

// Getpid returns the process id the kernel gave this program.
func Getpid() int {
	return int(getpid())
}

// getpid asks the kernel (runtime/std.cpp).
func getpid() int64
