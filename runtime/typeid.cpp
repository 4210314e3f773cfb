// Structural type identity (typeid.h): the encoder, the caches of tags and hashes, and the
// search of this program's own descriptors.
#include "typeid.h"

#include "scratch.h"

extern "C" intptr_t goos_rt_ntype_lists;  // types.cpp: what registerTypeDescriptors got
extern "C" void* goos_rt_type_lists;

namespace goos_rt {
namespace {

using Bytes = ScratchVec<uint8_t, 512>;

// Unnamed types nest only as deep as source text does; another program's descriptors are
// untrusted input, and an image that makes them loop gets a panic, not a stack overflow.
constexpr int kMaxDepth = 100;

[[noreturn]] void too_complex() {
    go_panic(kPlainError, "runtime: a type too large or too deep to compare across programs");
}

const Uncommon* uncommon_of(const Type* t) {
    return static_cast<const Uncommon*>(t->uncommon);
}
bool is_named(const Type* t) {
    return uncommon_of(t) && uncommon_of(t)->name;
}

bool str_same(const String* a, const String* b) {
    const intptr_t la = a ? a->len : 0, lb = b ? b->len : 0;
    return la == lb && (la == 0 || __builtin_memcmp(a->ptr, b->ptr, static_cast<size_t>(la)) == 0);
}

class Encoder {
public:
    explicit Encoder(Bytes* out) : out_(out) {}
    Encoder(const Encoder&) = delete;
    Encoder& operator=(const Encoder&) = delete;

    void encode(const Type* root) {
        out_->push(GOOS_TYPE_ENC_VERSION);
        bool pointers = false;
        if (root && (root->kind & kKindMask) == kChan) {
            const Type* elem = reinterpret_cast<const ChanType*>(root)->elem;
            pointers = elem && elem->ptrdata;
        }
        out_->push(pointers ? GOOS_TYPE_ENC_POINTERS : 0);
        ref(root, 0);
        for (uint32_t i = 0; i < named_.size(); ++i) {
            name(named_[i]);
            shape(named_[i], 0);
        }
    }

private:
    void byte(uint8_t b) {
        if (out_->size() >= GOOS_MAX_TYPE_ENCODING) too_complex();
        out_->push(b);
    }
    void uv(uint64_t v) {
        for (; v >= 0x80; v >>= 7) byte(static_cast<uint8_t>(v | 0x80));
        byte(static_cast<uint8_t>(v));
    }
    void str(const String* s) {
        const intptr_t n = s ? s->len : 0;
        uv(static_cast<uint64_t>(n));
        for (intptr_t i = 0; i < n; ++i) byte(s->ptr[i]);
    }
    void name(const Type* t) {
        str(uncommon_of(t)->pkg_path);
        str(uncommon_of(t)->name);
    }
    void ref(const Type* t, int depth) {
        if (depth > kMaxDepth) too_complex();
        if (!t) {
            byte('Z');
            return;
        }
        if (is_named(t)) {
            byte('N');
            name(t);
            for (uint32_t i = 0; i < named_.size(); ++i) {
                const Uncommon* a = uncommon_of(named_[i]);
                const Uncommon* b = uncommon_of(t);
                if (named_[i] == t || (str_same(a->name, b->name) && str_same(a->pkg_path, b->pkg_path))) return;
            }
            named_.push(t);
            return;
        }
        byte('U');
        shape(t, depth + 1);
    }
    void shape(const Type* t, int depth) {
        const uint8_t kind = t->kind & kKindMask;
        byte(t->kind & (kKindMask | kKindDirectIface));
        uv(t->size);
        uv(t->ptrdata);
        byte(t->align);
        byte(t->field_align);
        switch (kind) {
            case kArray: {
                const auto* a = reinterpret_cast<const ArrayType*>(t);
                uv(a->len);
                ref(a->elem, depth);
                return;
            }
            case kChan: {
                const auto* c = reinterpret_cast<const ChanType*>(t);
                uv(c->dir);
                ref(c->elem, depth);
                return;
            }
            case kFunc: {
                const auto* f = reinterpret_cast<const FuncType*>(t);
                byte(f->dotdotdot ? 1 : 0);
                uv(static_cast<uint64_t>(f->nin));
                for (intptr_t i = 0; i < f->nin; ++i) ref(f->in[i], depth);
                uv(static_cast<uint64_t>(f->nout));
                for (intptr_t i = 0; i < f->nout; ++i) ref(f->out[i], depth);
                return;
            }
            case kInterface: {
                const auto* it = reinterpret_cast<const InterfaceType*>(t);
                uv(static_cast<uint64_t>(it->nmethods));
                for (intptr_t i = 0; i < it->nmethods; ++i) {
                    str(it->methods[i].name);
                    str(it->methods[i].pkg_path);
                    ref(it->methods[i].type, depth);
                }
                return;
            }
            case kMap: {
                const auto* m = reinterpret_cast<const MapType*>(t);
                ref(m->key, depth);
                ref(m->elem, depth);
                return;
            }
            case kPtr:
                ref(reinterpret_cast<const PtrType*>(t)->elem, depth);
                return;
            case kSlice:
                ref(reinterpret_cast<const SliceType*>(t)->elem, depth);
                return;
            case kStruct: {
                const auto* st = reinterpret_cast<const StructType*>(t);
                uv(static_cast<uint64_t>(st->nfields));
                for (intptr_t i = 0; i < st->nfields; ++i) {
                    const StructField& f = st->fields[i];
                    str(f.name);
                    str(f.pkg_path);
                    ref(f.type, depth);
                    str(f.tag);
                    uv(f.offset_embedded);
                }
                return;
            }
            default:
                return;  // the basic kinds: kind and size say it all
        }
    }

