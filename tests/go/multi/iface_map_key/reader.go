package main

import "goos"

// The builder's types, declared again here: the same structure is the same type.
type Point struct{ X, Y int }

type Label struct {
	Name string
	_    int
	W    float64
}

// Another Point, by structure: not the builder's.
type Other struct{ X, Y int32 }

func main() {
	maps := goos.Lookup("maps").(chan map[interface{}]string)
	m := <-maps
	println("reader:", m[1])
	println("reader:", m["one"])
	println("reader:", m[Point{1, 2}])
	negZero := 0.0
	negZero = -negZero
	println("reader:", m[Label{"a", 99, negZero}]) // _ is skipped, -0 == +0
	println("reader:", m[[2]interface{}{1, 2}])
	_, found := m[Other{1, 2}]
	println("reader: another type's key found:", found)
	_, found = m[int64(1)]
	println("reader: int64(1) found:", found)
	m[Point{3, 4}] = "the reader's point (3, 4)"
	maps <- m
}
