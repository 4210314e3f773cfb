// Counters behind package runtime's NumGoroutine and ReadMemStats (std.go, std.cpp). The
// parts of the runtime that create goroutines and allocate record here; std.cpp reads a
// snapshot. Counters are updated atomically (goroutines are preemptive threads) and are
// exact, but a snapshot of several is not taken at one instant.
#pragma once

#include <stdint.h>

namespace goos_rt {

struct Stats {
    uint64_t goroutines_started;  // goroutines made by `go` (the main goroutine is not one)
    uint64_t goroutines_ended;    // of those, the ones whose function returned
    uint64_t mallocs;             // heap objects allocated
    uint64_t alloc_bytes;         // their bytes, as rounded to size classes
    uint64_t heap_pages;          // kernel pages the heap holds (GOOS_PAGE_SIZE each)
};
extern Stats stats;

inline void stats_add(uint64_t& counter, uint64_t n) {
    __atomic_add_fetch(&counter, n, __ATOMIC_RELAXED);
}

}  // namespace goos_rt
