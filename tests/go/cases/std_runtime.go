// package runtime's calls for programs: Gosched, GC, NumCPU, GOMAXPROCS, NumGoroutine and
// ReadMemStats. Their values differ between machines and runtimes, so only what holds
// everywhere is printed.
package main

import "runtime"

var sink [][]byte

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
	println("cpus:", runtime.NumCPU() >= 1, runtime.GOMAXPROCS(0) >= 1)

	// Goroutines that exist are counted, and ended ones stop counting. The goroutine
	// above may not have left yet after its send (it leaves when it next runs).
	for i := 0; i < 1000 && runtime.NumGoroutine() > 1; i++ {
		runtime.Gosched()
	}
	base := runtime.NumGoroutine()
	release := make(chan bool)
	ended := make(chan bool)
	for i := 0; i < 5; i++ {
		go func() {
			<-release
			ended <- true
		}()
	}
	println("goroutines: main counted", base >= 1, "five more", runtime.NumGoroutine() == base+5)
	close(release)
	for i := 0; i < 5; i++ {
		<-ended
	}
	back := false
	for i := 0; i < 1000 && !back; i++ {
		back = runtime.NumGoroutine() == base
		runtime.Gosched()
	}
	println("goroutines: back to the start", back)

	// Memory statistics move as Go's do: garbage is freed by a collection.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < 2000; i++ {
		sink = append(sink, make([]byte, 1000))
	}
	sink = nil
	runtime.GC()
	runtime.ReadMemStats(&after)
	println("memstats:", after.TotalAlloc >= before.TotalAlloc+2000*1000, after.Mallocs >= before.Mallocs+2000,
		after.NumGC > before.NumGC, after.Frees > before.Frees, after.Sys >= after.HeapAlloc,
		after.HeapObjects == after.Mallocs-after.Frees, after.Alloc < after.TotalAlloc, after.EnableGC)
	keep := make([]byte, 10)
	runtime.KeepAlive(keep)
}
