// Package variables as objects (image.h).
//
// The table lives on pages of its own (scratch pages of this program's), which every walk
// that reaches a variable hands on with it, so it stays as long as anyone may read the
// variables. Each package's registration writes a new table whole before the heads point
// to it; another program may be reading the old one, so it is kept (a page or so per
// package with pointer variables, once).
#include "image.h"

#include "heap_internal.h"
#include "layout.h"
#include "scratch.h"

namespace goos_rt {
namespace {

// gccgo's root list (GCCGO.md): one package's variables, each with the bitmap of its
// pointer words (lowest bit first) over its first ptrdata bytes.
struct GcRoot {
    uintptr_t decl, size, ptrdata;
    const uint8_t* gcdata;
};
struct GcRootList {
    const GcRootList* next;
    intptr_t count;
    GcRoot roots[1];
};

uintptr_t data_lo = 0, data_hi = 0;  // the writable data's pages, once known
const uint64_t* table = nullptr;     // count, then {start, size} pairs

void find_data() {
    image_writable([](uintptr_t lo, uintptr_t hi) {
        lo &= ~(GOOS_PAGE_SIZE - 1);
        hi = (hi + GOOS_PAGE_SIZE - 1) & ~(GOOS_PAGE_SIZE - 1);
        if (!data_lo || lo < data_lo) data_lo = lo;
        if (hi > data_hi) data_hi = hi;
    });
    // Records left by the pages' earlier users say nothing of this image.
    layout_clear(data_lo, data_hi - data_lo);
}

// A new table: the old one's entries and those of `list`, in order of start.
const uint64_t* rebuild(const GcRootList* list) {
    const uintptr_t old = table ? table[0] : 0;
    uintptr_t n = old;
    for (intptr_t i = 0; i < list->count; ++i) n += list->roots[i].ptrdata != 0;
    auto* t = static_cast<uint64_t*>(
        scratch_pages((8 + n * 16 + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE, "runtime: out of memory for the variable table"));
    for (uintptr_t i = 0; i < old * 2; ++i) t[1 + i] = table[1 + i];
    n = old;
    // Insertion into place: a package's roots come in declaration order, not address order.
    for (intptr_t r = 0; r < list->count; ++r) {
        const GcRoot& root = list->roots[r];
        if (root.ptrdata == 0) continue;
        uintptr_t i = n;
        for (; i > 0 && t[1 + (i - 1) * 2] > root.decl; --i) {
            t[1 + i * 2] = t[1 + (i - 1) * 2];
            t[2 + i * 2] = t[2 + (i - 1) * 2];
        }
        t[1 + i * 2] = root.decl;
        t[2 + i * 2] = root.size;
        ++n;
    }
    t[0] = n;
    return t;
}

}  // namespace

void image_register_roots(const void* roots) {
    const auto* list = static_cast<const GcRootList*>(roots);
    if (!program_info || !in_pool(reinterpret_cast<uintptr_t>(&data_lo))) return;  // an image outside the pool
    heap.lock.lock();  // this program's walks read the table under it
    if (!data_lo) find_data();
    for (intptr_t i = 0; i < list->count; ++i) {
        const GcRoot& root = list->roots[i];
        if (root.decl < data_lo || root.size > data_hi - root.decl || root.ptrdata > root.size) {
            heap.lock.unlock();
            fatal_panic("runtime: a GC root outside the image's writable data");
        }
        for (uintptr_t w = 0; w < root.ptrdata / 8; w += 64) {
            uint64_t bits = 0;
            for (uintptr_t b = 0; b < 64 && w + b < root.ptrdata / 8; ++b)
                bits |= uint64_t{root.gcdata[(w + b) / 8] >> ((w + b) % 8) & 1u} << b;
            layout_words(root.decl + w * 8, bits);
        }
    }
    table = rebuild(list);
    layout_image(data_lo, static_cast<uint32_t>((data_hi - data_lo) / GOOS_PAGE_SIZE),
                 reinterpret_cast<uintptr_t>(table));
    heap.lock.unlock();
}

}  // namespace goos_rt
