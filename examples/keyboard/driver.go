// The keyboard driver (DESIGN.md's example): it publishes "keyboard", a channel of
// channels; a program subscribes by sending its own chan byte over it, and from then on
// gets every key typed. Keys come from the console: the terminal under goos-sim, the
// PS/2 keyboard and serial port in QEMU.
package main

import "goos"

func main() {
	subscribe := make(chan chan byte)
	if err := goos.Publish("keyboard", subscribe); err != nil {
		panic(err.Error())
	}
	// One subscriber at a time here; the driver ends when the input does.
	sub := <-subscribe
	buf := make([]byte, 64)
	for {
		n := goos.ReadConsole(buf)
		if n == 0 {
			break
		}
		for _, key := range buf[:n] {
			sub <- key
		}
	}
	close(sub)
}
