package main

// Closures capturing variables, recursive closures, function values in maps and slices,
// methods on value and pointer receivers, embedded structs.

type animal struct{ name string }

func (a animal) hello() string { return "I am " + a.name }

type dog struct {
	animal
	tricks int
}

func (d *dog) learn() { d.tricks++ }

type op func(int, int) int

func apply(f op, a, b int) int { return f(a, b) }

func main() {
	counter := func() func() int {
		n := 0
		return func() int { n++; return n }
	}()
	counter()
	counter()
	println("counter", counter())

	var fib func(int) int
	fib = func(n int) int {
		if n < 2 {
			return n
		}
		return fib(n-1) + fib(n-2)
	}
	println("fib", fib(20))

	ops := map[string]op{
		"add": func(a, b int) int { return a + b },
		"mul": func(a, b int) int { return a * b },
	}
	println(apply(ops["add"], 3, 4), apply(ops["mul"], 3, 4))
	fs := []func() int{}
	for i := 0; i < 3; i++ {
		j := i
		fs = append(fs, func() int { return j * j })
	}
	for _, f := range fs {
		print(f(), " ")
	}
	println()
	d := &dog{animal{"rex"}, 0}
	d.learn()
	d.learn()
	println(d.hello(), d.tricks)
	h := d.hello
	d.name = "max"
	println(h())
	var nilf func()
	println("nil func", nilf == nil)
}
