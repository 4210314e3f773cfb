package main

// Iteration visits each entry once, also while entries are deleted (deleted ones are not
// seen) and while the map grows; clearing a map by deleting every key in a range loop.

func main() {
	m := map[int]bool{}
	for i := 0; i < 500; i++ {
		m[i] = true
	}
	seen := map[int]int{}
	for k := range m {
		seen[k]++
	}
	dups := 0
	for _, c := range seen {
		if c != 1 {
			dups++
		}
	}
	println("seen", len(seen), "dups", dups)

	// delete entries while iterating: a deleted entry is never visited later, and every
	// entry is either visited or deleted before its turn
	deleted := map[int]bool{}
	visitedSet := map[int]bool{}
	bad := 0
	next := 0
	for k := range m {
		if deleted[k] || visitedSet[k] {
			bad++
		}
		visitedSet[k] = true
		for next < 500 && (next == k || deleted[next] || visitedSet[next]) {
			next++
		}
		if next < 500 {
			delete(m, next)
			deleted[next] = true
		}
	}
	missing := 0
	for i := 0; i < 500; i++ {
		if !visitedSet[i] && !deleted[i] {
			missing++
		}
	}
	println("bad", bad, "missing", missing, "left+deleted", len(m)+len(deleted))

	// clear by range-delete
	c := map[string]int{"a": 1, "b": 2, "c": 3, "d": 4}
	for k := range c {
		delete(c, k)
	}
	println("cleared", len(c))
	c["e"] = 5
	println("reuse", len(c), c["e"])

	// insert while iterating: each original key still seen exactly once
	g := map[int]int{0: 0, 1: 1, 2: 2}
	orig := 0
	for k := range g {
		if k < 3 {
			orig++
		}
		if len(g) < 100 {
			g[k+1000+len(g)] = 1
		}
	}
	println("orig seen", orig)

	// the map grows (moves to new storage) in the middle of an iteration: each original
	// key is still seen once, and deleted ones not at all
	h := map[int]int{}
	for i := 0; i < 10; i++ {
		h[i] = i
	}
	seenOrig := map[int]int{}
	firstSeen := -1
	for k := range h {
		if k < 10 {
			seenOrig[k]++
		}
		if firstSeen < 0 {
			firstSeen = k
			for j := 100; j < 2100; j++ {
				h[j] = j
			}
			for j := 0; j < 10; j++ {
				if j != k && j%2 == 0 {
					delete(h, j)
				}
			}
		}
	}
	onceEach, odd, deletedSeen := true, 0, 0
	for k, c := range seenOrig {
		onceEach = onceEach && c == 1
		if k%2 == 1 {
			odd++
		} else if k != firstSeen {
			deletedSeen++
		}
	}
	println("grown mid-iteration: once each", onceEach, "odd keys seen", odd, "deleted seen", deletedSeen, "len", len(h)-(1-firstSeen%2))

	// values through range with both k and v, and modification of values
	w := map[string]int{"x": 1, "y": 2}
	for k, v := range w {
		w[k] = v * 10
	}
	println(w["x"], w["y"])
}
