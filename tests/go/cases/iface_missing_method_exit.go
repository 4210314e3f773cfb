package main

// A failed assertion to an interface type names the missing method.

type walker interface{ walk() }

type rock struct{}

func main() {
	var v interface{} = rock{}
	w := v.(walker)
	w.walk()
}
