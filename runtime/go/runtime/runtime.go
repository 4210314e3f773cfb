// Package runtime is GoOS's own: it shadows libgo's runtime.gox so that gccgo never sees
// the system one (GCCGO.md). What gccgo-compiled code calls is implemented in C++ in
// runtime/*.cpp under the same symbol names; this package holds only what must be Go:
// the error values that panics carry, so that recover returns real runtime.Error values.
package runtime

import _ "unsafe" // for go:linkname

// GOOS and GOARCH as the standard library will expect them.
const GOOS = "goos"
const GOARCH = "amd64"

// gccgo makes unexported functions local (and drops unused ones); a linkname to the
// function's own name keeps the ones the C++ runtime calls.
//
//go:linkname panicWith runtime.panicWith
//go:linkname panicValueText runtime.panicValueText

// Error identifies a run-time error, as in Go.
type Error interface {
	error
	RuntimeError()
}

// errorString is a run-time error such as an index out of range.
type errorString string

func (e errorString) RuntimeError() {}
func (e errorString) Error() string { return "runtime error: " + string(e) }

// plainError is a run-time error printed without the "runtime error: " prefix, such as
// "assignment to entry in nil map".
type plainError string

func (e plainError) RuntimeError() {}
func (e plainError) Error() string { return string(e) }

// A TypeAssertionError is the value of a failed type assertion's panic. Go's carries the
// types; ours carries the message the C++ runtime formatted from them.
type TypeAssertionError struct {
	msg string
}

func (*TypeAssertionError) RuntimeError() {}
func (e *TypeAssertionError) Error() string { return e.msg }

// panicWith panics with the error value of the given kind (rt.h, PanicKind).
func panicWith(kind int, msg string) {
	switch kind {
	case 0:
		panic(errorString(msg))
	case 1:
		panic(plainError(msg))
	default:
		panic(&TypeAssertionError{msg})
	}
}

type stringer interface {
	String() string
}

// panicValueText is Go's preprintpanics for one value: an error or Stringer panic value
// prints as its text.
func panicValueText(v interface{}, out *string) bool {
	switch x := v.(type) {
	case error:
		*out = x.Error()
		return true
	case stringer:
		*out = x.String()
		return true
	}
	return false
}
