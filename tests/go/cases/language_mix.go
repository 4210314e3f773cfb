// A mix of everyday constructs: copy of pointerful slices, struct and array equality,
// string switches, error returns, maps keyed by structs, closures in arrays, complex numbers.
package main

type P struct {
	a int
	s string
}

type E struct{ msg string }

func (e *E) Error() string { return e.msg }

func find(xs []string, x string) (int, error) {
	for i, v := range xs {
		if v == x {
			return i, nil
		}
	}
	return -1, &E{"not found: " + x}
}

func main() {
	a := []string{"x", "y", "z"}
	b := make([]string, 2)
	n := copy(b, a)
	println(n, b[0], b[1])
	ps := []P{{1, "a"}, {2, "b"}}
	qs := make([]P, len(ps))
	copy(qs, ps)
	println(qs[1].s, ps[0] == qs[0])
	var arr [4]P
	arr[2] = P{3, "c"}
	arr2 := arr
	println(arr == arr2)
	switch s := a[1]; s {
	case "x":
		println("x")
	case "y":
		println("is y")
	}
	if _, err := find(a, "q"); err != nil {
		println(err.Error())
	}
	var ip *int
	x := 5
	ip = &x
	*ip += 2
	println(x)
	m := map[P][]int{}
	m[P{1, "a"}] = append(m[P{1, "a"}], 1)
	println(len(m[P{1, "a"}]))
	ch := make(chan P, 2)
	ch <- P{1, "z"}
	println((<-ch).s)
	fs := [3]func(int) int{}
	for i := range fs {
		k := i
		fs[i] = func(v int) int { return v * k }
	}
	println(fs[2](21))
	var iface interface{} = ps
	if v, ok := iface.([]P); ok {
		println(len(v))
	}
	rs := []rune("héllo")
	rs = append(rs, '!')
	println(string(rs[1:]))
	bs := []byte("abc")
	bs = append(bs, "def"...)
	println(string(bs))
	var u8 uint8 = 200
	u8 += 100
	println(u8)
	f := 3.5
	println(int(f), f*2)
	c := complex(1, 2)
	println(real(c), imag(c*c))
}
