package sync

// Atomic operations on words shared between goroutines (runtime/atomic.cpp): goroutines
// are preemptive kernel threads, so plain reads and writes of these words would race.
// All are sequentially consistent. add32 and add64 return the new value.

func load32(p *int32) int32
func store32(p *int32, v int32)
func cas32(p *int32, old, new int32) bool
func add32(p *int32, delta int32) int32
func load64(p *uint64) uint64
func store64(p *uint64, v uint64)
func cas64(p *uint64, old, new uint64) bool
func add64(p *uint64, delta int64) uint64

// yield lets other goroutines run (runtime/std.cpp).
func yield()

// throw ends the program with Go's "fatal error: " + msg and status 2, for misuse that
// Go does not let a program recover from (runtime/std.cpp).
func throw(msg string)
