// sync/atomic: the integer operations, with goroutines racing on counters, and Value with
// its panics.
package main

import (
	"sync"
	"sync/atomic"
)

type config struct {
	name string
	n    int
}

func try(f func()) {
	defer func() {
		if r := recover(); r != nil {
			println("panic:", r.(string))
		}
	}()
	f()
}

func main() {
	var i32 int32
	var u64 uint64
	var up uintptr
	println(atomic.AddInt32(&i32, 5), atomic.AddInt32(&i32, -2), atomic.LoadInt32(&i32))
	println(atomic.CompareAndSwapInt32(&i32, 3, 10), atomic.CompareAndSwapInt32(&i32, 3, 11), i32)
	println(atomic.SwapInt32(&i32, 1), i32)
	atomic.StoreUint64(&u64, 1<<40)
	println(atomic.AddUint64(&u64, 1), atomic.SwapUint64(&u64, 7), atomic.LoadUint64(&u64))
	println(atomic.AddUintptr(&up, 3), atomic.CompareAndSwapUintptr(&up, 3, 4), atomic.LoadUintptr(&up))
	add := atomic.AddInt64
	var i64 int64
	println(add(&i64, 9), atomic.LoadInt64(&i64))

	var wg sync.WaitGroup
	var counter int64
	var hits uint32
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 20000; k++ {
				atomic.AddInt64(&counter, 1)
				if k%1000 == 0 {
					atomic.AddUint32(&hits, 1)
				}
			}
		}()
	}
	wg.Wait()
	println("counter", atomic.LoadInt64(&counter), "hits", atomic.LoadUint32(&hits))

	var v atomic.Value
	println(v.Load() == nil)
	v.Store(&config{"a", 1})
	c := v.Load().(*config)
	println(c.name, c.n)
	old := v.Swap(&config{"b", 2}).(*config)
	println(old.name, v.Load().(*config).name)
	cur := v.Load()
	println(v.CompareAndSwap(cur, &config{"c", 3}), v.CompareAndSwap(cur, &config{"d", 4}), v.Load().(*config).name)
	try(func() { v.Store(nil) })
	try(func() { v.Store("a string") })
	try(func() { v.Swap(42) })
	var w atomic.Value
	try(func() { w.CompareAndSwap(nil, nil) })
	try(func() { w.CompareAndSwap(1, "x") })
	println(w.CompareAndSwap(nil, 5), w.Load().(int), w.CompareAndSwap(5, 6), w.Load().(int))
}
