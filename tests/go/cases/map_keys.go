package main

// Map keys of many kinds: structs, arrays, interfaces, floats, pointers, bools, small
// and large values.

type point struct {
	x, y int
}

type name struct {
	first, last string
}

type big struct {
	a [40]int
	s string
}

func main() {
	pm := map[point]string{}
	pm[point{1, 2}] = "a"
	pm[point{2, 1}] = "b"
	pm[point{1, 2}] = "c"
	println(len(pm), pm[point{1, 2}], pm[point{2, 1}], pm[point{3, 3}] == "")

	nm := map[name]int{{"ada", "lovelace"}: 1815, {"alan", "turing"}: 1912}
	println(nm[name{"ada", "lovelace"}], nm[name{"alan", "turing"}], len(nm))

	am := map[[3]byte]int{}
	am[[3]byte{1, 2, 3}] = 6
	am[[3]byte{3, 2, 1}] = 7
	println(am[[3]byte{1, 2, 3}], am[[3]byte{3, 2, 1}], am[[3]byte{0, 0, 0}])

	im := map[interface{}]string{}
	im[1] = "int 1"
	im["1"] = "string 1"
	im[int64(1)] = "int64 1"
	im[point{1, 1}] = "point"
	im[nil] = "nil"
	im[true] = "true"
	println(len(im), im[1], im["1"], im[int64(1)], im[point{1, 1}], im[nil], im[true], im[false] == "")

	fm := map[float64]int{}
	fm[1.5] = 1
	fm[2.5] = 2
	fm[-0.0] = 3
	println(fm[1.5], fm[2.5], fm[0.0], len(fm))

	// NaN is not equal to itself: every NaN key is a new entry that no lookup finds
	var zero float64
	nan := zero / zero
	nm2 := map[float64]int{}
	nm2[nan] = 1
	nm2[nan] = 2
	nm2[1] = 10
	delete(nm2, nan)
	nanSum := 0
	for k, v := range nm2 {
		if k != k {
			nanSum += v
		}
	}
	_, found := nm2[nan]
	println("nan keys", len(nm2), nanSum, found)

	// structs with padding, as map keys directly and inside interfaces
	type padded struct {
		a int8
		b int64
		c int16
	}
	pm2 := map[padded]int{{1, 2, 3}: 6}
	var pk padded
	pk.a, pk.b, pk.c = 1, 2, 3
	im2 := map[interface{}]int{pk: 7}
	println("padded", pm2[pk], im2[padded{1, 2, 3}])

	a, b := new(int), new(int)
	ptrs := map[*int]string{a: "a", b: "b"}
	println(ptrs[a], ptrs[b], len(ptrs))

	bm := map[bool]int{true: 1, false: 0}
	bm[true] += 10
	println(bm[true], bm[false])

	var bg big
	bg.a[39] = 5
	bg.s = "x"
	bgm := map[big]int{bg: 99}
	var bg2 big
	bg2.a[39] = 5
	bg2.s = "x"
	println(bgm[bg2], len(bgm))

	i32 := map[int32]int32{}
	u64 := map[uint64]bool{}
	for i := int32(0); i < 300; i++ {
		i32[i] = i * i
		u64[uint64(i)<<40] = true
	}
	println(i32[17], len(i32), u64[uint64(17)<<40], u64[17], len(u64))

	// Values that are large and structured.
	vm := map[string][]int{}
	vm["a"] = append(vm["a"], 1, 2)
	vm["a"] = append(vm["a"], 3)
	println(len(vm["a"]), vm["a"][2])
	sm := map[int]point{}
	sm[1] = point{5, 6}
	p := sm[1]
	println(p.x, p.y)
	mm := map[string]map[string]int{}
	mm["x"] = map[string]int{"y": 1}
	mm["x"]["z"] = 2
	println(len(mm["x"]), mm["x"]["z"])
}
