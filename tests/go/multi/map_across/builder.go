// A map built by one program and used by another (DESIGN.md, "Maps"): each program seeds
// its maps' hashes from a seed of its own, and a map keeps its seed in its header, so the
// peer finds every key the builder put in, and the builder every key the peer added.
package main

import (
	"goos"
	"strconv"
)

func main() {
	m := make(map[string]int)
	for i := 0; i < 1000; i++ {
		m["key"+strconv.Itoa(i)] = i
	}
	maps := make(chan map[string]int)
	goos.Publish("maps", maps)
	maps <- m
	m = <-maps
	found := 0
	for i := 0; i < 2000; i++ {
		if v, ok := m["key"+strconv.Itoa(i)]; ok && v == i {
			found++
		}
	}
	println("builder: found", found, "of 2000, len", len(m))
	// A map of its own made after the other program's: lookups work as before.
	own := map[int]string{1: "one", 2: "two"}
	println("builder:", own[1], own[2])
}
