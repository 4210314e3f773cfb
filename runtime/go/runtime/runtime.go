// Package runtime is GoOS's own: it shadows libgo's runtime.gox so that gccgo never sees
// the system one (GCCGO.md). What gccgo-compiled code calls is implemented in C++ in
// runtime/*.cpp under the same symbol names; this package holds only what must be Go.
package runtime

// GOOS and GOARCH as the standard library will expect them.
const GOOS = "goos"
const GOARCH = "amd64"
