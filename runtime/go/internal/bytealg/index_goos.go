// Index and IndexString for GoOS in Go (libgo's amd64 versions are assembly). The strings
// and bytes packages call them for substrings of 2 to MaxLen bytes (bytealg.go), after a
// run of IndexByte misses longer than Cutover. Two copies, []byte and string, as in the
// rest of the package: converting one to the other would copy it.

package bytealg

const MaxBruteForce = 64

// Index returns the index of the first instance of b in a, or -1 if b is not present in a.
// Requires 2 <= len(b) <= MaxLen.
func Index(a, b []byte) int {
	n := len(b)
	for i := 0; i+n <= len(a); i++ {
		if a[i] != b[0] {
			continue
		}
		j := 1
		for j < n && a[i+j] == b[j] {
			j++
		}
		if j == n {
			return i
		}
	}
	return -1
}

// IndexString returns the index of the first instance of b in a, or -1 if b is not present in a.
// Requires 2 <= len(b) <= MaxLen.
func IndexString(a, b string) int {
	n := len(b)
	for i := 0; i+n <= len(a); i++ {
		if a[i] != b[0] {
			continue
		}
		j := 1
		for j < n && a[i+j] == b[j] {
			j++
		}
		if j == n {
			return i
		}
	}
	return -1
}

// Cutover reports the number of failures of IndexByte we should tolerate before switching
// over to Index: one per 8 bytes processed, plus a few to start (as on amd64).
func Cutover(n int) int {
	return (n + 16) / 8
}
