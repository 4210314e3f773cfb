// Package sync/atomic for GoOS: Go's atomic operations on integers, and Value.
//
// gccgo turns every call of these functions into the instruction itself (gofrontend's
// intrinsics for sync/atomic), the calls in these bodies included: so each body below,
// which reads as calling itself, compiles to that instruction (a function value of one
// still works). The *Pointer functions are left out: they take unsafe.Pointer, which no
// GoOS program may import (DESIGN.md, "Ownership"), and a pointer stored without the
// write barrier would not be exposed to the programs that share its object.
package atomic

import "runtime"

// SwapInt32 stores new into *addr and returns the previous value.
func SwapInt32(addr *int32, new int32) (old int32) { return SwapInt32(addr, new) }

// CompareAndSwapInt32 stores new into *addr if it holds old, and says whether it did.
func CompareAndSwapInt32(addr *int32, old, new int32) (swapped bool) {
	return CompareAndSwapInt32(addr, old, new)
}

// AddInt32 adds delta to *addr and returns the new value.
func AddInt32(addr *int32, delta int32) (new int32) { return AddInt32(addr, delta) }

// LoadInt32 reads *addr.
func LoadInt32(addr *int32) (val int32) { return LoadInt32(addr) }

// StoreInt32 writes val into *addr.
func StoreInt32(addr *int32, val int32) { StoreInt32(addr, val) }

// SwapInt64 stores new into *addr and returns the previous value.
func SwapInt64(addr *int64, new int64) (old int64) { return SwapInt64(addr, new) }

// CompareAndSwapInt64 stores new into *addr if it holds old, and says whether it did.
func CompareAndSwapInt64(addr *int64, old, new int64) (swapped bool) {
	return CompareAndSwapInt64(addr, old, new)
}

// AddInt64 adds delta to *addr and returns the new value.
func AddInt64(addr *int64, delta int64) (new int64) { return AddInt64(addr, delta) }

// LoadInt64 reads *addr.
func LoadInt64(addr *int64) (val int64) { return LoadInt64(addr) }

// StoreInt64 writes val into *addr.
func StoreInt64(addr *int64, val int64) { StoreInt64(addr, val) }

// SwapUint32 stores new into *addr and returns the previous value.
func SwapUint32(addr *uint32, new uint32) (old uint32) { return SwapUint32(addr, new) }

// CompareAndSwapUint32 stores new into *addr if it holds old, and says whether it did.
func CompareAndSwapUint32(addr *uint32, old, new uint32) (swapped bool) {
	return CompareAndSwapUint32(addr, old, new)
}

// AddUint32 adds delta to *addr and returns the new value.
func AddUint32(addr *uint32, delta uint32) (new uint32) { return AddUint32(addr, delta) }

// LoadUint32 reads *addr.
func LoadUint32(addr *uint32) (val uint32) { return LoadUint32(addr) }

// StoreUint32 writes val into *addr.
func StoreUint32(addr *uint32, val uint32) { StoreUint32(addr, val) }

// SwapUint64 stores new into *addr and returns the previous value.
func SwapUint64(addr *uint64, new uint64) (old uint64) { return SwapUint64(addr, new) }

// CompareAndSwapUint64 stores new into *addr if it holds old, and says whether it did.
func CompareAndSwapUint64(addr *uint64, old, new uint64) (swapped bool) {
	return CompareAndSwapUint64(addr, old, new)
}

// AddUint64 adds delta to *addr and returns the new value.
func AddUint64(addr *uint64, delta uint64) (new uint64) { return AddUint64(addr, delta) }

// LoadUint64 reads *addr.
func LoadUint64(addr *uint64) (val uint64) { return LoadUint64(addr) }

// StoreUint64 writes val into *addr.
func StoreUint64(addr *uint64, val uint64) { StoreUint64(addr, val) }

// SwapUintptr stores new into *addr and returns the previous value.
func SwapUintptr(addr *uintptr, new uintptr) (old uintptr) { return SwapUintptr(addr, new) }

// CompareAndSwapUintptr stores new into *addr if it holds old, and says whether it did.
func CompareAndSwapUintptr(addr *uintptr, old, new uintptr) (swapped bool) {
	return CompareAndSwapUintptr(addr, old, new)
}

// AddUintptr adds delta to *addr and returns the new value.
func AddUintptr(addr *uintptr, delta uintptr) (new uintptr) { return AddUintptr(addr, delta) }

// LoadUintptr reads *addr.
func LoadUintptr(addr *uintptr) (val uintptr) { return LoadUintptr(addr) }

// StoreUintptr writes val into *addr.
func StoreUintptr(addr *uintptr, val uintptr) { StoreUintptr(addr, val) }

// A Value loads and stores a value of one dynamic type atomically. Its zero value holds
// nothing (Load returns nil). It must not be copied after first use.
//
// The interface is two words, so a spin lock guards it rather than one instruction; the
// store of the interface goes through the write barrier like any other.
type Value struct {
	lock uint32
	v    interface{}
}

// sameType reports whether a and b, neither nil, hold values of one type (runtime/std.cpp:
// types match by structure, DESIGN.md).
func sameType(a, b interface{}) bool

func (v *Value) acquire() {
	for !CompareAndSwapUint32(&v.lock, 0, 1) {
		runtime.Gosched()
	}
}

func (v *Value) release() { StoreUint32(&v.lock, 0) }

// Load returns the value set by the most recent Store, or nil if there was none.
func (v *Value) Load() (val interface{}) {
	v.acquire()
	val = v.v
	v.release()
	return val
}

// Store sets the value. Every Store must use values of the same concrete type; storing nil
// or a value of another type panics.
func (v *Value) Store(val interface{}) {
	if val == nil {
		panic("sync/atomic: store of nil value into Value")
	}
	v.acquire()
	if v.v != nil && !sameType(v.v, val) {
		v.release()
		panic("sync/atomic: store of inconsistently typed value into Value")
	}
	v.v = val
	v.release()
}

// Swap stores new and returns the previous value, or nil if there was none. It panics on
// nil and on a value of another type, as Store does.
func (v *Value) Swap(new interface{}) (old interface{}) {
	if new == nil {
		panic("sync/atomic: swap of nil value into Value")
	}
	v.acquire()
	if v.v != nil && !sameType(v.v, new) {
		v.release()
		panic("sync/atomic: swap of inconsistently typed value into Value")
	}
	old = v.v
	v.v = new
	v.release()
	return old
}

// CompareAndSwap stores new if the value is old (compared with ==, which panics for an
// uncomparable old) and says whether it did. It panics on a nil new and on values of
// another type.
func (v *Value) CompareAndSwap(old, new interface{}) (swapped bool) {
	if new == nil {
		panic("sync/atomic: compare and swap of nil value into Value")
	}
	if old != nil && !sameType(old, new) {
		panic("sync/atomic: compare and swap of inconsistently typed values")
	}
	v.acquire()
	if v.v == nil {
		if old != nil {
			v.release()
			return false
		}
	} else {
		if !sameType(v.v, new) {
			v.release()
			panic("sync/atomic: compare and swap of inconsistently typed value into Value")
		}
		if v.v != old {
			v.release()
			return false
		}
	}
	v.v = new
	v.release()
	return true
}
