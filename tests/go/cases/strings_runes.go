package main

// Strings and runes: range over UTF-8 (including invalid bytes), conversions between
// strings, rune slices and byte slices, string(rune), comparisons and concatenation.

func main() {
	s := "héllo, 世界!"
	for i, r := range s {
		print(i, ":", r, " ")
	}
	println()
	bad := "a\xffb\xe4\xb8c"
	for i, r := range bad {
		print(i, ":", r, " ")
	}
	println()
	rs := []rune(s)
	println("runes", len(rs), "bytes", len(s))
	rs[1] = 'e'
	println(string(rs))
	var big rune = 0x1F600
	println(string(rune(0x4e16)), string(rune(65)), string(rune(-1)) == "\uFFFD", string(big+0x10FFFF) == "\uFFFD")
	println(string(big), len(string(big)))
	println(string([]rune{}), len(string([]rune{'a', 'é', '世', 0x1F600})))
	b := []byte(s)
	b[0] = 'H'
	println(string(b), s)
	println("abc" < "abd", "abc" < "ab", "" < "a", "b" > "abc", "x" == "x", "x" != "y")
	println("ab" <= "ab", "ab" >= "abc")
	t := ""
	for i := 0; i < 5; i++ {
		t += string(rune('a' + i))
	}
	println(t, len(t))
	n := 0
	for range "日本語" {
		n++
	}
	println("count", n)
	surrogate := []rune{0xD800}
	println(string(surrogate) == "\uFFFD")
	println(s[1:3] == "é", s[7:])
	var bs []byte
	for i := 0; i < 3; i++ {
		bs = append(bs, "xy"...)
	}
	println(string(bs))
	str := "hello"
	sum := 0
	for i := 0; i < len(str); i++ {
		sum += int(str[i])
	}
	println("sum", sum)
	println(string(rune(200)) + string(rune(2000)) + string(rune(20000)))
}
