// Layout records (DESIGN.md, "Layout records"; the format is in abi.h): what each word of
// a heap object is (scalar, pointer, interface type word, func value), written by the
// object's origin when it makes a span and hands out a slot, and read by every walk and
// mark, for another program's objects as for this one's. A reader needs no type
// descriptor, so an object whose type the reader does not know is still read exactly.
//
// The records of another program's pages are its words, not ours: a reader bounds every
// extent a head gives by the head's own span (a lying head can make this program misread
// pages it holds, never reach past them; confinement to held pages is the isolation
// layer's).
#pragma once

#include "rt.h"

namespace goos_rt {

// From the start info (start.cpp).
void layout_init(const goos_start_info* info);

// The heads of a new span of `npages` pages at base: slots of slot_size bytes (0: one slot,
// the whole span).
void layout_span(uintptr_t base, uint32_t npages, uint32_t slot_size);
// The bits of a slot of `slot` bytes at addr handed out for `size` bytes of values of type
// t (repeated size / t->size times; null: no pointers; kConservative: every word may be a
// pointer). The rest of the slot is scalar, and the slot is not walked.
void layout_object(uintptr_t addr, uintptr_t slot, uintptr_t size, const Type* t);
// Marks one value of type t at addr (bits already clear), as a map's entries need.
void layout_value(uintptr_t addr, const Type* t);

// A walk (a send's, or a store's exposure) reached the object at start (abi.h,
// walked_bits): set before the walk reads it. Inline: the walk does it for every object.
extern uintptr_t layout_pool_base;
extern uint64_t* walked_bits;
inline void layout_walked(uintptr_t start) {
    const uintptr_t word = (start - layout_pool_base) / 8;
    const uint64_t bit = uint64_t{1} << (word % 64);
    // A graph sent again finds its bits set: no locked write for those.
    if (!(__atomic_load_n(&walked_bits[word / 64], __ATOMIC_RELAXED) & bit))
        __atomic_fetch_or(&walked_bits[word / 64], bit, __ATOMIC_RELAXED);
}

// Marks word i of addr a pointer for each bit i set in `pointers` (bits already clear).
void layout_words(uintptr_t addr, uint64_t pointers);

// The object holding addr by its page's head: a slot of a heap span or a package variable
// that holds pointers (another program's included). False for a page that is neither, or
// a head that contradicts itself. *is_var, when given, says whether it is a variable.
bool layout_object_at(uintptr_t addr, uintptr_t* start, uintptr_t* size, bool* is_var = nullptr);
// The records outside the kernel's arrays that a reader of the object at addr relies on:
// an image's variable table, which whoever reaches a variable must hold with it. False for
// a heap object.
bool layout_records_at(uintptr_t addr, uintptr_t* lo, uintptr_t* len);
// The read-only unit of an image holding addr (abi.h, GOOS_LAYOUT_IMAGE_RO): its string
// literals, type descriptors and method tables, any program's, which whoever reaches any
// byte of holds whole. False for a page of no unit.
bool layout_unit_at(uintptr_t addr, uintptr_t* lo, uintptr_t* len);
// What the word at addr is (GOOS_LAYOUT_*); scalar outside the pool.
uint64_t layout_kind(uintptr_t addr);
// Whether addr lies on a page of channel headers: a channel value.
bool layout_is_channel(uintptr_t addr);

// Calls f(word_address, kind) for each word of [start, start + size) that is not scalar,
// in address order.
template <class F>
void layout_each(uintptr_t start, uintptr_t size, F f);

// What layout_each reads (defined in layout.cpp).
extern uint64_t* layout_bits;
extern uintptr_t layout_pool_base;

template <class F>
void layout_each(uintptr_t start, uintptr_t size, F f) {
    if (size < 8) return;
    const uintptr_t first = (start - layout_pool_base) / 8;
    const uintptr_t end = first + size / 8;  // one past the last word
    for (uintptr_t rw = first / 32; rw * 32 < end; ++rw) {
        uint64_t x = __atomic_load_n(&layout_bits[rw], __ATOMIC_RELAXED);
        if (!x) continue;
        if (rw * 32 < first) x &= ~uint64_t{0} << ((first - rw * 32) * 2);
        if ((rw + 1) * 32 > end) x &= ~(~uint64_t{0} << ((end - rw * 32) * 2));
        while (x) {
            const unsigned bit = static_cast<unsigned>(__builtin_ctzll(x)) & ~1u;
            const uint64_t kind = x >> bit & 3;
            x &= ~(uint64_t{3} << bit);
            f(layout_pool_base + (rw * 32 + bit / 2) * 8, kind);
        }
    }
}

}  // namespace goos_rt
