// A subscriber of the keyboard driver: it looks the driver up, sends its own channel over
// the driver's, and echoes each line typed, counting lines until the input ends.
package main

import "goos"

func main() {
	keyboard := goos.Lookup("keyboard").(chan chan byte)
	keys := make(chan byte, 16)
	keyboard <- keys
	line := make([]byte, 0, 80)
	lines := 0
	for key := range keys {
		if key != '\n' {
			line = append(line, key)
			continue
		}
		lines++
		println("shell:", string(line))
		line = line[:0]
	}
	println("shell: input ended after", lines, "lines")
}
