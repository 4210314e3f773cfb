// A map with interface keys built in one program and read and extended in another
// (DESIGN.md, "Types mean the same in every program"): keys of every kind hash and compare
// by the kernel's layout-driven code, so the other program finds them with keys it makes
// itself, of its own types of the same structure.
package main

import "goos"

type Point struct{ X, Y int }

type Label struct {
	Name string
	_    int
	W    float64
}

func main() {
	m := map[interface{}]string{
		1:                    "the int 1",
		"one":                "the string one",
		Point{1, 2}:          "the point (1, 2)",
		Label{"a", 7, 0.0}:   "the label a at zero",
		[2]interface{}{1, 2}: "an array of interfaces",
	}
	maps := make(chan map[interface{}]string)
	goos.Publish("maps", maps)
	maps <- m
	m = <-maps
	println("builder:", m[Point{3, 4}])
	println("builder:", len(m), "keys")
}
