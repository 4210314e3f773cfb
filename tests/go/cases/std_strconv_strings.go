// Go's own strconv, strings, sort, unicode and math (gccgo's libgo sources) built
// against GoOS's runtime, exercised without fmt.
package main

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

type byLen []string

func (s byLen) Len() int           { return len(s) }
func (s byLen) Less(i, j int) bool { return len(s[i]) < len(s[j]) }
func (s byLen) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

type point struct {
	x, y int
	name string
}

func main() {
	// strconv
	println(strconv.Itoa(-12345), strconv.FormatInt(255, 16), strconv.FormatUint(1<<64-1, 2))
	n, err := strconv.Atoi("4242")
	println(n, err == nil)
	_, err = strconv.Atoi("42x")
	println(err.Error())
	_, err = strconv.ParseInt("99999999999999999999", 10, 64)
	println(err.Error())
	f, _ := strconv.ParseFloat("3.25e2", 64)
	println(f == 325, strconv.FormatFloat(math.Pi, 'f', 5, 64), strconv.FormatFloat(1e21, 'g', -1, 64),
		strconv.FormatFloat(0.1, 'e', -1, 32), strconv.FormatFloat(-2.5, 'G', 3, 64))
	b, _ := strconv.ParseBool("true")
	println(b, strconv.Quote("héllo\n\"世\"\x00"), strconv.QuoteToASCII("日本"), strconv.QuoteRune('☺'))
	u, err := strconv.Unquote(`"a\tb\u00e9"`)
	println(u, err == nil)
	println(string(strconv.AppendInt([]byte("n="), -7, 10)))

	// strings
	s := "  The quick brown fox jumps over the lazy dog  "
	t := strings.TrimSpace(s)
	println(t, len(strings.Fields(t)), strings.Contains(t, "fox"), strings.Index(t, "lazy"), strings.LastIndex(t, "o"))
	println(strings.ToUpper(t), strings.ToLower("ÀÉÎ"), strings.Title("go os"))
	println(strings.Join(strings.Split("a,b,,c", ","), "|"), strings.Repeat("ab", 3), strings.Count("cheese", "e"))
	println(strings.Replace("oink oink oink", "k", "ky", 2), strings.ReplaceAll("oink oink", "oink", "moo"))
	println(strings.HasPrefix(t, "The"), strings.HasSuffix(t, "dog"), strings.TrimLeft("xxhixx", "x"), strings.TrimSuffix("a.go", ".go"))
	println(strings.EqualFold("Straße", "STRASSE"), strings.EqualFold("Go", "GO"), strings.Compare("a", "b"))
	before, after, found := strings.Cut("key=value", "=")
	println(before, after, found, strings.IndexByte("golang", 'l'), strings.IndexRune("chicken", 'k'))
	var sb strings.Builder
	for i := 0; i < 5; i++ {
		sb.WriteString(strconv.Itoa(i))
		sb.WriteByte(',')
	}
	sb.WriteRune('世')
	println(sb.String(), sb.Len())
	r := strings.NewReplacer("<", "&lt;", ">", "&gt;")
	println(r.Replace("<b>bold</b>"))
	rd := strings.NewReader("abc")
	c, _ := rd.ReadByte()
	println(c, rd.Len())
	println(strings.Map(func(r rune) rune {
		if unicode.IsUpper(r) {
			return unicode.ToLower(r)
		}
		return unicode.ToUpper(r)
	}, "Hello, Wörld"))

	// unicode
	println(unicode.IsLetter('é'), unicode.IsDigit('٣'), unicode.IsSpace('\u00a0'), unicode.Is(unicode.Han, '世'), unicode.IsPunct('!'))

	// sort
	ints := []int{5, 2, 8, 1, 9, 3}
	sort.Ints(ints)
	for _, v := range ints {
		print(v, " ")
	}
	println(sort.IntsAreSorted(ints), sort.SearchInts(ints, 8))
	words := []string{"banana", "kiwi", "apple", "fig", "cherry"}
	sort.Strings(words)
	println(strings.Join(words, " "))
	sort.Stable(byLen(words))
	println(strings.Join(words, " "))
	pts := []point{{3, 1, "c"}, {1, 2, "a"}, {2, 0, "b"}, {1, 1, "d"}}
	sort.Slice(pts, func(i, j int) bool {
		if pts[i].x != pts[j].x {
			return pts[i].x < pts[j].x
		}
		return pts[i].y < pts[j].y
	})
	for _, p := range pts {
		print(p.name, " ")
	}
	println()
	nums := []int{40, 10, 30, 20}
	sort.Slice(nums, func(i, j int) bool { return nums[i] > nums[j] })
	strs := []string{"bb", "a", "ccc", "dd", "e"}
	sort.SliceStable(strs, func(i, j int) bool { return len(strs[i]) < len(strs[j]) })
	println(nums[0], nums[3], strings.Join(strs, " "), sort.SliceIsSorted(nums, func(i, j int) bool { return nums[i] > nums[j] }))
	fl := []float64{2.5, -1, 3.75, 0}
	sort.Float64s(fl)
	println(fl[0], fl[3], sort.SearchFloat64s(fl, 2.5))
	idx := sort.Search(100, func(i int) bool { return i*i >= 50 })
	println(idx)
	sort.Sort(sort.Reverse(sort.IntSlice(ints)))
	println(ints[0], ints[5])

	// math
	println(math.Sqrt(2), math.Floor(-1.5), math.Abs(-3), math.Max(2, 7), math.Inf(1), math.IsNaN(math.NaN()))
	println(math.Pow(2, 10), math.Exp(1), math.Log(math.E), math.Sin(math.Pi/2), math.MaxInt64, math.Trunc(2.7))
}
