// os.Stdout, os.Stderr and os.Stdin over the console, through io and bufio; opening a path
// fails (GoOS has no file system; on Linux the path does not exist); no environment.
package main

import (
	"bufio"
	"errors"
	"io"
	"os"
)

func main() {
	os.Stdout.WriteString("hello from os.Stdout\n")
	n, err := os.Stdout.Write([]byte("bytes written\n"))
	println(n, err == nil)
	io.WriteString(os.Stderr, "to os.Stderr\n")
	w := bufio.NewWriter(os.Stdout)
	w.WriteString("buffered ")
	w.WriteString("line\n")
	w.Flush()
	println(os.Stdout.Name(), os.Stderr.Name(), os.Stdin.Name(), os.Stdout.Fd())

	// (No read of os.Stdin: on x86-64 the serial console's input never ends unless a
	// Ctrl-D is typed, and this program runs there too.)
	n, err = os.Stdin.Write([]byte("x"))
	println("write to stdin:", n, err.Error())

	f, err := os.Open("/nonexistent/goos/file")
	println(f == nil, err != nil, errors.Is(err, os.ErrNotExist))
	var pe *os.PathError
	println(errors.As(err, &pe), pe.Op, pe.Path)

	println(os.Getenv("GOOS_SURELY_UNSET_VARIABLE") == "")
	v, ok := os.LookupEnv("GOOS_SURELY_UNSET_VARIABLE")
	println(v == "", ok)
}
