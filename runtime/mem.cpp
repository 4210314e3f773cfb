// The C library a freestanding GoOS image needs: the memory primitives gccgo-compiled
// code (and the compiler itself) calls, and what libgcc_eh (the unwinder behind recover)
// links against: abort, malloc, free, strlen and _dl_find_object. A hosted executable
// (goos-run-*, see tools/goos-build) leaves this file out and uses the host's C library,
// as the kernel's hosted build does (kernel/klib.h). Built with -fno-builtin and
// -fno-tree-loop-distribute-patterns so the loops are not turned back into calls to
// themselves.
#include <stddef.h>
#include <stdint.h>

#include "g.h"

extern "C" {

void* memcpy(void* dst, const void* src, size_t n) {
    void* d = dst;
    asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
    return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
    auto* d = static_cast<uint8_t*>(dst);
    auto* s = static_cast<const uint8_t*>(src);
    if (d == s || n == 0) return dst;
    if (d < s || d >= s + n) return memcpy(dst, src, n);
    // Overlapping, destination above: copy backwards.
    const uint8_t* se = s + n - 1;
    uint8_t* de = d + n - 1;
    asm volatile("std; rep movsb; cld" : "+D"(de), "+S"(se), "+c"(n) : : "memory");
    return dst;
}

void* memset(void* dst, int c, size_t n) {
    void* d = dst;
    asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return dst;
}

int memcmp(const void* a, const void* b, size_t n) {
    auto* p = static_cast<const uint8_t*>(a);
    auto* q = static_cast<const uint8_t*>(b);
    for (size_t i = 0; i < n; ++i)
        if (p[i] != q[i]) return p[i] < q[i] ? -1 : 1;
    return 0;
}

// libgcc_eh finds unwind tables through _dl_find_object only (gcc 12 built for glibc
// 2.35+), so malloc and free are never called at run time; they exist for the link.
void* malloc(size_t n) {
    return goos_rt::alloc(n);
}
void free(void*) {}  // the heap has no free yet
[[noreturn]] void abort() {
    goos_rt::fatal_panic("runtime: abort called (by the unwinder)");
}
size_t strlen(const char* s) {
    return goos_rt::cstrlen(s);
}

// glibc's struct dl_find_object for x86-64 (no eh_dbase).
struct dl_find_object {
    unsigned long long flags;
    void* map_start;
    void* map_end;
    void* link_map;
    void* eh_frame;  // the PT_GNU_EH_FRAME segment (.eh_frame_hdr)
    unsigned long long reserved[7];
};

// The one object is the program image itself.
int _dl_find_object(void* pc, dl_find_object* r) {
    goos_rt::ImageUnwindInfo info;
    const auto a = reinterpret_cast<uintptr_t>(pc);
    if (!goos_rt::image_unwind_info(&info) || a < info.lo || a >= info.hi) return -1;
    r->flags = 0;
    r->map_start = reinterpret_cast<void*>(info.lo);
    r->map_end = reinterpret_cast<void*>(info.hi);
    r->link_map = nullptr;
    r->eh_frame = reinterpret_cast<void*>(info.eh_frame_hdr);
    return 0;
}

}  // extern "C"
