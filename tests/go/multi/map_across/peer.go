package main

import (
	"goos"
	"strconv"
)

func main() {
	maps := goos.Lookup("maps").(chan map[string]int)
	m := <-maps
	found := 0
	for i := 0; i < 1000; i++ {
		if m["key"+strconv.Itoa(i)] == i {
			found++
		}
	}
	for i := 1000; i < 2000; i++ {
		m["key"+strconv.Itoa(i)] = i
	}
	delete(m, "key0")
	m["key0"] = 0
	println("peer: found", found, "of 1000; added 1000")
	maps <- m
}
