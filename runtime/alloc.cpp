// The heap, first cut: objects are carved from pages the kernel hands out (page_alloc),
// each reported to the page ledger with obj_alloc so the kernel knows the program owns
// it. Sizes are rounded to Go's size classes (so append grows capacity exactly as gc and
// libgo do). No collector yet: nothing is freed before the program ends, when the kernel
// takes every page back. The span allocator with per-slot owners and type words
// (DESIGN.md) replaces the bump pointer here.
#include "rt.h"

namespace goos_rt {

namespace {

constexpr uintptr_t kPage = GOOS_PAGE_SIZE;

// Go 1.18's size classes (runtime/sizeclasses.go), class 0 excluded.
constexpr uint16_t kClassSize[] = {
    8,     16,    24,    32,    48,    64,    80,    96,    112,   128,   144,   160,   176,   192,
    208,   224,   240,   256,   288,   320,   352,   384,   416,   448,   480,   512,   576,   640,
    704,   768,   896,   1024,  1152,  1280,  1408,  1536,  1792,  2048,  2304,  2688,  3072,  3200,
    3456,  4096,  4864,  5376,  6144,  6528,  6784,  6912,  8192,  9472,  9728,  10240, 10880, 12288,
    13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};
constexpr uintptr_t kMaxSmall = 32768;
constexpr uintptr_t kGoPage = 8192;  // Go's page, the rounding of large sizes

SpinLock heap_lock;
uintptr_t cur = 0;      // next free byte in the current page
uintptr_t cur_end = 0;  // end of the current page
uintptr_t spare[64];    // pages fetched for a large object that did not join its run
int nspare = 0;
uint64_t zerobase;

uintptr_t page_alloc() {
    if (nspare) return spare[--nspare];
    int64_t r = sys(GOOS_SYS_page_alloc);
    if (r <= 0) fatal_panic("runtime: out of memory");
    return static_cast<uintptr_t>(r);
}

void own(uintptr_t page) {
    if (sys(GOOS_SYS_obj_alloc, page, 1) < 0) fatal_panic("runtime: page ledger refused an allocation");
}

// n pages at consecutive addresses. The kernel hands out single pages, usually in
// ascending order; pages that break a run are kept for small objects.
uintptr_t pages_contiguous(uintptr_t n) {
    uintptr_t first = 0, count = 0;
    for (int tries = 0; count < n; ++tries) {
        if (tries > 4 * static_cast<int>(n) + 64) fatal_panic("runtime: no contiguous pages for a large object");
        int64_t r = sys(GOOS_SYS_page_alloc);
        if (r <= 0) fatal_panic("runtime: out of memory");
        uintptr_t p = static_cast<uintptr_t>(r);
        if (count && p == first + count * kPage) {
            ++count;
        } else if (count && p + kPage == first) {
            first = p;
            ++count;
        } else {
            if (count && nspare < 64) {
                // Keep the old run's pages as spares only when the new one supersedes it.
                for (uintptr_t i = 0; i < count && nspare < 64; ++i) spare[nspare++] = first + i * kPage;
            }
            first = p;
            count = 1;
        }
    }
    return first;
}

}  // namespace

// Go's roundupsize: the size an allocation of `size` bytes really gets.
uintptr_t roundupsize(uintptr_t size) {
    if (size <= kMaxSmall) {
        for (uint16_t c : kClassSize)
            if (c >= size) return c;
    }
    if (size + kGoPage < size) return size;
    return (size + kGoPage - 1) & ~(kGoPage - 1);
}

void* alloc(uintptr_t size) {
    if (size == 0) return &zerobase;
    if (size > (uintptr_t{1} << 40)) fatal_panic("runtime: out of memory");
    const uintptr_t align = size >= 16 ? 16 : 8;
    heap_lock.lock();
    void* result;
    if (size > kPage) {
        const uintptr_t n = (size + kPage - 1) / kPage;
        const uintptr_t p = pages_contiguous(n);
        own(p);
        result = reinterpret_cast<void*>(p);
    } else {
        uintptr_t at = (cur + align - 1) & ~(align - 1);
        if (!cur || at + size > cur_end) {
            cur = page_alloc();
            cur_end = cur + kPage;
            at = cur;
        }
        own(at & ~(kPage - 1));
        cur = at + size;
        result = reinterpret_cast<void*>(at);
    }
    heap_lock.unlock();
    __builtin_memset(result, 0, size);
    return result;
}

}  // namespace goos_rt

using namespace goos_rt;

extern "C" {

void* rt_newobject(const Type* t) GO_SYM("runtime.newobject");
void* rt_mallocgc(uintptr_t size, const Type* t, bool needzero) GO_SYM("runtime.mallocgc");
void rt_typedmemmove(const Type* t, void* dst, const void* src) GO_SYM("runtime.typedmemmove");
void rt_gcWriteBarrier(uintptr_t* dst, uintptr_t src) GO_SYM("runtime.gcWriteBarrier");
Slice rt_growslice(const Type* et, void* old, intptr_t oldlen, intptr_t oldcap, intptr_t cap)
    GO_SYM("runtime.growslice");
void rt_registerGCRoots(void* roots) GO_SYM("runtime.registerGCRoots");

// The write barrier flag the compiler tests before pointer stores; never set until a
// concurrent collector exists.
struct {
    uint32_t enabled;
    uint8_t pad[4];
    uint64_t alignme;
} rt_writeBarrier GO_SYM("runtime.writeBarrier") __attribute__((aligned(8))) = {};

void* rt_newobject(const Type* t) { return alloc(t->size); }
void* rt_mallocgc(uintptr_t size, const Type*, bool) { return alloc(size); }

void rt_typedmemmove(const Type* t, void* dst, const void* src) {
    if (dst != src && t->size) __builtin_memmove(dst, src, t->size);
}

void rt_gcWriteBarrier(uintptr_t* dst, uintptr_t src) { *dst = src; }

// The GC roots list, kept for the collector to come.
void* goos_rt_gc_roots = nullptr;
void rt_registerGCRoots(void* roots) { goos_rt_gc_roots = roots; }

// libgo's growslice: the result's length is the requested one (`cap`), its capacity
// grows as Go grows it.
Slice rt_growslice(const Type* et, void* old, intptr_t oldlen, intptr_t oldcap, intptr_t cap) {
    if (cap < oldcap) runtime_error("growslice: cap out of range");
    const uintptr_t size = et->size;
    if (size == 0) return Slice{&zerobase, cap, cap};
    intptr_t newcap = oldcap;
    const intptr_t doublecap = newcap + newcap;
    if (cap > doublecap) {
        newcap = cap;
    } else {
        constexpr intptr_t threshold = 256;
        if (oldcap < threshold) {
            newcap = doublecap;
        } else {
            while (0 < newcap && newcap < cap) newcap += (newcap + 3 * threshold) / 4;
            if (newcap <= 0) newcap = cap;
        }
    }
    if (static_cast<uintptr_t>(newcap) > (uintptr_t{1} << 40) / size) runtime_error("growslice: cap out of range");
    const uintptr_t capmem = roundupsize(static_cast<uintptr_t>(newcap) * size);
    newcap = static_cast<intptr_t>(capmem / size);
    void* p = alloc(capmem);
    if (oldlen > 0) __builtin_memmove(p, old, static_cast<uintptr_t>(oldlen) * size);
    return Slice{p, cap, newcap};
}

}  // extern "C"
