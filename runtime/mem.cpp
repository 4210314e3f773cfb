// The C memory primitives gccgo-compiled code (and the compiler itself) calls. A
// freestanding GoOS image links them; a hosted executable (goos-run-*, see
// tools/goos-build) leaves them out and uses the host's, as the kernel's hosted build
// does (kernel/klib.h). Built with -fno-builtin and -fno-tree-loop-distribute-patterns
// so the loops are not turned back into calls to themselves.
#include <stddef.h>
#include <stdint.h>

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

}  // extern "C"
