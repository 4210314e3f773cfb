// An interface compared with a value of a concrete type (runtime.efacevaleq and
// ifacevaleq): equal only when the dynamic type is that type and the values are equal.
package main

type Stringer interface{ String() string }

type Point struct{ X, Y int }

func (p Point) String() string { return "point" }

type Name string

func (n Name) String() string { return string(n) }

type Ptr struct{ p *int }

func (p *Ptr) String() string { return "ptr" }

func main() {
	var e interface{} = 5
	println(e == 5, e == 6, e == "5", e == int64(5))
	e = "go"
	println(e == "go", e == "og", e == 5)
	e = Point{1, 2}
	println(e == Point{1, 2}, e == Point{2, 1})
	e = nil
	println(e == 5)
	e = 2.5
	println(e == 2.5, e == float32(2.5))

	var s Stringer = Point{3, 4}
	println(s == Point{3, 4}, s == Point{4, 3}, s == Name("point"))
	s = Name("n")
	println(s == Name("n"), s == Name("m"), s == Point{})
	v := &Ptr{}
	s = v
	println(s == v, s == &Ptr{})
	s = nil
	println(s == Name(""))

	var ch = make(chan int)
	e = ch
	println(e == ch, e == make(chan int))
}
