// Atomic operations behind the standard packages sync and time (runtime/go/sync,
// runtime/go/time), which declare them as bodyless Go functions: a bodyless `func f` in
// package P is the symbol "P.f". Go has no atomics of its own without sync/atomic, and
// goroutines are preemptive kernel threads, so every word these packages share between
// goroutines is read and written here. All are sequentially consistent, as
// sync/atomic's are.
//
// The same code serves both packages under each package's names (aliases), so each
// package keeps its own unexported declarations and neither imports the other.
#include "rt.h"

extern "C" {

uint32_t goos_atomic_load32(const uint32_t* p) {
    return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}
void goos_atomic_store32(uint32_t* p, uint32_t v) {
    __atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}
// Whether *p was old (and is now new_).
bool goos_atomic_cas32(uint32_t* p, uint32_t old, uint32_t new_) {
    return __atomic_compare_exchange_n(p, &old, new_, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
// Adds d and returns the new value.
int32_t goos_atomic_add32(int32_t* p, int32_t d) {
    return __atomic_add_fetch(p, d, __ATOMIC_SEQ_CST);
}

uint64_t goos_atomic_load64(const uint64_t* p) {
    return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}
void goos_atomic_store64(uint64_t* p, uint64_t v) {
    __atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}
bool goos_atomic_cas64(uint64_t* p, uint64_t old, uint64_t new_) {
    return __atomic_compare_exchange_n(p, &old, new_, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
uint64_t goos_atomic_add64(uint64_t* p, int64_t d) {
    return __atomic_add_fetch(p, static_cast<uint64_t>(d), __ATOMIC_SEQ_CST);
}

// Package sync (runtime/go/sync/atomic.go).
#define GOOS_ALIAS(name, target) __asm__(name) __attribute__((alias(#target)))
uint32_t sync_load32(const uint32_t*) GOOS_ALIAS("sync.load32", goos_atomic_load32);
void sync_store32(uint32_t*, uint32_t) GOOS_ALIAS("sync.store32", goos_atomic_store32);
bool sync_cas32(uint32_t*, uint32_t, uint32_t) GOOS_ALIAS("sync.cas32", goos_atomic_cas32);
int32_t sync_add32(int32_t*, int32_t) GOOS_ALIAS("sync.add32", goos_atomic_add32);
uint64_t sync_load64(const uint64_t*) GOOS_ALIAS("sync.load64", goos_atomic_load64);
void sync_store64(uint64_t*, uint64_t) GOOS_ALIAS("sync.store64", goos_atomic_store64);
bool sync_cas64(uint64_t*, uint64_t, uint64_t) GOOS_ALIAS("sync.cas64", goos_atomic_cas64);
uint64_t sync_add64(uint64_t*, int64_t) GOOS_ALIAS("sync.add64", goos_atomic_add64);

// Package time (runtime/go/time/atomic.go): timer states.
uint32_t time_load32(const uint32_t*) GOOS_ALIAS("time.load32", goos_atomic_load32);
bool time_cas32(uint32_t*, uint32_t, uint32_t) GOOS_ALIAS("time.cas32", goos_atomic_cas32);
#undef GOOS_ALIAS
}
