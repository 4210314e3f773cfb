// Capacity growth after append matches Go's rule and size classes exactly.
package main

func main() {
	var b []byte
	var w []int64
	var s []string
	for i := 0; i < 3000; i++ {
		ob, ow, os := cap(b), cap(w), cap(s)
		b = append(b, byte(i))
		w = append(w, int64(i))
		s = append(s, "x")
		if cap(b) != ob || cap(w) != ow || cap(s) != os {
			println(i, cap(b), cap(w), cap(s))
		}
	}
	x := append([]int{1, 2, 3}, 4, 5, 6, 7)
	println(len(x), cap(x), x[6])
	str := string([]byte{'o', 'k'})
	bs := []byte("bytes from a string that is long enough to escape")
	println(str, len(bs), string(bs[:5]))
}
