package main

// An unrecovered panic with an error value prints its Error() text.

type failure struct{ what string }

func (f failure) Error() string { return "failure: " + f.what }

func main() {
	defer println("deferred call runs before the program dies")
	var err error = failure{"disk on fire"}
	panic(err)
}
