// The heap and its collector (DESIGN.md, "Ownership and kernel-assisted garbage
// collection"): spans of same-size slots on pages the kernel hands out, a layout record
// per word (layout.h) and a type word per object, and a stop-the-world mark-sweep
// collector per program.
//
// Roots: the program's writable data and every goroutine's whole stack, both scanned
// conservatively (gccgo gives no stack maps), and pinned objects. Objects are scanned by
// their layout records, other programs' objects as this program's, and the mark reports
// the other programs' pages it reached (the kernel ends this program's hold on the rest).
// Only this program's own slots are swept, and only on pages no one else held since the
// mark began (the kernel's dirty bits): what it sent stays while others may reach it. Pins
// keep an object alive that only the kernel refers to (a goroutine's start record).
#pragma once

#include "rt.h"

namespace goos_rt {

// An object of `size` bytes holding elements of type `elem` (size / elem->size of them);
// elem null: unknown layout, scanned conservatively. Zeroed.
void* heap_alloc(uintptr_t size, const Type* elem);
// An object that holds no pointers (string bytes and the like). Zeroed.
void* heap_alloc_noscan(uintptr_t size);

// An array of entries of `esize` bytes, each holding a value of type a at offset aoff and
// one of type b at boff (a map's table), its layout record exact. Zeroed.
struct TableLayout {
    uintptr_t esize;
    const Type* a;
    uintptr_t aoff;
    const Type* b;
    uintptr_t boff;
};
void* heap_alloc_table(uintptr_t size, const TableLayout& table);
// A runtime record of up to 64 words whose pointer words are the set bits of `pointers`.
void* heap_alloc_record(uintptr_t size, uint64_t pointers);

// Pins or unpins the object holding p, if p points into this heap.
void heap_pin(const void* p, bool pin);

// Collects now (runtime.GC).
void heap_collect();
// The body of the runtime's thread that answers the kernel's asks for a collection
// (DESIGN.md, "collections the kernel asks for"): a program blocked for good still lets go
// of what it no longer reaches. Never returns.
[[noreturn]] void heap_answer_asks();
// Memory the program caused outside its heap counts toward the next collection as its
// allocations do (DESIGN.md, "Charging, pacing"): `made` bytes it just had the kernel make
// (a channel), and what the kernel granted it since it last looked (start info's
// granted_bytes: pages and channels received or looked up). A program that only makes
// channels, or only receives, thus collects too, and lets go of what it no longer reaches.
void heap_account(uintptr_t made);

struct HeapStats {
    uint64_t heap_alloc;   // bytes of live objects, as of the last collection plus since
    uint64_t total_alloc;  // bytes ever allocated
    uint64_t heap_sys;     // bytes of pages the heap holds
    uint64_t mallocs;
    uint64_t frees;
    uint64_t num_gc;
    uint64_t pause_total_ns;
    uint64_t next_gc;  // heap_alloc that triggers the next collection
};
HeapStats heap_stats();

}  // namespace goos_rt
