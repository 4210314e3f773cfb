package main

// Maps under garbage collection: keys and values that are only reachable through a map
// (fresh strings, pointers, interfaces) survive collections, entries left behind by
// growth and deletes are reclaimed, and an iteration in progress keeps what it walks.

type rec struct {
	name string
	next *rec
	vals []int
}

func key(i int) string {
	b := []byte("k-")
	for v := i; ; v /= 10 {
		b = append(b, byte('0'+v%10))
		if v < 10 {
			break
		}
	}
	return string(b)
}

func main() {
	total := 0
	for round := 0; round < 30; round++ {
		m := map[string]*rec{}
		var prev *rec
		for i := 0; i < 3000; i++ {
			r := &rec{name: key(i), next: prev, vals: make([]int, 8)}
			r.vals[7] = i
			m[r.name] = r
			prev = r
		}
		for i := 0; i < 3000; i += 3 {
			delete(m, key(i))
		}
		bad := 0
		seen := 0
		for k, r := range m {
			if r.name != k || r.vals[7] < 0 {
				bad++
			}
			// allocate while iterating
			_ = make([]byte, 256)
			seen++
		}
		for i := 1; i < 3000; i += 3 {
			r, ok := m[key(i)]
			if !ok || r.vals[7] != i {
				bad++
			}
		}
		im := map[interface{}]int{}
		for i := 0; i < 500; i++ {
			im[key(i)] = i
			im[i] = -i
		}
		if im[key(499)] != 499 || im[499] != -499 || len(im) != 1000 {
			bad++
		}
		total += seen
		if bad != 0 {
			println("round", round, "bad", bad)
		}
	}
	println("seen", total)
}
