// Hash functions for map keys (GCCGO.md, "always"): the calls and func values that map
// type descriptors and compiler-generated struct hashers name (memhash*, strhash, float
// and complex hashes, interhash, nilinterhash). Equal keys hash equal: +0 and -0 alike,
// an interface by its dynamic type's value, walking arrays and structs field by field.
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

// Go's typehash: the hash of a value of type t at p, by the type's structure.
uintptr_t type_hash(const Type* t, const void* p, uintptr_t seed);

uintptr_t iface_value_hash(const Type* t, void* data, uintptr_t seed) {
    if (!t) return seed;
    if (!t->equal) {
        char buf[160];
        Fmt f{buf, sizeof buf};
        f.str("hash of unhashable type ");
        type_name(f, t);
        go_panic(kRuntimeError, buf, f.n);
    }
    const void* p = (t->kind & kKindDirectIface) ? static_cast<const void*>(&data) : data;
    return mix(type_hash(t, p, seed ^ kK0), kK1);
}

uintptr_t type_hash(const Type* t, const void* p, uintptr_t seed) {
    switch (t->kind & kKindMask) {
        case kFloat32:
            return f64_hash(*static_cast<const float*>(p), seed);
        case kFloat64:
            return f64_hash(*static_cast<const double*>(p), seed);
        case kComplex64: {
            const auto* c = static_cast<const float*>(p);
            return f64_hash(c[1], f64_hash(c[0], seed));
        }
        case kComplex128: {
            const auto* c = static_cast<const double*>(p);
            return f64_hash(c[1], f64_hash(c[0], seed));
        }
        case kString:
            return str_hash(static_cast<const String*>(p), seed);
        case kInterface: {
            const auto* e = static_cast<const Eface*>(p);
            // A non-empty interface's first word is its method table, whose first word
            // is the type.
            const bool empty = reinterpret_cast<const StructType*>(t)->nfields == 0;
            const Type* dyn = e->type;
            if (!empty && dyn) dyn = *reinterpret_cast<const Type* const*>(dyn);
            return iface_value_hash(dyn, e->data, seed);
        }
        case kArray: {
            const auto* a = reinterpret_cast<const ArrayType*>(t);
            uintptr_t h = seed;
            for (uintptr_t i = 0; i < a->len; ++i)
                h = type_hash(a->elem, static_cast<const uint8_t*>(p) + i * a->elem->size, h);
            return h;
        }
        case kStruct: {
            const auto* s = reinterpret_cast<const StructType*>(t);
            uintptr_t h = seed;
            for (intptr_t i = 0; i < s->nfields; ++i) {
                const StructField& f = s->fields[i];
                if (f.name && f.name->len == 1 && f.name->ptr[0] == '_') continue;
                h = type_hash(f.type, static_cast<const uint8_t*>(p) + (f.offset_embedded >> 1), h);
            }
            return h;
        }
        default:
            if (!t->equal) return iface_value_hash(t, const_cast<void*>(p), seed);  // panics
            return mem_hash(p, seed, t->size);
    }
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
