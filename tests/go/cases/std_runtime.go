// package runtime's calls for programs: Gosched, GC, NumCPU, GOMAXPROCS and ReadMemStats.
// Their values differ between machines and runtimes, so only what holds everywhere is
// printed.
package main

import "runtime"

func main() {
	done := make(chan bool)
	go func() {
		for i := 0; i < 3; i++ {
			runtime.Gosched()
		}
		done <- true
	}()
	for i := 0; i < 3; i++ {
		runtime.Gosched()
	}
	<-done
	runtime.GC()
	println("cpus:", runtime.NumCPU() >= 1, runtime.GOMAXPROCS(0) >= 1, runtime.NumGoroutine() >= 1)
	var m runtime.MemStats
	keep := make([][]byte, 0)
	for i := 0; i < 100; i++ {
		keep = append(keep, make([]byte, 1000))
	}
	runtime.ReadMemStats(&m)
	println("memstats:", m.TotalAlloc >= m.Alloc, m.Sys >= m.HeapAlloc, m.Mallocs >= m.Frees, m.HeapObjects <= m.Mallocs, len(keep))
	runtime.KeepAlive(keep)
}
