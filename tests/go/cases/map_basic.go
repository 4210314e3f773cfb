package main

// Maps with int and string keys: insert, update, lookup with and without ok, delete,
// len, growth past many buckets, and iteration (sorted here, since order is random).

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func sortStrings(a []string) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

func main() {
	m := make(map[int]int)
	for i := 0; i < 1000; i++ {
		m[i*7] = i
	}
	println("len", len(m))
	sum := 0
	for k, v := range m {
		if k != v*7 {
			println("bad pair", k, v)
		}
		sum += v
	}
	println("sum", sum)
	for i := 0; i < 1000; i += 2 {
		delete(m, i*7)
	}
	println("len after delete", len(m))
	v, ok := m[14]
	println("m[14]", v, ok)
	v, ok = m[21]
	println("m[21]", v, ok)
	println("missing", m[-1])

	s := map[string]int{"one": 1, "two": 2, "three": 3}
	s["four"] = 4
	s["two"] = 22
	delete(s, "one")
	delete(s, "nothing")
	keys := []string{}
	for k := range s {
		keys = append(keys, k)
	}
	sortStrings(keys)
	for _, k := range keys {
		println(k, s[k])
	}

	small := map[int]string{}
	small[3] = "c"
	small[1] = "a"
	small[2] = "b"
	ks := []int{}
	for k := range small {
		ks = append(ks, k)
	}
	sortInts(ks)
	for _, k := range ks {
		print(k, small[k], " ")
	}
	println()

	var nilmap map[string]int
	println("nil map len", len(nilmap), nilmap["x"])
	for range nilmap {
		println("never")
	}
	delete(nilmap, "x")

	counts := map[string]int{}
	for _, w := range []string{"a", "b", "a", "c", "b", "a"} {
		counts[w]++
	}
	println("counts", counts["a"], counts["b"], counts["c"], len(counts))
}
