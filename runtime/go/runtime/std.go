package runtime

// The exported part of Go's runtime package that programs call: scheduling, goroutine
// and CPU counts, and memory statistics. GoOS runs one CPU, goroutines are kernel
// threads, and each program has its own stop-the-world collector (runtime/heap.h).

// Gosched yields the processor, letting other goroutines run; the caller stays runnable
// and resumes later (runtime/std.cpp).
func Gosched()

// Goexit ends the goroutine that calls it after running its deferred calls (recover in
// them returns nil). Other goroutines go on; in the main goroutine, the program goes on
// until no other goroutine is left, then ends as deadlocked (runtime/defer.cpp).
func Goexit()

// GC runs a garbage collection now, stopping this program's other goroutines while it
// marks and sweeps (runtime/std.cpp; other programs run on).
func GC()

// NumCPU returns the number of CPUs the program may use: GoOS runs on one.
func NumCPU() int { return 1 }

// GOMAXPROCS sets how many CPUs run goroutines at once and returns the previous
// setting. GoOS has one CPU, so the setting is always 1 and n is ignored.
func GOMAXPROCS(n int) int { return 1 }

// NumGoroutine returns the number of goroutines that exist, the main one included. Each
// goroutine is a kernel thread, and the kernel counts them; a pending Timer or Ticker of
// package time is a goroutine here, so it counts too (unlike Go's).
func NumGoroutine() int { return int(numGoroutine()) }

func numGoroutine() int64

// KeepAlive marks x as reachable up to this call: it is an ordinary use of x, which the
// conservative scan of the stack sees.
func KeepAlive(x interface{}) {}

// NumCgoCall returns the number of cgo calls made: GoOS has no cgo.
func NumCgoCall() int64 { return 0 }

// Compiler is the name of the toolchain that built the program: GoOS programs are built
// by gccgo.
const Compiler = "gccgo"

// MemProfileRate is how often Go's memory profiler samples allocations (one per
// MemProfileRate bytes; 0 turns it off). GoOS has no memory profiler: nothing is sampled,
// whatever its value.
var MemProfileRate int = 512 * 1024

// A MemStats records statistics about the memory allocator, with Go's fields so that
// programs written for Go compile. GoOS fills those its heap knows (runtime/heap.h);
// fields about Go's own allocator structures (stacks, spans, caches, GC metadata), the
// pause history and the size classes are 0.
type MemStats struct {
	Alloc      uint64 // bytes of allocated heap objects (live at the last collection, plus since)
	TotalAlloc uint64 // cumulative bytes allocated
	Sys        uint64 // bytes of kernel pages the heap holds
	Lookups    uint64
	Mallocs    uint64 // cumulative heap objects allocated
	Frees      uint64 // cumulative heap objects freed

	HeapAlloc    uint64 // as Alloc
	HeapSys      uint64 // as Sys
	HeapIdle     uint64
	HeapInuse    uint64 // as Sys: spans that empty go back to the kernel
	HeapReleased uint64
	HeapObjects  uint64 // Mallocs - Frees

	StackInuse  uint64
	StackSys    uint64
	MSpanInuse  uint64
	MSpanSys    uint64
	MCacheInuse uint64
	MCacheSys   uint64
	BuckHashSys uint64
	GCSys       uint64
	OtherSys    uint64

	NextGC        uint64 // HeapAlloc that starts the next collection
	LastGC        uint64
	PauseTotalNs  uint64 // nanoseconds the collections stopped the program
	PauseNs       [256]uint64
	PauseEnd      [256]uint64
	NumGC         uint32 // collections done
	NumForcedGC   uint32
	GCCPUFraction float64
	EnableGC      bool // true
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
	m.Alloc = s.heapAlloc
	m.TotalAlloc = s.totalAlloc
	m.Sys = s.heapSys
	m.Mallocs = s.mallocs
	m.Frees = s.frees
	m.HeapAlloc = s.heapAlloc
	m.HeapSys = s.heapSys
	m.HeapInuse = s.heapSys
	m.HeapObjects = s.mallocs - s.frees
	m.NextGC = s.nextGC
	m.PauseTotalNs = s.pauseTotalNs
	m.NumGC = uint32(s.numGC)
	m.EnableGC = true
}

// memSnapshot is what readStats copies out of the heap's figures (std.cpp, MemSnapshot:
// the same layout).
type memSnapshot struct {
	heapAlloc    uint64
	totalAlloc   uint64
	heapSys      uint64
	mallocs      uint64
	frees        uint64
	numGC        uint64
	pauseTotalNs uint64
	nextGC       uint64
}

//go:noescape
func readStats(s *memSnapshot)
