// Go's own bytes, bufio, container/heap, container/ring, unicode/utf16 and math/rand
// (gccgo's libgo sources) built against GoOS's runtime.
package main

import (
	"bufio"
	"bytes"
	"container/heap"
	"container/ring"
	"math/rand"
	"strings"
	"unicode/utf16"
)

type intHeap []int

func (h intHeap) Len() int            { return len(h) }
func (h intHeap) Less(i, j int) bool  { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)       { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x interface{}) { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() interface{} {
	old := *h
	n := len(old)
	x := old[n-1]
	*h = old[:n-1]
	return x
}

func main() {
	// bytes
	b := []byte("Hello, GoOS world")
	println(bytes.Contains(b, []byte("GoOS")), bytes.Index(b, []byte("world")), string(bytes.ToUpper(b)))
	println(string(bytes.Join(bytes.Fields([]byte(" a  b c ")), []byte("-"))), bytes.Equal([]byte("x"), []byte("x")), bytes.Compare([]byte("a"), []byte("b")))
	var buf bytes.Buffer
	buf.WriteString("line one\nline two\n")
	buf.WriteByte('!')
	buf.Write([]byte(" three"))
	println(buf.Len(), buf.String())
	line, err := buf.ReadString('\n')
	println(line == "line one\n", err == nil, buf.Len())

	// bufio over a strings.Reader and a bytes.Buffer
	sc := bufio.NewScanner(strings.NewReader("alpha beta\ngamma\n\ndelta"))
	n := 0
	for sc.Scan() {
		n++
		println(n, sc.Text())
	}
	words := bufio.NewScanner(strings.NewReader("one two  three\nfour"))
	words.Split(bufio.ScanWords)
	count := 0
	for words.Scan() {
		count++
	}
	println("words", count)
	var out bytes.Buffer
	w := bufio.NewWriter(&out)
	w.WriteString("buffered ")
	w.WriteRune('✓')
	println("before flush", out.Len())
	w.Flush()
	println("after flush", out.String())
	r := bufio.NewReader(strings.NewReader("x=1;y=2;"))
	for {
		tok, err := r.ReadString(';')
		if err != nil {
			break
		}
		print(tok, " ")
	}
	println()

	// container/heap
	h := &intHeap{5, 2, 8}
	heap.Init(h)
	heap.Push(h, 3)
	heap.Push(h, 1)
	for h.Len() > 0 {
		print(heap.Pop(h).(int), " ")
	}
	println()

	// container/ring
	rg := ring.New(5)
	for i := 0; i < rg.Len(); i++ {
		rg.Value = i * i
		rg = rg.Next()
	}
	sum := 0
	rg.Do(func(v interface{}) { sum += v.(int) })
	println("ring", rg.Len(), sum, rg.Move(2).Value.(int))

	// unicode/utf16
	enc := utf16.Encode([]rune("a😀é"))
	println(len(enc), enc[1], enc[2], string(utf16.Decode(enc)), utf16.IsSurrogate(rune(enc[1])))

	// math/rand: seeded sources give Go's sequences
	rnd := rand.New(rand.NewSource(42))
	println(rnd.Intn(100), rnd.Intn(100), rnd.Int63(), rnd.Float64() < 1, rnd.Perm(5)[0] >= 0)
	rand.Seed(7)
	println(rand.Intn(1000), rand.Int31n(10), rand.Uint32())
}
