// What heap.cpp and the collector (gc.cpp) share: spans, the span table, the heap's state.
#pragma once

#include "heap.h"

namespace goos_rt {

constexpr uint32_t kMaxSlots = GOOS_PAGE_SIZE / 8;  // the smallest class has 512 per page
constexpr uint32_t kBitWords = kMaxSlots / 64;
constexpr uintptr_t kTableChunk = GOOS_PAGE_SIZE / sizeof(void*);  // span pointers per table page
#ifdef GOOS_GC_STRESS
constexpr bool kGcStress = true;  // tools/goos-build GOOS_GC_STRESS=1: collect every 64 KiB
constexpr uint64_t kMinHeap = 64 << 10;
#else
constexpr bool kGcStress = false;
constexpr uint64_t kMinHeap = 4 << 20;
#endif                             // bytes allocated before the first collection
constexpr uint8_t kKindGCProg = 0x40;  // the type's pointer layout is a GC program, not a bitmap

// A type word that means "layout unknown: scan every word" (the runtime's own untyped
// allocations); null means "no pointers".
extern const Type* const kConservative;

struct Span {
    uintptr_t base = 0;
    uint32_t npages = 0;
    uint32_t slot_size = 0;
    uint16_t nslots = 0;
    uint16_t nfree = 0;
    int16_t cls = -1;  // size class, -1 for a large object's own span
    bool in_partial = false;
    Span* next = nullptr;      // its class's list of spans with free slots
    Span* all_next = nullptr;  // every span of the heap
    uint64_t alloc[kBitWords] = {};
    uint64_t mark[kBitWords] = {};
    const Type** types = nullptr;  // the type word of each slot
    uint8_t* pins = nullptr;       // pin count of each slot
    bool allocated(uint32_t i) const { return alloc[i / 64] >> (i % 64) & 1; }
    bool marked(uint32_t i) const { return mark[i / 64] >> (i % 64) & 1; }
};

struct HeapState {
    SpinLock lock;
    uintptr_t pool_base = 0, pool_pages = 0;
    Span*** table = nullptr;  // page index -> span, in chunks of a page
    uintptr_t table_chunks = 0;
    Span* all = nullptr;
    bool collecting = false;
    uint64_t live = 0;            // bytes in slots the last collection kept
    uint64_t since_gc = 0;        // bytes allocated since
    uint64_t next_gc = kMinHeap;  // since_gc that triggers the next collection (GOGC=100)
    uint64_t total_alloc = 0, heap_sys = 0, mallocs = 0, frees = 0, num_gc = 0, pause_total_ns = 0;
};
extern HeapState heap;

void heap_init(uintptr_t pool_base, uintptr_t pool_pages);
Span* span_of(uintptr_t addr);
// Called by the sweep for every span, with the link that points to it in heap.all: an empty
// span is unlinked and its pages go back to the kernel.
void span_swept(Span* s, Span** prev_link);
// A collection; the heap lock is held.
void collect_locked();

}  // namespace goos_rt
