package time

// Atomic operations on timer states (runtime/atomic.cpp): a timer's goroutine and its
// owner's Stop and Reset race to change it.

func load32(p *uint32) uint32
func cas32(p *uint32, old, new uint32) bool
