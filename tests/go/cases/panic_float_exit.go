package main

// Unrecovered panics with float and complex values print them as print does; a named
// float type shows its name.

type celsius float64

func main() {
	defer func() {
		r := recover()
		println("recovered", r.(float64))
		defer func() {
			recover()
			panic(celsius(-40))
		}()
		panic(complex(1, -2))
	}()
	panic(2.5)
}
