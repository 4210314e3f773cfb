// What gccgo-compiled code calls to allocate (newobject, mallocgc, makeslice, growslice)
// over the heap (heap.h): each object gets the type word the collector scans it by. The
// write barrier and typed copies are in barrier.cpp.
#include "heap.h"
#include "image.h"

using namespace goos_rt;

extern "C" {

void* rt_newobject(const Type* t) GO_SYM("runtime.newobject");
void* rt_mallocgc(uintptr_t size, const Type* t, bool needzero) GO_SYM("runtime.mallocgc");
Slice rt_growslice(const Type* et, void* old, intptr_t oldlen, intptr_t oldcap, intptr_t cap)
    GO_SYM("runtime.growslice");
void rt_registerGCRoots(void* roots) GO_SYM("runtime.registerGCRoots");

void* rt_newobject(const Type* t) {
    return heap_alloc(t->size, t);
}
void* rt_mallocgc(uintptr_t size, const Type* t, bool) {
    return heap_alloc(size, t);
}

// make([]T, len, cap) with lengths known only at run time: the backing array (the
// compiler builds the slice header). Go's checks and messages.
void* rt_makeslice(const Type* et, intptr_t len, intptr_t cap) GO_SYM("runtime.makeslice");
void* rt_makeslice(const Type* et, intptr_t len, intptr_t cap) {
    constexpr uintptr_t kMaxAlloc = uintptr_t{1} << 40;
    const auto fits = [&](intptr_t n) {
        uintptr_t mem;
        return n >= 0 && !__builtin_mul_overflow(et->size, static_cast<uintptr_t>(n), &mem) && mem <= kMaxAlloc;
    };
    if (!fits(cap) || len < 0 || len > cap) {
        if (!fits(len)) runtime_error("makeslice: len out of range");
        runtime_error("makeslice: cap out of range");
    }
    return heap_alloc(et->size * static_cast<uintptr_t>(cap), et);
}
void* rt_makeslice64(const Type* et, int64_t len, int64_t cap) GO_SYM("runtime.makeslice64");
void* rt_makeslice64(const Type* et, int64_t len, int64_t cap) {
    return rt_makeslice(et, len, cap);
}

// The compiler's list of package variables holding pointers: checked against their
// layout records (image.h). The collector scans the whole writable image conservatively,
// which covers them and the runtime's own state.
void rt_registerGCRoots(void* roots) {
    image_check_roots(roots);
}

// libgo's growslice: the result's length is the requested one (`cap`), its capacity
// grows as Go grows it.
Slice rt_growslice(const Type* et, void* old, intptr_t oldlen, intptr_t oldcap, intptr_t cap) {
    if (cap < oldcap) runtime_error("growslice: cap out of range");
    const uintptr_t size = et->size;
    if (size == 0) return Slice{heap_alloc(0, et), cap, cap};
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
    void* p = heap_alloc(capmem, et);
    if (oldlen > 0) __builtin_memmove(p, old, static_cast<uintptr_t>(oldlen) * size);
    return Slice{p, cap, newcap};
}

}  // extern "C"
