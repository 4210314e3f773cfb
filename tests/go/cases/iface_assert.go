package main

// Type assertions and type switches on empty and non-empty interfaces.

type stringer interface{ String() string }

type color int

func (c color) String() string {
	switch c {
	case 0:
		return "red"
	case 1:
		return "green"
	}
	return "other"
}

type pair struct{ a, b int }

func describe(v interface{}) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case int:
		if x > 10 {
			return "big int"
		}
		return "int"
	case string:
		return "string " + x
	case stringer:
		return "stringer " + x.String()
	case pair:
		if x.a == x.b {
			return "equal pair"
		}
		return "pair"
	case *pair:
		return "pair pointer"
	case []int:
		return "slice"
	case error:
		return "error " + x.Error()
	case bool, float64:
		return "bool or float"
	default:
		return "unknown"
	}
}

type oops struct{}

func (oops) Error() string { return "oops" }

func main() {
	vals := []interface{}{nil, 3, 30, "hi", color(1), pair{1, 1}, pair{1, 2}, &pair{}, []int{1}, oops{}, true, 2.5, uint8(1)}
	for _, v := range vals {
		println(describe(v))
	}
	var e interface{} = 42
	n, ok := e.(int)
	println(n, ok)
	s, ok := e.(string)
	println(s == "", ok)
	_, ok = e.(stringer)
	println("42 is stringer:", ok)
	var st stringer = color(0)
	c, ok := st.(color)
	println(c.String(), ok)
	e = st
	println(e.(stringer).String(), e.(color) == 0)
	var err error = oops{}
	if _, ok := err.(stringer); !ok {
		println("error is not a stringer")
	}
	var nilIface interface{}
	_, ok = nilIface.(int)
	println("nil to int", ok)
	_, ok = nilIface.(stringer)
	println("nil to stringer", ok)
}
