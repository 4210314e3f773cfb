// Hashing and equality: type_hash and values_equal, which maps and interface comparisons
// use, by the kernel's layout-driven code; and the
// calls and func values that the compiler's descriptors and generated struct hashers name
// (memhash*, strhash, float and complex hashes, interhash, nilinterhash), which images
// must link but which no map calls since the loader binds every descriptor to the type
// segment's (whose hashers are the kernel's). Equal keys hash equal: +0 and -0 alike.
// A NaN hashes at random, as in Go, so each NaN key is a new entry.
//
// The mixing is a multiply-fold over 8-byte words, seeded by the map's seed (map.cpp);
// not Go's AES hash, and not meant to resist chosen keys beyond what the seed gives.
#include "rt.h"

namespace goos_rt {
namespace {

constexpr uint64_t kK0 = 0xa0761d6478bd642fULL, kK1 = 0xe7037ed1a0b428dbULL, kK2 = 0x8ebc6af09c88c6e3ULL;

inline uint64_t mix(uint64_t a, uint64_t b) {
    const __uint128_t r = static_cast<__uint128_t>(a) * b;
    return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline uint64_t load64(const uint8_t* p) {
    uint64_t v;
    __builtin_memcpy(&v, p, 8);
    return v;
}

uint64_t nan_counter = 0;

}  // namespace

uintptr_t mem_hash(const void* p, uintptr_t seed, uintptr_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    uint64_t h = seed ^ mix(n ^ kK0, kK1);
    while (n >= 8) {
        h = mix(h ^ load64(b), kK1);
        b += 8;
        n -= 8;
    }
    if (n) {
        uint64_t t = 0;
        for (uintptr_t i = 0; i < n; ++i) t |= static_cast<uint64_t>(b[i]) << (8 * i);
        h = mix(h ^ t, kK2);
    }
    return mix(h, kK0);
}

uintptr_t str_hash(const String* s, uintptr_t seed) {
    return mem_hash(s->ptr, seed, static_cast<uintptr_t>(s->len));
}

uintptr_t f64_hash(double f, uintptr_t seed) {
    if (f == 0) return mem_hash(&nan_counter, seed, 0);                                         // +0 and -0
    if (f != f) return mix(seed ^ __atomic_add_fetch(&nan_counter, 1, __ATOMIC_RELAXED), kK2);  // NaN
    return mem_hash(&f, seed, 8);
}

// Go's runtime error naming a type that cannot be hashed or compared.
[[noreturn]] void type_error(const char* what, const Type* t) {
    char buf[160];
    Fmt f{buf, sizeof buf};
    f.str(what);
    type_name(f, t);
    go_panic(kRuntimeError, buf, f.n);
}
[[noreturn]] void unhashable(const Type* t) {
    type_error("hash of unhashable type ", t);
}
[[noreturn]] void uncomparable(const Type* t) {
    type_error("comparing uncomparable type ", t);
}

// Go's typehash: by the type's layout, in the kernel's code (kernel/typedesc.h), which
// every program's maps use, so a map built in one program works in another.
uintptr_t type_hash(const Type* t, const void* p, uintptr_t seed) {
    if (!t->equal) unhashable(t);
    const Type* bad = nullptr;
    const uint64_t h = program_info->type_hash(t, p, seed, &bad);
    if (bad) unhashable(bad);
    return h;
}

bool values_equal(const Type* t, const void* p, const void* q) {
    if (!t->equal) uncomparable(t);
    const Type* bad = nullptr;
    const int r = program_info->type_equal(t, p, q, &bad);
    if (r < 0) uncomparable(bad);
    return r == 1;
}

uintptr_t iface_value_hash(const Type* t, void* data, uintptr_t seed) {
    if (!t) return seed;
    const void* p = (t->kind & kKindDirectIface) ? static_cast<const void*>(&data) : data;
    return mix(type_hash(t, p, seed ^ kK0), kK1);
}

}  // namespace goos_rt

using namespace goos_rt;

#define GO_FUNC_VALUE(fn, sym) extern "C" const void* const fn##_f[1] GO_SYM(sym) = {reinterpret_cast<const void*>(&fn)}

extern "C" {

uintptr_t rt_memhash(const void* p, uintptr_t seed, uintptr_t n) GO_SYM("runtime.memhash");
uintptr_t rt_memhash(const void* p, uintptr_t seed, uintptr_t n) {
    return mem_hash(p, seed, n);
}

#define MEMHASH_N(bits)                                                                        \
    uintptr_t rt_memhash##bits(const void* p, uintptr_t seed) GO_SYM("runtime.memhash" #bits); \
    uintptr_t rt_memhash##bits(const void* p, uintptr_t seed) {                                \
        return mem_hash(p, seed, bits / 8);                                                    \
    }                                                                                          \
    GO_FUNC_VALUE(rt_memhash##bits, "runtime.memhash" #bits "..f");
MEMHASH_N(0)
MEMHASH_N(8)
MEMHASH_N(16)
MEMHASH_N(32)
MEMHASH_N(64)
MEMHASH_N(128)
#undef MEMHASH_N

uintptr_t rt_strhash(const String* p, uintptr_t seed) GO_SYM("runtime.strhash");
uintptr_t rt_strhash(const String* p, uintptr_t seed) {
    return str_hash(p, seed);
}
GO_FUNC_VALUE(rt_strhash, "runtime.strhash..f");

uintptr_t rt_f32hash(const float* p, uintptr_t seed) GO_SYM("runtime.f32hash");
uintptr_t rt_f32hash(const float* p, uintptr_t seed) {
    return f64_hash(*p, seed);
}
GO_FUNC_VALUE(rt_f32hash, "runtime.f32hash..f");

uintptr_t rt_f64hash(const double* p, uintptr_t seed) GO_SYM("runtime.f64hash");
uintptr_t rt_f64hash(const double* p, uintptr_t seed) {
    return f64_hash(*p, seed);
}
GO_FUNC_VALUE(rt_f64hash, "runtime.f64hash..f");

uintptr_t rt_c64hash(const float* p, uintptr_t seed) GO_SYM("runtime.c64hash");
uintptr_t rt_c64hash(const float* p, uintptr_t seed) {
    return f64_hash(p[1], f64_hash(p[0], seed));
}
GO_FUNC_VALUE(rt_c64hash, "runtime.c64hash..f");

uintptr_t rt_c128hash(const double* p, uintptr_t seed) GO_SYM("runtime.c128hash");
uintptr_t rt_c128hash(const double* p, uintptr_t seed) {
    return f64_hash(p[1], f64_hash(p[0], seed));
}
GO_FUNC_VALUE(rt_c128hash, "runtime.c128hash..f");

uintptr_t rt_nilinterhash(const Eface* p, uintptr_t seed) GO_SYM("runtime.nilinterhash");
uintptr_t rt_nilinterhash(const Eface* p, uintptr_t seed) {
    return iface_value_hash(p->type, p->data, seed);
}
GO_FUNC_VALUE(rt_nilinterhash, "runtime.nilinterhash..f");

uintptr_t rt_interhash(const Eface* p, uintptr_t seed) GO_SYM("runtime.interhash");
uintptr_t rt_interhash(const Eface* p, uintptr_t seed) {
    const Type* t = p->type ? *reinterpret_cast<const Type* const*>(p->type) : nullptr;
    return iface_value_hash(t, p->data, seed);
}
GO_FUNC_VALUE(rt_interhash, "runtime.interhash..f");

}  // extern "C"
