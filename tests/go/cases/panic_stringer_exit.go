package main

// An unrecovered panic whose value has a String method prints that text.

type level int

func (l level) String() string { return "level-" + string(rune('0'+int(l))) }

func main() {
	defer func() {
		println("deferred sees", recover() == nil)
		panic(level(3))
	}()
	panic(level(1))
}
