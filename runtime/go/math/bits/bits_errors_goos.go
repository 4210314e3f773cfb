// GoOS's stand-in for Go's bits_errors.go, which takes these two functions from the
// runtime by go:linkname: they make the panic values of Div and friends here, printed as
// the runtime's are and satisfying runtime.Error (they have RuntimeError).
package bits

type errorString string

func (e errorString) RuntimeError() {}

func (e errorString) Error() string {
	return "runtime error: " + string(e)
}

func getOverflowError() error { return errorString("integer overflow") }

func getDivideError() error { return errorString("integer divide by zero") }
