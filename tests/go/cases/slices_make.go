package main

// make with run-time lengths, copy, and the make panics.

func try(name string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			println(name, "panicked:", r.(error).Error())
		}
	}()
	f()
}

func main() {
	n := 10
	s := make([]int, n, 2*n)
	for i := range s {
		s[i] = i * i
	}
	println(len(s), cap(s), s[9])
	b := make([]byte, n)
	copy(b, "hello, world")
	println(string(b))
	strs := make([]string, 3)
	strs[1] = "x"
	println(len(strs), strs[1], strs[0] == "")
	big := make([]int64, 5000)
	big[4999] = 7
	println(len(big), big[4999])
	neg := -1
	try("len", func() { _ = make([]int, neg) })
	try("cap", func() { _ = make([]int, 5, n-8) })
	m := make(map[string]int, n)
	m["a"] = 1
	println(len(m))
}
