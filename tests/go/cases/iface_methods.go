package main

// Method calls through interfaces holding structs, pointers and small values; embedded
// interfaces; converting between interface types; closures and method values.

type shape interface {
	area() int
	name() string
}

type rect struct{ w, h int }

func (r rect) area() int     { return r.w * r.h }
func (r rect) name() string  { return "rect" }

type square struct{ s int }

func (q *square) area() int    { return q.s * q.s }
func (q *square) name() string { return "square" }
func (q *square) grow()        { q.s++ }

type celsius int

func (c celsius) area() int    { return int(c) }
func (c celsius) name() string { return "celsius" }

type grower interface {
	shape
	grow()
}

func total(shapes []shape) int {
	t := 0
	for _, s := range shapes {
		t += s.area()
	}
	return t
}

type adder struct{ n int }

func (a adder) add(x int) int { return a.n + x }

func main() {
	sq := &square{3}
	shapes := []shape{rect{2, 3}, sq, celsius(7)}
	for _, s := range shapes {
		println(s.name(), s.area())
	}
	println("total", total(shapes))
	var g grower = sq
	g.grow()
	println("grown", g.area(), sq.s)
	var s shape = g
	println("as shape", s.name())
	if g2, ok := s.(grower); ok {
		g2.grow()
		println("shape->grower ok", sq.s)
	}
	if _, ok := shapes[0].(grower); !ok {
		println("rect is not a grower")
	}
	f := adder{10}.add
	println("method value", f(5))
	h := adder.add
	println("method expr", h(adder{1}, 2))
	mk := func(base int) func(int) int {
		return func(x int) int { base += x; return base }
	}
	acc := mk(100)
	acc(1)
	println("closure", acc(2))
	var e interface{} = sq
	if sh, ok := e.(shape); ok {
		println("eface->shape", sh.name())
	}
	var nilShape shape
	println("nil iface", nilShape == nil)
}
