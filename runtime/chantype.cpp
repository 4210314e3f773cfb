// Channel types across programs: fingerprints, the fingerprint-to-descriptor cache, and
// the channels inside a value being sent (chantype.h).
#include "chantype.h"

extern "C" intptr_t goos_rt_ntype_lists;  // types.cpp: what registerTypeDescriptors got
extern "C" void* goos_rt_type_lists;

namespace goos_rt {
namespace {

// Fingerprint -> descriptor, filled on a miss by a scan of the registered type lists.
// Goroutines are preempted anywhere: an entry's type is stored before its tag (release),
// and read after it (acquire); two goroutines filling one entry store the same values.
struct CacheEntry {
    uint64_t tag;
    const Type* type;
};
constexpr uint32_t kCacheSize = 256;
CacheEntry cache[kCacheSize];

// The predeclared types: the compiler emits their descriptors (weak, one per image) where
// they are used, but lists only a package's own types.
#define PREDECLARED(X)                                                                                             \
    X(bool)                                                                                                        \
    X(int) X(int8) X(int16) X(int32) X(int64) X(uint) X(uint8) X(uint16) X(uint32) X(uint64) X(uintptr) X(float32) \
        X(float64) X(complex64) X(complex128) X(string) X(error)
#define DECLARE(name) extern "C" const Type predeclared_##name __asm__(#name "..d") __attribute__((weak));
PREDECLARED(DECLARE)
#undef DECLARE
#define ENTRY(name) &predeclared_##name,
const Type* const predeclared[] = {PREDECLARED(ENTRY)};
#undef ENTRY

const Type* scan_type_lists(uint64_t tag) {
    for (const Type* t : predeclared)
        if (t && type_fingerprint(t) == tag) return t;
    const auto* lists = static_cast<const uintptr_t* const*>(goos_rt_type_lists);
    for (intptr_t i = 0; lists && i < goos_rt_ntype_lists; ++i) {
        const uintptr_t* list = lists[i];
        for (uintptr_t j = 0; list && j < list[0]; ++j) {
            const auto* t = reinterpret_cast<const Type*>(list[1 + j]);
            if (type_fingerprint(t) == tag) return t;
            // A package lists *T for each of its named types T, not T itself.
            if ((t->kind & kKindMask) == kPtr) {
                const Type* elem = reinterpret_cast<const PtrType*>(t)->elem;
                if (elem && type_fingerprint(elem) == tag) return elem;
            }
        }
    }
    return nullptr;
}

// Visits what a value of type t at v holds directly: its interfaces and func values.
template <class Visitor>
void walk(const Type* t, uint8_t* v, Visitor& visit) {
    if (!t || t->ptrdata == 0) return;
    switch (t->kind & kKindMask) {
        case kStruct: {
            const auto* st = reinterpret_cast<const StructType*>(t);
            for (intptr_t i = 0; i < st->nfields; ++i)
                walk(st->fields[i].type, v + (st->fields[i].offset_embedded >> 1), visit);
            return;
        }
        case kArray: {
            const auto* at = reinterpret_cast<const ArrayType*>(t);
            if (!at->elem || at->elem->ptrdata == 0) return;
            for (uintptr_t i = 0; i < at->len; ++i) walk(at->elem, v + i * at->elem->size, visit);
            return;
        }
        case kInterface:
            visit.iface(reinterpret_cast<const InterfaceType*>(t), reinterpret_cast<const void**>(v));
            return;
        case kFunc:
            visit.func(*reinterpret_cast<const void* const*>(v));
            return;
        default:
            return;  // what pointers reach comes as objects of their own (transfer.h)
    }
}

[[noreturn]] void unknown_type(const Type* foreign) {
    char buf[200];
    Fmt f{buf, sizeof buf};
    f.str("receive of a value of type ");
    if (foreign->string) {
        // Go's names leave out the package path the compiler quotes between tabs.
        const String* s = foreign->string;
        intptr_t at = 0;
        if (s->len && s->ptr[0] == '\t') {
            at = 1;
            while (at < s->len && s->ptr[at] != '\t') ++at;
            if (at < s->len) ++at;
        }
        f.str(s->ptr + at, s->len - at);
    }
    f.str(" that this program does not declare");
    go_panic(kPlainError, buf, f.n);
}

extern "C" void* rt_requireitab(const Type* inter, const Type* type) __asm__("runtime.requireitab");

class Rebinder {
public:
    void iface(const InterfaceType* it, const void** words) {
        const Type* dyn = dynamic_type(it, words);
        if (!dyn || in_own_image(dyn)) return;
        const Type* own = own_type(type_fingerprint(dyn));
        if (!own) unknown_type(dyn);
        words[0] = it->nmethods ? rt_requireitab(&it->common, own) : own;
    }
    // A func value is a closure whose first word is its code.
    void func(const void* closure) {
        if (closure && !in_own_image(*static_cast<const void* const*>(closure)))
            go_panic(kPlainError, "receive of a func value from another program (only data crosses programs)");
    }
};

const ChanType* chan_type_of(const void* c) { return own_chan_type(chan_tag(c)); }

}  // namespace

bool in_own_image(const void* p) {
    extern const char image_start[] __asm__("__ehdr_start");
    extern const char image_end[] __asm__("_end");
    return p >= image_start && p < image_end;
}

uint64_t type_fingerprint(const Type* t) {
    uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
    auto mix = [&h](uint64_t v, int bytes) {
        for (int i = 0; i < bytes; ++i) {
            h ^= (v >> (8 * i)) & 0xff;
            h *= 0x100000001b3ULL;
        }
    };
    mix(t->kind & kKindMask, 1);
    mix(t->size, 8);
    mix(t->hash, 4);  // the compiler's hash of the type's structure (and name, for named types)
    // The pointer layout: two programs must agree on where the pointers are.
    mix(t->ptrdata, 8);
    if (t->gcdata && !(t->kind & 0x40))
        for (uintptr_t i = 0; i < (t->ptrdata / 8 + 7) / 8; ++i) mix(t->gcdata[i], 1);
    if (t->string)
        for (intptr_t i = 0; i < t->string->len; ++i) mix(t->string->ptr[i], 1);
    h |= 1;
    // A channel type says in bit 1 whether its values hold pointers, so that a send or a
    // receive can tell from the channel's word 2 alone whether it has objects to hand over
    // (chantype.h, kChanCarriesPointers); both programs compute the same bit.
    if ((t->kind & kKindMask) == kChan) {
        const Type* elem = reinterpret_cast<const ChanType*>(t)->elem;
        h = (h & ~kChanCarriesPointers) | (elem && elem->ptrdata ? kChanCarriesPointers : 0);
    }
    return h;
}

const Type* own_type(uint64_t tag) {
    if (!tag) return nullptr;
    for (uint32_t i = 0; i < kCacheSize; ++i) {
        CacheEntry& e = cache[(tag + i) % kCacheSize];
        const uint64_t seen = __atomic_load_n(&e.tag, __ATOMIC_ACQUIRE);
        if (seen == tag) return e.type;
        if (seen != 0) continue;
        const Type* t = scan_type_lists(tag);
        if (!t) return nullptr;  // not cached: a miss is rare and the answer may not change
        e.type = t;
        __atomic_store_n(&e.tag, tag, __ATOMIC_RELEASE);
        return t;
    }
    return scan_type_lists(tag);
}

const ChanType* own_chan_type(uint64_t tag) {
    const Type* t = own_type(tag);
    return t && (t->kind & kKindMask) == kChan ? reinterpret_cast<const ChanType*>(t) : nullptr;
}

const Type* elem_type_of(const void* c) {
    const ChanType* ct = chan_type_of(c);
    return ct ? ct->elem : nullptr;
}

void rebind_received(const void* c, void* elem) {
    const ChanType* ct = chan_type_of(c);
    if (!ct || !ct->elem || ct->elem->ptrdata == 0) return;
    Rebinder rebinder;
    walk(ct->elem, static_cast<uint8_t*>(elem), rebinder);
}

void rebind_object(const Type* t, void* object, uintptr_t size) {
    if (!t || t->ptrdata == 0 || t->size == 0) return;
    Rebinder rebinder;
    for (uintptr_t off = 0; off + t->size <= size; off += t->size) walk(t, static_cast<uint8_t*>(object) + off, rebinder);
}

}  // namespace goos_rt
