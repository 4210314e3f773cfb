// Package errors is GoOS's implementation of Go's errors package: New, Unwrap, Is and
// As, with Go's signatures and behaviour. Where Go's uses reflection (GoOS has none
// yet), the C++ runtime reads the type descriptors (runtime/std.cpp).
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

// As finds the first error in err's chain that can be assigned to the variable target
// points to, stores it there and returns true; or an error whose As(target) method
// returns true. It returns false when none does. It panics if target is not a non-nil
// pointer to an interface type or to a type that implements error.
func As(err error, target interface{}) bool {
	switch asCheck(target, (*error)(nil)) {
	case 1:
		panic("errors: target cannot be nil")
	case 2:
		panic("errors: target must be a non-nil pointer")
	case 3:
		panic("errors: *target must be interface or implement error")
	}
	for err != nil {
		if asAssign(target, err) {
			return true
		}
		if x, ok := err.(interface{ As(interface{}) bool }); ok && x.As(target) {
			return true
		}
		err = Unwrap(err)
	}
	return false
}

// asCheck tells whether target suits As: 0 if so, else the number of As's panic
// (runtime/std.cpp). errorPtr is a *error, naming the error type.
func asCheck(target interface{}, errorPtr interface{}) int

// asAssign stores err in *target when err's dynamic type can be assigned to it, and
// reports whether it did (runtime/std.cpp).
func asAssign(target interface{}, err interface{}) bool

// comparable reports whether v's dynamic type supports == (runtime/std.cpp).
func comparable(v interface{}) bool
