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

type pathError struct {
	op, path string
	err      error
}

func (p *pathError) Error() string { return p.op + " " + p.path + ": " + p.err.Error() }
func (p *pathError) Unwrap() error { return p.err }

type codeErr int

func (c codeErr) Error() string { return "code " + string(rune('0'+int(c))) }

type temporary interface {
	Temporary() bool
}

type tempErr struct{}

func (tempErr) Error() string   { return "try again" }
func (tempErr) Temporary() bool { return true }

// asAny claims every target through an As method.
type asAny struct{}

func (asAny) Error() string { return "as any" }
func (asAny) As(target interface{}) bool {
	if p, ok := target.(*codeErr); ok {
		*p = 9
		return true
	}
	return false
}

func init() {
	base := errors.New("permission denied")
	err := &wrapped{"config", &pathError{"open", "/etc/x", base}}
	var pe *pathError
	println("as pointer:", errors.As(err, &pe), pe != nil && pe.path == "/etc/x")
	var ce codeErr
	println("as value:", errors.As(&wrapped{"w", codeErr(4)}, &ce), int(ce), errors.As(err, &ce))
	var tmp temporary
	println("as interface:", errors.As(err, &tmp), tmp == nil, errors.As(&wrapped{"w", tempErr{}}, &tmp), tmp != nil && tmp.Temporary())
	var anyErr interface{}
	println("as empty interface:", errors.As(err, &anyErr), anyErr != nil)
	var e error
	println("as error:", errors.As(err, &e), e != nil && e.Error() == err.Error())
	println("as method:", errors.As(&wrapped{"w", asAny{}}, &ce), int(ce))
	for i, target := range []interface{}{nil, pe, 5, new(int)} {
		func() {
			defer func() { println("as panic", i, recover().(string)) }()
			errors.As(err, target)
		}()
	}
}