    Bytes* out_;
    ScratchVec<const Type*, 16> named_;
};

void encode(const Type* t, Bytes* out) {
    out->clear();
    Encoder e(out);
    e.encode(t);
}

// Per descriptor of this program's image: the hash of its encoding, and the kernel's tag
// once asked (filled under fill_lock, below). Another program's descriptors are never cached: its image may be gone and
// another loaded at the same address.
struct Known {
    const Type* type;
    uint64_t hash;
    uint64_t tag;  // 0 until asked
};
constexpr uint32_t kKnown = 2048;

// The caches live on pages of their own, made on first use: runtime metadata, which the
// collector's scan of the program's writable data never reads (DESIGN.md, "Layout
// records": the runtime's own variables share no page with what walks reach; 56 KiB of
// cached descriptor addresses scanned by every collection once doubled the graphs
// fuzzer's instructions).
template <class T, uint32_t N>
T* table(T** slot) {
    T* t = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (t) return t;
    constexpr uintptr_t kPages = (N * sizeof(T) + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE;
    auto* fresh = static_cast<T*>(scratch_pages(kPages, "runtime: out of memory for the type caches"));
    __builtin_memset(static_cast<void*>(fresh), 0, kPages * GOOS_PAGE_SIZE);
    if (__atomic_compare_exchange_n(slot, &t, fresh, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) return fresh;
    scratch_release(fresh, kPages);  // another goroutine made it first
    return t;
}
Known* known_table;

// Fills of both caches take this lock: two goroutines that found the same empty entry for
// different keys would otherwise mix their values. Look-ups take no lock: an entry's key
// is stored last (release) and read first (acquire), and entries are never removed.
SpinLock fill_lock;

// t's entry, or null; with `enc` (t's encoding), made when missing and there is room.
Known* known_entry(const Type* t, const Bytes* enc) {
    const auto key = reinterpret_cast<uintptr_t>(t);
    Known* entries = table<Known, kKnown>(&known_table);
    const auto slot = [&](uint32_t i) -> Known& { return entries[((key >> 4) * 0x9e3779b97f4a7c15ULL + i) % kKnown]; };
    for (uint32_t i = 0; i < 16; ++i) {
        const Type* seen = __atomic_load_n(&slot(i).type, __ATOMIC_ACQUIRE);
        if (seen == t) return &slot(i);
        if (!seen) break;
    }
    if (!enc) return nullptr;
    fill_lock.lock();
    Known* e = nullptr;
    for (uint32_t i = 0; i < 16 && !e; ++i) {
        const Type* seen = slot(i).type;
        if (seen == t || !seen) e = &slot(i);
    }
    if (e && e->type != t) {
        e->hash = goos_type_encoding_hash(const_cast<Bytes*>(enc)->data(), enc->size());
        e->tag = 0;
        __atomic_store_n(&e->type, t, __ATOMIC_RELEASE);
    }
    fill_lock.unlock();
    return e;
}

// The hash of t's encoding: cached for this program's own descriptors.
uint64_t hash_of(const Type* t, Bytes* scratch) {
    const bool own = in_own_image(t);
    if (own)
        if (const Known* e = known_entry(t, nullptr)) return e->hash;
    encode(t, scratch);
    if (own) known_entry(t, scratch);
    return goos_type_encoding_hash(scratch->data(), scratch->size());
}

bool same_bytes(const Bytes& a, const Bytes& b) {
    return a.size() == b.size() &&
           __builtin_memcmp(const_cast<Bytes&>(a).data(), const_cast<Bytes&>(b).data(), a.size()) == 0;
}

// The predeclared types: the compiler emits their descriptors (weak, one per image) where
// they are used, but lists only a package's own types.
#define PREDECLARED(X)                                                                                    \
    X(bool)                                                                                               \
    X(int)                                                                                                \
    X(int8)                                                                                               \
    X(int16)                                                                                              \
    X(int32)                                                                                              \
    X(int64) X(uint) X(uint8) X(uint16) X(uint32) X(uint64) X(uintptr) X(float32) X(float64) X(complex64) \
        X(complex128) X(string) X(error)
#define DECLARE(name) extern "C" const Type predeclared_##name __asm__(#name "..d") __attribute__((weak));
PREDECLARED(DECLARE)
#undef DECLARE
#define ENTRY(name) &predeclared_##name,
const Type* const predeclared[] = {PREDECLARED(ENTRY)};
#undef ENTRY

// This program's descriptor whose encoding is `want`: candidates by hash, then in full.
const Type* find_own(const Bytes& want) {
    const uint64_t h = goos_type_encoding_hash(const_cast<Bytes&>(want).data(), want.size());
    Bytes scratch, candidate;
    auto matches = [&](const Type* t) {
        if (!t || hash_of(t, &scratch) != h) return false;
        encode(t, &candidate);
        return same_bytes(candidate, want);
    };
    for (const Type* t : predeclared)
        if (matches(t)) return t;
    const auto* lists = static_cast<const uintptr_t* const*>(goos_rt_type_lists);
    for (intptr_t i = 0; lists && i < goos_rt_ntype_lists; ++i) {
        const uintptr_t* list = lists[i];
        for (uintptr_t j = 0; list && j < list[0]; ++j) {
            const auto* t = reinterpret_cast<const Type*>(list[1 + j]);
            if (matches(t)) return t;
            // A package lists *T for each of its named types T, not T itself.
            if ((t->kind & kKindMask) == kPtr && matches(reinterpret_cast<const PtrType*>(t)->elem))
                return reinterpret_cast<const PtrType*>(t)->elem;
        }
    }
    return nullptr;
}

// Tag -> this program's descriptor, filled on a hit of the search above (a miss is rare
// and its answer may not change, so it is not kept).
struct OwnEntry {
    uint64_t tag;
    const Type* type;
};
constexpr uint32_t kOwn = 256;
OwnEntry* own_table;

uint64_t intern(const Bytes& b) {
    const int64_t r = sys(GOOS_SYS_type_intern, u(const_cast<Bytes&>(b).data()), b.size());
    if (r <= 0) fatal_panic("runtime: the kernel refused a type (out of memory for types)");
    return static_cast<uint64_t>(r);
}

// The encoding behind a tag, from the kernel; false for a tag it never gave.
bool encoding_of(uint64_t tag, Bytes* out) {
    out->clear();
    int64_t n = sys(GOOS_SYS_type_info, tag, u(out->data()), 512);
    if (n < 0) return false;
    if (n > 512) {
        out->reserve(static_cast<uint32_t>(n));
        n = sys(GOOS_SYS_type_info, tag, u(out->data()), static_cast<uint64_t>(n));
        if (n < 0) return false;
    }
    out->resize(static_cast<uint32_t>(n));
    return true;
}

}  // namespace

uint64_t type_tag(const Type* t) {
    if (!t) return 0;
    const bool own = in_own_image(t);
    Known* e = own ? known_entry(t, nullptr) : nullptr;
    if (e) {
        const uint64_t tag = __atomic_load_n(&e->tag, __ATOMIC_ACQUIRE);
        if (tag) return tag;
    }
    Bytes b;
    encode(t, &b);
    const uint64_t tag = intern(b);
    if (own && !e) e = known_entry(t, &b);
    if (e) __atomic_store_n(&e->tag, tag, __ATOMIC_RELEASE);
    return tag;
}

bool types_same(const Type* a, const Type* b) {
    if (a == b) return true;
    if (!a || !b || (a->kind & kKindMask) != (b->kind & kKindMask) || a->size != b->size) return false;
    Bytes ea, eb;
    // Cached hashes settle most pairs of this program's own descriptors without encoding;
    // otherwise the encodings are compared in full.
    if (in_own_image(a) && in_own_image(b) && hash_of(a, &ea) != hash_of(b, &eb)) return false;
    encode(a, &ea);
    encode(b, &eb);
    return same_bytes(ea, eb);
}

const Type* own_type(uint64_t tag) {
    if (!tag) return nullptr;
    OwnEntry* entries = table<OwnEntry, kOwn>(&own_table);
    const auto slot = [&](uint32_t i) -> OwnEntry& { return entries[(tag / 4 + i) % kOwn]; };
    for (uint32_t i = 0; i < kOwn; ++i) {
        const uint64_t seen = __atomic_load_n(&slot(i).tag, __ATOMIC_ACQUIRE);
        if (seen == tag) return slot(i).type;
        if (!seen) break;
    }
    // A miss: found by search, and kept only when found (the answer to a miss may change).
    Bytes want;
    if (!encoding_of(tag, &want)) return nullptr;
    const Type* t = find_own(want);
    if (!t) return nullptr;
    fill_lock.lock();
    for (uint32_t i = 0; i < kOwn; ++i) {
        OwnEntry& e = slot(i);
        if (e.tag == tag) break;
        if (e.tag) continue;
        e.type = t;
        __atomic_store_n(&e.tag, tag, __ATOMIC_RELEASE);
        break;
    }
    fill_lock.unlock();
    return t;
}

const Type* own_type_like(const Type* foreign) {
    if (!foreign || in_own_image(foreign)) return foreign;
    Bytes b;
    encode(foreign, &b);
    return own_type(intern(b));
}

void tag_name(Fmt& f, uint64_t tag) {
    uint8_t buf[256];
    const int64_t n = sys(GOOS_SYS_type_name, tag, u(buf), sizeof buf);
    if (n < 0) {
        f.str("(a type the kernel does not know)");
        return;
    }
    f.str(buf, n < static_cast<int64_t>(sizeof buf) ? n : static_cast<intptr_t>(sizeof buf));
}

}  // namespace goos_rt
