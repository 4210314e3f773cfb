// Go's own unicode/utf8 and container/list (gccgo's libgo sources, unchanged) built
// against GoOS's runtime.
package main

import (
	"container/list"
	"unicode/utf8"
)

func main() {
	s := "héllo, 世界!"
	println(len(s), utf8.RuneCountInString(s), utf8.ValidString(s), utf8.ValidString("\xff"))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		print(r, ":", size, " ")
		i += size
	}
	println()
	r, size := utf8.DecodeLastRuneInString(s)
	println(r, size, utf8.RuneLen('世'), utf8.RuneLen(-1), utf8.FullRune([]byte{0xe4, 0xb8}))
	buf := make([]byte, 0, 16)
	for _, r := range []rune{'a', 'é', '世', 0x1F600, utf8.MaxRune + 1} {
		buf = utf8.AppendRune(buf, r)
	}
	println(string(buf), len(buf), utf8.RuneCount(buf))
	var enc [4]byte
	n := utf8.EncodeRune(enc[:], 0x1F600)
	println(n, enc[0], enc[1], enc[2], enc[3], utf8.ValidRune(0xD800))

	l := list.New()
	e4 := l.PushBack(4)
	e1 := l.PushFront(1)
	l.InsertBefore(3, e4)
	l.InsertAfter(2, e1)
	l.PushBack(5)
	for e := l.Front(); e != nil; e = e.Next() {
		print(e.Value.(int), " ")
	}
	println("len", l.Len())
	l.MoveToFront(e4)
	l.Remove(e1)
	other := list.New()
	other.PushBack(6)
	other.PushBack(7)
	l.PushBackList(other)
	for e := l.Back(); e != nil; e = e.Prev() {
		print(e.Value.(int), " ")
	}
	println("len", l.Len(), l.Front().Value.(int), l.Back().Value.(int))
}
