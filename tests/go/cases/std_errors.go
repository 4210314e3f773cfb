// package errors without fmt: New, Unwrap and Is through chains, an Is method, and an
// uncomparable error type that Is must not compare with ==.
package main

import "errors"

type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg + ": " + w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }

// sliceErr is not comparable: == on two of them would panic.
type sliceErr []string

func (s sliceErr) Error() string { return "slice error" }

// anyTimeout matches any timeoutErr through an Is method.
type timeoutErr struct{ op string }

func (t timeoutErr) Error() string { return t.op + " timed out" }
func (t timeoutErr) Is(target error) bool {
	_, ok := target.(timeoutErr)
	return ok
}

func main() {
	a := errors.New("not found")
	b := errors.New("not found")
	println(a.Error(), a == b, errors.Is(a, a), errors.Is(a, b))
	w := &wrapped{"open config", a}
	ww := &wrapped{"start", w}
	println(ww.Error())
	println(errors.Is(ww, a), errors.Is(ww, w), errors.Is(ww, b), errors.Is(w, ww))
	var we error = w
	println(errors.Unwrap(ww) == we, errors.Unwrap(w) == a, errors.Unwrap(a) == nil, errors.Unwrap(nil) == nil)
	println(errors.Is(nil, nil), errors.Is(nil, a), errors.Is(a, nil))
	s1 := sliceErr{"x"}
	println(errors.Is(s1, s1), errors.Is(&wrapped{"w", s1}, a))
	t := &wrapped{"read", timeoutErr{"read"}}
	println(errors.Is(t, timeoutErr{"other"}), errors.Is(t, a))
}
