package main

var lo, hi = 2, 9

func main() {
	s := make([]byte, 4, 6)
	println(len(s[lo:]), cap(s[:lo]))
	t := s[lo:hi]
	println(len(t))
}
