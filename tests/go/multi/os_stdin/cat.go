// Reads the console through os.Stdin (bufio.Scanner over File.Read) until its end, which
// Read reports as io.EOF, and writes each line back through os.Stdout.
package main

import (
	"bufio"
	"os"
)

func main() {
	sc := bufio.NewScanner(os.Stdin)
	lines := 0
	for sc.Scan() {
		lines++
		os.Stdout.WriteString("cat: " + sc.Text() + "\n")
	}
	// The end is io.EOF, which Scanner does not report as an error. (Not read again: after
	// a Ctrl-D, x86-64's serial console waits for more input, as a terminal does, while
	// goos-sim's standard input stays at its end.)
	println("cat:", lines, "lines, error:", sc.Err() == nil)
}
