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
#endif  // bytes allocated before the first collection

// A type word that means "layout unknown: scan every word" (the runtime's own untyped
// allocations); null means "no pointers".
extern const Type* const kConservative;

// ceil(2^32 / slot): an offset n times it, shifted right by 32, is n / slot whenever
// n * slot < 2^32 (the error of the rounding, below slot, then stays under one slot's
// worth), so for every offset of a span whose bytes times slot size stay below 2^32; every
// size class's span does (checked for every class and offset). Walks and marks pay a
// multiplication for every pointer instead of a division.
inline uint64_t slot_reciprocal(uint64_t slot) {
    return ((uint64_t{1} << 32) + slot - 1) / slot;
}

struct Span {
    uintptr_t base = 0;
    uint32_t npages = 0;
    uint32_t slot_size = 0;
    uint32_t div_mul = 0;  // slot_reciprocal(slot_size), for a span of several slots
    uint16_t nslots = 0;
    uint16_t nfree = 0;
    int16_t cls = -1;  // size class, -1 for a large object's own span
    bool in_partial = false;
    Span* next = nullptr;      // its class's list of spans with free slots
    Span* all_next = nullptr;  // every span of the heap
    uint64_t alloc[kBitWords] = {};
    uint64_t mark[kBitWords] = {};
    // The send walk's "seen" bits, good for the walk numbered walk_epoch only.
    uint64_t walked[kBitWords] = {};
    uint32_t walk_epoch = 0;
    // Marks slot i seen by walk `epoch`; false when it already was.
    bool walk_visit(uint32_t i, uint32_t epoch) {
        if (walk_epoch != epoch) {
            __builtin_memset(walked, 0, sizeof walked);
            walk_epoch = epoch;
        }
        const uint64_t bit = uint64_t{1} << (i % 64);
        if (walked[i / 64] & bit) return false;
        walked[i / 64] |= bit;
        return true;
    }
    const Type** types = nullptr;  // the type word of each slot
    uint8_t* pins = nullptr;       // pin count of each slot
    bool allocated(uint32_t i) const { return alloc[i / 64] >> (i % 64) & 1; }
    bool marked(uint32_t i) const { return mark[i / 64] >> (i % 64) & 1; }
    // The slot addr lies in, for addr in the span's pages (nslots or more: past the last).
    uint32_t slot_of(uintptr_t addr) const {
        const uintptr_t off = addr - base;
        if (nslots == 1) return off < slot_size ? 0 : 1;
        return static_cast<uint32_t>((off * div_mul) >> 32);
    }
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
    uint64_t granted_seen = 0;    // the start info's granted_bytes as heap_account last saw it
    uint64_t asks_seen = 0;       // the start info's collect_asks as the last collection began
    // Bytes of new spans since the last collection. Spans whose pages another program
    // holds are not allocated from, so a program that sends each object it makes takes a
    // span per object: collections come at next_gc of either, or its pages would run out
    // long before its objects' bytes called for one.
    uint64_t spans_since_gc = 0;
    uint64_t total_alloc = 0, heap_sys = 0, mallocs = 0, frees = 0, num_gc = 0, pause_total_ns = 0;
};
extern HeapState heap;

void heap_init(uintptr_t pool_base, uintptr_t pool_pages);
inline bool in_pool(uintptr_t addr) {
    return addr >= heap.pool_base && addr - heap.pool_base < heap.pool_pages * GOOS_PAGE_SIZE;
}
// The span addr lies in, or null. Inline: walks and marks ask it for every word.
inline Span* span_of(uintptr_t addr) {
    if (addr < heap.pool_base || addr - heap.pool_base >= heap.pool_pages * GOOS_PAGE_SIZE || !heap.table)
        return nullptr;
    const uintptr_t index = (addr - heap.pool_base) / GOOS_PAGE_SIZE;
    Span** chunk = heap.table[index / kTableChunk];
    return chunk ? chunk[index % kTableChunk] : nullptr;
}
// The kernel's shared and dirty bits (abi.h) for any of the span's pages.
bool span_shared(const Span* s);
bool span_dirty(const Span* s);
// Called by the sweep for every span, with the link that points to it in heap.all: an empty
// span is unlinked and its pages go back to the kernel.
void span_swept(Span* s, Span** prev_link);
// A collection; the heap lock is held.
void collect_locked();

}  // namespace goos_rt
