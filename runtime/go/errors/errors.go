// Package errors is GoOS's implementation of Go's errors package: New, Unwrap and Is,
// with Go's signatures and behaviour. As is not provided: it needs reflection, which
// GoOS does not have yet.
package errors

// New returns an error whose Error method returns text. Each call returns a distinct
// error even for equal texts.
func New(text string) error {
	return &errorString{text}
}

type errorString struct {
	s string
}

func (e *errorString) Error() string {
	return e.s
}

// Unwrap returns the result of err's Unwrap method if it has one returning error, and
// nil otherwise.
func Unwrap(err error) error {
	u, ok := err.(interface {
		Unwrap() error
	})
	if !ok {
		return nil
	}
	return u.Unwrap()
}

// Is reports whether any error in err's chain (err, Unwrap(err), ...) matches target:
// equals it, or has an Is(error) bool method that says it does. As in Go, an error
// whose dynamic type is not comparable is never compared with ==.
func Is(err, target error) bool {
	if target == nil {
		return err == target
	}
	isComparable := comparable(target)
	for {
		if isComparable && err == target {
			return true
		}
		if x, ok := err.(interface{ Is(error) bool }); ok && x.Is(target) {
			return true
		}
		if err = Unwrap(err); err == nil {
			return false
		}
	}
}

// comparable reports whether v's dynamic type supports == (runtime/std.cpp).
func comparable(v interface{}) bool
