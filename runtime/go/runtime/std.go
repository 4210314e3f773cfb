package runtime

// The exported part of Go's runtime package that programs call: scheduling, goroutine
// and CPU counts, and memory statistics. GoOS runs one CPU, goroutines are kernel
// threads, and the heap has no collector yet.

// Gosched yields the processor, letting other goroutines run; the caller stays runnable
// and resumes later (runtime/std.cpp).
func Gosched()

// GC runs a garbage collection. The heap has no collector yet, so GC does nothing.
func GC() {}

// NumCPU returns the number of CPUs the program may use: GoOS runs on one.
func NumCPU() int { return 1 }

// GOMAXPROCS sets how many CPUs run goroutines at once and returns the previous
// setting. GoOS has one CPU, so the setting is always 1 and n is ignored.
func GOMAXPROCS(n int) int { return 1 }

// NumGoroutine returns the number of goroutines that exist, the main one included.
func NumGoroutine() int {
	var s memSnapshot
	readStats(&s)
	return int(s.goroutines)
}

// KeepAlive marks x as reachable up to this call. Without a collector nothing is ever
// reclaimed early, so it does nothing.
func KeepAlive(x interface{}) {}

// NumCgoCall returns the number of cgo calls made: GoOS has no cgo.
func NumCgoCall() int64 { return 0 }

// A MemStats records statistics about the memory allocator, with Go's fields so that
// programs written for Go compile. GoOS fills those it knows: the heap has no collector
// yet, so nothing is freed (Alloc and TotalAlloc are equal, Frees and NumGC are 0,
// EnableGC is false) and heap memory is counted in kernel pages (Sys, HeapSys). Fields
// about Go's own allocator structures (spans, caches, stacks, GC metadata) are 0.
type MemStats struct {
	Alloc      uint64 // bytes of allocated heap objects
	TotalAlloc uint64 // cumulative bytes allocated (equal to Alloc: nothing is freed yet)
	Sys        uint64 // bytes of kernel pages the heap holds
	Lookups    uint64
	Mallocs    uint64 // cumulative heap objects allocated
	Frees      uint64 // heap objects freed: 0 without a collector

	HeapAlloc    uint64 // as Alloc
	HeapSys      uint64 // as Sys
	HeapIdle     uint64
	HeapInuse    uint64 // as Sys
	HeapReleased uint64
	HeapObjects  uint64 // as Mallocs

	StackInuse  uint64
	StackSys    uint64
	MSpanInuse  uint64
	MSpanSys    uint64
	MCacheInuse uint64
	MCacheSys   uint64
	BuckHashSys uint64
	GCSys       uint64
	OtherSys    uint64

	NextGC        uint64
	LastGC        uint64
	PauseTotalNs  uint64
	PauseNs       [256]uint64
	PauseEnd      [256]uint64
	NumGC         uint32
	NumForcedGC   uint32
	GCCPUFraction float64
	EnableGC      bool
	DebugGC       bool

	BySize [61]struct {
		Size    uint32
		Mallocs uint64
		Frees   uint64
	}
}

// ReadMemStats fills m with the allocator's statistics.
func ReadMemStats(m *MemStats) {
	var s memSnapshot
	readStats(&s)
	*m = MemStats{}
	m.Alloc = s.allocBytes
	m.TotalAlloc = s.allocBytes
	m.Sys = s.sysBytes
	m.Mallocs = s.mallocs
	m.HeapAlloc = s.allocBytes
	m.HeapSys = s.sysBytes
	m.HeapInuse = s.sysBytes
	m.HeapObjects = s.mallocs
}

// memSnapshot is what readStats copies out of the C++ runtime's counters (std.cpp,
// MemSnapshot: the same layout).
type memSnapshot struct {
	goroutines uint64
	mallocs    uint64
	allocBytes uint64
	sysBytes   uint64
}

//go:noescape
func readStats(s *memSnapshot)
