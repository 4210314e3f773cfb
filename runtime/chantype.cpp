// Channel types across programs: fingerprints, the fingerprint-to-descriptor cache, and
// the channels inside a value being sent (chantype.h).
#include "chantype.h"

extern "C" intptr_t goos_rt_ntype_lists;  // types.cpp: what registerTypeDescriptors got
extern "C" void* goos_rt_type_lists;

namespace goos_rt {
namespace {

// Struct and array descriptors past the common part (GCCGO.md, "Type descriptors").
struct StructField {
    const String* name;
    const String* pkg_path;
    const Type* type;
    const String* tag;
    uintptr_t offset_embedded;  // offset << 1 | embedded
};
struct StructType {
    Type common;
    const StructField* fields;
    intptr_t nfields;
    intptr_t cap;
};
struct InterfaceType {
    Type common;
    const void* methods;
    intptr_t nmethods;
    intptr_t cap;
};
struct ArrayType {
    Type common;
    const Type* elem;
    const Type* slice;
    uintptr_t len;
};

// Fingerprint -> descriptor, filled on a miss by a scan of the registered type lists.
// Goroutines are preempted anywhere: an entry's type is stored before its tag (release),
// and read after it (acquire); two goroutines filling one entry store the same values.
struct CacheEntry {
    uint64_t tag;
    const ChanType* type;
};
constexpr uint32_t kCacheSize = 256;
CacheEntry cache[kCacheSize];

const ChanType* scan_type_lists(uint64_t tag) {
    const auto* lists = static_cast<const uintptr_t* const*>(goos_rt_type_lists);
    for (intptr_t i = 0; lists && i < goos_rt_ntype_lists; ++i) {
        const uintptr_t* list = lists[i];
        for (uintptr_t j = 0; list && j < list[0]; ++j) {
            const auto* t = reinterpret_cast<const Type*>(list[1 + j]);
            if ((t->kind & kKindMask) == kChan && type_fingerprint(t) == tag)
                return reinterpret_cast<const ChanType*>(t);
        }
    }
    return nullptr;
}

class Finder {
public:
    explicit Finder(SendChannels* out) : out_(out) {}
    void value(const Type* t, const uint8_t* v);
    uint32_t count() const { return n_; }

private:
    void add(uint64_t chan) {
        if (!chan) return;
        if (n_ == SendChannels::kMax) fatal_panic("runtime: more than 64 channels inside one sent value");
        out_->chans[n_++] = chan;
    }
    SendChannels* out_;
    uint32_t n_ = 0;
};

void Finder::value(const Type* t, const uint8_t* v) {
    if (!t || t->ptrdata == 0) return;
    switch (t->kind & kKindMask) {
        case kChan: {
            uint64_t c;
            __builtin_memcpy(&c, v, sizeof c);
            add(c);
            return;
        }
        case kStruct: {
            const auto* st = reinterpret_cast<const StructType*>(t);
            for (intptr_t i = 0; i < st->nfields; ++i)
                value(st->fields[i].type, v + (st->fields[i].offset_embedded >> 1));
            return;
        }
        case kArray: {
            const auto* at = reinterpret_cast<const ArrayType*>(t);
            if (!at->elem || at->elem->ptrdata == 0) return;
            for (uintptr_t i = 0; i < at->len; ++i) value(at->elem, v + i * at->elem->size);
            return;
        }
        case kInterface: {
            // interface{} holds (type, data); an interface with methods holds (itab, data),
            // and an itab's first word is the type. A channel is stored in the data word.
            const auto* it = reinterpret_cast<const InterfaceType*>(t);
            const void* words[2];
            __builtin_memcpy(words, v, sizeof words);
            const Type* dyn = static_cast<const Type*>(words[0]);
            if (dyn && it->nmethods) dyn = *static_cast<const Type* const*>(words[0]);
            if (dyn && (dyn->kind & kKindMask) == kChan) add(reinterpret_cast<uint64_t>(words[1]));
            return;
        }
        default:
            return;  // pointers, slices, maps, strings: the transfer walk's (not yet)
    }
}

}  // namespace

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
    mix(t->hash, 4);
    if (t->string)
        for (intptr_t i = 0; i < t->string->len; ++i) mix(t->string->ptr[i], 1);
    return h | 1;
}

const ChanType* own_chan_type(uint64_t tag) {
    if (!tag) return nullptr;
    for (uint32_t i = 0; i < kCacheSize; ++i) {
        CacheEntry& e = cache[(tag + i) % kCacheSize];
        const uint64_t seen = __atomic_load_n(&e.tag, __ATOMIC_ACQUIRE);
        if (seen == tag) return e.type;
        if (seen != 0) continue;
        const ChanType* t = scan_type_lists(tag);
        if (!t) return nullptr;  // not cached: a miss is rare and the answer may not change
        e.type = t;
        __atomic_store_n(&e.tag, tag, __ATOMIC_RELEASE);
        return t;
    }
    return scan_type_lists(tag);
}

const goos_transfer* channels_in(const void* c, const void* elem, SendChannels* out) {
    uint64_t tag;
    __builtin_memcpy(&tag, static_cast<const uint8_t*>(c) + 16, sizeof tag);  // word 2
    const ChanType* ct = own_chan_type(tag);
    if (!ct || !ct->elem || ct->elem->ptrdata == 0) return nullptr;
    Finder finder(out);
    finder.value(ct->elem, static_cast<const uint8_t*>(elem));
    if (finder.count() == 0) return nullptr;
    out->desc = {};
    out->desc.chans = out->chans;
    out->desc.nchans = finder.count();
    return &out->desc;
}

}  // namespace goos_rt
