// Small freestanding helpers: memory primitives (provided by the backend as the C
// symbols the compiler itself emits), a formatter for the console, and the seeded
// generator behind every random choice the kernel makes.
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

extern "C" {
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
void* memset(void* dst, int c, size_t n);
int memcmp(const void* a, const void* b, size_t n);
}

namespace kernel {

// Writes into a fixed buffer; never overflows, always terminated.
class Buf {
public:
    Buf(char* data, size_t cap) : data_(data), cap_(cap) { data_[0] = 0; }
    Buf& str(const char* s);
    Buf& str(const char* s, size_t n);
    Buf& num(int64_t v);
    Buf& unum(uint64_t v);
    Buf& hex(uint64_t v);
    Buf& ch(char c);
    const char* c_str() const { return data_; }
    size_t size() const { return len_; }

private:
    char* data_;
    size_t cap_;
    size_t len_ = 0;
};

// Formats with %s %d %u %x %c %% (and l/ll length modifiers ignored) to the console.
void kprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void kvformat(Buf& out, const char* fmt, va_list ap);
size_t kstrlen(const char* s);
bool kstreq(const char* a, size_t alen, const char* b, size_t blen);

// The number of bits set in x (without libgcc's __popcountdi2: the core links no runtime
// library; sets of processes are small).
inline uint64_t bits_set(uint64_t x) {
    uint64_t n = 0;
    for (; x; x &= x - 1) ++n;
    return n;
}

// splitmix64's finaliser: a well-mixed function of x.
inline uint64_t mix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// xoshiro256** seeded through splitmix64: fast, good enough for select fairness and
// preemption decisions, and reproducible from one seed.
class Rng {
public:
    void seed(uint64_t s);
    uint64_t next();
    // Uniform in [0, n) without modulo bias.
    uint64_t below(uint64_t n);

private:
    uint64_t s_[4] = {1, 2, 3, 4};
};

}  // namespace kernel
