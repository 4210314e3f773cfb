// GoOS's stand-in for Go's sort/slice_go113.go, which takes reflectValueOf and
// reflectSwapper from internal/reflectlite: GoOS has no reflection yet, so this file
// reads the slice inside the interface from gccgo's layouts directly (GCCGO.md, "Type
// descriptors") and offers just what slice.go uses of them.
package sort

import "unsafe"

// The parts of gccgo's layouts used here: an empty interface, the common part of a type
// descriptor, a slice descriptor's element type, and a slice header.
type eface struct {
	typ  *rtype
	data unsafe.Pointer
}

type rtype struct {
	size       uintptr
	ptrdata    uintptr
	hash       uint32
	tflag      uint8
	align      uint8
	fieldAlign uint8
	kind       uint8
	rest       [5]uintptr // equal, gcdata, string, uncommon, ptrToThis
}

type sliceType struct {
	rtype
	elem *rtype
}

type sliceHeader struct {
	data unsafe.Pointer
	len  int
	cap  int
}

const (
	kindMask  = 0x1f
	kindSlice = 23
)

// sliceOf returns the slice x holds and its element size; it panics, as reflect does,
// if x is not a slice.
func sliceOf(x interface{}, method string) (*sliceHeader, uintptr) {
	e := (*eface)(unsafe.Pointer(&x))
	if e.typ == nil || e.typ.kind&kindMask != kindSlice {
		panic("reflect: call of " + method + " on non-slice Value")
	}
	return (*sliceHeader)(e.data), (*sliceType)(unsafe.Pointer(e.typ)).elem.size
}

// lenValue is the one method of reflectlite.Value that slice.go calls.
type lenValue struct {
	n int
}

func (v lenValue) Len() int { return v.n }

func reflectValueOf(x interface{}) lenValue {
	s, _ := sliceOf(x, "Len")
	return lenValue{s.len}
}

// reflectSwapper returns a function that swaps the elements i and j of the slice x,
// panicking when either index is out of range. Elements are moved as bytes: the
// collector stops the program's goroutines and needs no write barrier, so pointers inside
// them may move so.
func reflectSwapper(x interface{}) func(i, j int) {
	s, size := sliceOf(x, "Swapper")
	n := s.len
	base := uintptr(s.data)
	at := func(i int) []byte {
		if uint(i) >= uint(n) {
			panic("reflect: slice index out of range")
		}
		return (*[1 << 40]byte)(unsafe.Pointer(base + uintptr(i)*size))[:size:size]
	}
	switch size {
	case 0:
		return func(i, j int) {
			if uint(i) >= uint(n) || uint(j) >= uint(n) {
				panic("reflect: slice index out of range")
			}
		}
	case 8:
		words := (*[1 << 37]uint64)(s.data)[:n:n]
		return func(i, j int) { words[i], words[j] = words[j], words[i] }
	}
	tmp := make([]byte, size)
	return func(i, j int) {
		a, b := at(i), at(j)
		copy(tmp, a)
		copy(a, b)
		copy(b, tmp)
	}
}
