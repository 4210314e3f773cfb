package main

// Interface comparison: equal dynamic types and values, different types, nil, pointers,
// and a map keyed by interface values.

type key struct {
	a int
	b string
}

type thing interface{ id() int }

type t1 int

func (t t1) id() int { return int(t) }

type t2 struct{ v int }

func (t *t2) id() int { return t.v }

func main() {
	var a, b interface{} = 1, 1
	println("1==1", a == b)
	b = int64(1)
	println("int vs int64", a == b)
	a, b = "x", "x"
	println("strings", a == b)
	a, b = key{1, "q"}, key{1, "q"}
	println("structs", a == b)
	b = key{1, "r"}
	println("structs differ", a == b)
	a, b = nil, nil
	println("nil==nil", a == b)
	b = 0
	println("nil vs 0", a == b)

	var x, y thing = t1(3), t1(3)
	println("ifaces", x == y)
	p := &t2{3}
	x, y = p, p
	println("same pointer", x == y)
	y = &t2{3}
	println("different pointer", x == y)
	println("vs nil", x == nil)

	var e interface{} = t1(3)
	var th thing = t1(3)
	println("eface vs iface", e == th)

	m := map[interface{}]int{}
	m[key{1, "a"}] = 1
	m[key{1, "a"}] += 1
	m["s"] = 3
	m[t1(3)] = 4
	println(m[key{1, "a"}], m["s"], m[t1(3)], m[3], len(m))

	var err1, err2 error
	println("nil errors equal", err1 == err2)
	var s1, s2 interface{} = 1.5, 1.5
	println("floats", s1 == s2)
}
