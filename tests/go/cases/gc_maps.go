// The collector and maps, closures, interfaces and goroutines: live structures survive
// collections forced by garbage made on several goroutines at once.
package main

type entry struct {
	key   string
	count int
	next  *entry
}

type counter interface{ get() int }

type box struct{ v int }

func (b *box) get() int { return b.v }

func main() {
	m := make(map[string]*entry)
	var list *entry
	var boxes []counter
	adders := make([]func() int, 0)
	for i := 0; i < 5000; i++ {
		k := string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676%26))
		e := &entry{key: k, count: i, next: list}
		list = e
		m[k] = e
		if i%100 == 0 {
			b := &box{i}
			boxes = append(boxes, b)
			adders = append(adders, func() int { return b.v + 1 })
		}
	}
	done := make(chan int)
	for g := 0; g < 4; g++ {
		go func(g int) {
			s := 0
			for i := 0; i < 3000; i++ {
				junk := make([]*entry, 64)
				junk[i%64] = &entry{count: i}
				s += junk[i%64].count
			}
			done <- s
		}(g)
	}
	sum := 0
	for g := 0; g < 4; g++ {
		sum += <-done
	}
	println("goroutines", sum)
	n := 0
	for e := list; e != nil; e = e.next {
		if m[e.key] == nil {
			println("lost key", e.key)
		}
		n++
	}
	total := 0
	for _, b := range boxes {
		total += b.get()
	}
	for _, f := range adders {
		total += f()
	}
	println("entries", n, len(m), "boxes", total)
}
