// strings.Index, Contains and bytes.Index for substrings of every length up to and past
// internal/bytealg's MaxLen, where they reach bytealg.Index and IndexString.
package main

import (
	"bytes"
	"strings"
)

func main() {
	msg := "runtime error: index out of range [123] with length 10"
	println(strings.Index(msg, "index"), strings.Index(msg, "with length"), strings.Index(msg, "absent"))
	println(strings.Contains(msg, "out of range"), strings.Contains(msg, "out of rangE"))
	long := strings.Repeat("abcdefgh", 40) + "needle-in-a-haystack-of-letters-and-more-letters" + strings.Repeat("xyz", 30)
	for n := 2; n <= 48; n += 3 {
		sub := long[320 : 320+n]
		println(n, strings.Index(long, sub), bytes.Index([]byte(long), []byte(sub)), strings.LastIndex(long, sub))
	}
	println(strings.Index(strings.Repeat("aab", 100)+"aaab", "aaab"))
	println(bytes.Contains([]byte(msg), []byte("range [123]")), strings.Count(long, "xyz"))
}
