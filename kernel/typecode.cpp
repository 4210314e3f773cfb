// Layout-driven equality and hashing (typedesc.h): Go's `==` and map hashing for a value
// of any canonical type, read from the descriptor's structure. Equal values hash equal:
// +0 and -0 alike; NaN equals nothing, so its hash need not repeat. Fields named "_" are
// skipped, as Go does. Nesting by value is bounded by the type's check (typedesc.cpp);
// interfaces nest as deep as the values do.
#include "klib.h"
#include "typedesc.h"

using goos_go::Type;

namespace {

constexpr uint64_t kK0 = 0xa0761d6478bd642fULL, kK1 = 0xe7037ed1a0b428dbULL;

uint64_t mix(uint64_t a, uint64_t b) {
    const __uint128_t r = static_cast<__uint128_t>(a) * b;
    return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

uint64_t mem_hash(const void* p, uint64_t seed, uint64_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    uint64_t h = mix(seed ^ kK0, n ^ kK1);
    for (; n >= 8; n -= 8, b += 8) {
        uint64_t w;
        memcpy(&w, b, 8);
        h = mix(h ^ w, kK1);
    }
    uint64_t t = 0;
    for (uint64_t i = 0; i < n; ++i) t |= static_cast<uint64_t>(b[i]) << (8 * i);
    return mix(h ^ t, kK0);
}

uint64_t float_hash(double f, const void* at, uint64_t seed) {
    if (f == 0) return mix(seed, kK0);                                          // +0 and -0
    if (f != f) return mix(seed ^ reinterpret_cast<uintptr_t>(at) ^ kK1, kK0);  // NaN
    return mem_hash(&f, seed, 8);
}

bool skipped(const goos_go::StructField& f) {
    return f.name && f.name->len == 1 && f.name->ptr[0] == '_';
}

// An interface value's dynamic type: a non-empty interface's first word is a method table,
// whose first word is the type.
const Type* dynamic(const Type* t, const void* v) {
    const Type* dyn = *static_cast<const Type* const*>(v);
    if (dyn && reinterpret_cast<const goos_go::InterfaceType*>(t)->nmethods)
        dyn = *reinterpret_cast<const Type* const*>(dyn);
    return dyn;
}

const void* data_of(const Type* dyn, const void* v) {
    const void* const* words = static_cast<const void* const*>(v);
    return dyn->kind & goos_go::kKindDirectIface ? static_cast<const void*>(&words[1]) : words[1];
}

}  // namespace

extern "C" {

int goos_type_equal(const Type* t, const void* p, const void* q, const Type** uncomparable) {
    const auto* a = static_cast<const uint8_t*>(p);
    const auto* b = static_cast<const uint8_t*>(q);
    switch (t->kind & goos_go::kKindMask) {
        case goos_go::kFloat32:
            return *reinterpret_cast<const float*>(a) == *reinterpret_cast<const float*>(b);
        case goos_go::kFloat64:
            return *reinterpret_cast<const double*>(a) == *reinterpret_cast<const double*>(b);
        case goos_go::kComplex64: {
            const auto* x = reinterpret_cast<const float*>(a);
            const auto* y = reinterpret_cast<const float*>(b);
            return x[0] == y[0] && x[1] == y[1];
        }
        case goos_go::kComplex128: {
            const auto* x = reinterpret_cast<const double*>(a);
            const auto* y = reinterpret_cast<const double*>(b);
            return x[0] == y[0] && x[1] == y[1];
        }
        case goos_go::kString: {
            const auto* x = reinterpret_cast<const goos_go::String*>(a);
            const auto* y = reinterpret_cast<const goos_go::String*>(b);
            return x->len == y->len && (x->ptr == y->ptr || memcmp(x->ptr, y->ptr, x->len) == 0);
        }
        case goos_go::kInterface: {
            const Type* dx = dynamic(t, a);
            const Type* dy = dynamic(t, b);
            if (dx != dy) return 0;
            if (!dx) return 1;
            if (!dx->equal) {
                *uncomparable = dx;
                return -1;
            }
            if (dx->kind & goos_go::kKindDirectIface) return data_of(dx, a) == data_of(dx, b) ? 1 : 0;
            return goos_type_equal(dx, data_of(dx, a), data_of(dx, b), uncomparable);
        }
        case goos_go::kArray: {
            const auto* at = reinterpret_cast<const goos_go::ArrayType*>(t);
            for (uint64_t i = 0; i < at->len; ++i) {
                const int r = goos_type_equal(at->elem, a + i * at->elem->size, b + i * at->elem->size, uncomparable);
                if (r != 1) return r;
            }
            return 1;
        }
        case goos_go::kStruct: {
            const auto* st = reinterpret_cast<const goos_go::StructType*>(t);
            for (intptr_t i = 0; i < st->nfields; ++i) {
                const goos_go::StructField& f = st->fields[i];
                if (skipped(f)) continue;
                const uint64_t off = f.offset_embedded >> 1;
                const int r = goos_type_equal(f.type, a + off, b + off, uncomparable);
                if (r != 1) return r;
            }
            return 1;
        }
        default:  // booleans, integers, pointers, channels: their bytes
            return memcmp(a, b, t->size) == 0;
    }
}

uint64_t goos_type_hash(const Type* t, const void* p, uint64_t seed, const Type** unhashable) {
    const auto* a = static_cast<const uint8_t*>(p);
    switch (t->kind & goos_go::kKindMask) {
        case goos_go::kFloat32:
            return float_hash(*reinterpret_cast<const float*>(a), a, seed);
        case goos_go::kFloat64:
            return float_hash(*reinterpret_cast<const double*>(a), a, seed);
        case goos_go::kComplex64: {
            const auto* c = reinterpret_cast<const float*>(a);
            return float_hash(c[1], a, float_hash(c[0], a, seed));
        }
        case goos_go::kComplex128: {
            const auto* c = reinterpret_cast<const double*>(a);
            return float_hash(c[1], a, float_hash(c[0], a, seed));
        }
        case goos_go::kString: {
            const auto* s = reinterpret_cast<const goos_go::String*>(a);
            return mem_hash(s->ptr, seed, static_cast<uint64_t>(s->len));
        }
        case goos_go::kInterface: {
            const Type* dyn = dynamic(t, a);
            if (!dyn) return mix(seed, kK1);
            if (!dyn->equal) {
                *unhashable = dyn;
                return seed;
            }
            return mix(goos_type_hash(dyn, data_of(dyn, a), seed ^ kK0, unhashable), kK1);
        }
        case goos_go::kArray: {
            const auto* at = reinterpret_cast<const goos_go::ArrayType*>(t);
            uint64_t h = seed;
            for (uint64_t i = 0; i < at->len; ++i) h = goos_type_hash(at->elem, a + i * at->elem->size, h, unhashable);
            return h;
        }
        case goos_go::kStruct: {
            const auto* st = reinterpret_cast<const goos_go::StructType*>(t);
            uint64_t h = seed;
            for (intptr_t i = 0; i < st->nfields; ++i) {
                const goos_go::StructField& f = st->fields[i];
                if (!skipped(f)) h = goos_type_hash(f.type, a + (f.offset_embedded >> 1), h, unhashable);
            }
            return h;
        }
        default:
            return mem_hash(a, seed, t->size);
    }
}

// The Go signatures behind the func values (typedesc.h), with the descriptor as a third
// argument that the thunks below load from the func value.
__attribute__((used, visibility("hidden"))) bool goos_type_equal_go(const void* p, const void* q, const Type* t) {
    const Type* bad = nullptr;
    const int r = goos_type_equal(t, p, q, &bad);
    if (r < 0) __builtin_trap();
    return r == 1;
}
__attribute__((used, visibility("hidden"))) uint64_t goos_type_hash_go(const void* p, uint64_t seed, const Type* t) {
    const Type* bad = nullptr;
    const uint64_t h = goos_type_hash(t, p, seed, &bad);
    if (bad) __builtin_trap();
    return h;
}

// gccgo passes a func value in %r10 (GCC's static chain); its second word is the descriptor.
__attribute__((naked)) void goos_type_equal_thunk() {
    __asm__("movq 8(%r10), %rdx\n\tjmp goos_type_equal_go");
}
__attribute__((naked)) void goos_type_hash_thunk() {
    __asm__("movq 8(%r10), %rdx\n\tjmp goos_type_hash_go");
}

}  // extern "C"
