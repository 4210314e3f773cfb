// Maps (GCCGO.md, "maps"): makemap, lookups, assignment, delete, clear, iteration and
// map literals, with the __fast32/__fast64/__faststr forms the compiler picks by key type.
//
// The table is ours; the compiler knows only that `count` is the first word (len(m) reads
// it; a nil map has length 0) and that an iterator is a 96-byte record on the stack whose
// first two words are the current key and value pointers (null key: done).
//
// Layout: entries in insertion order in one array (each: the key's hash with the top bit
// set, 0 once deleted; the key; the value, each 8-aligned), plus an open-addressing index
// of entry numbers. Deleting clears an entry in place; inserting appends; when the array
// is full it is rebuilt without deleted entries at twice the live count. The old array is
// left to iterators: an iterator walks the array it started on and, once the map has
// moved to a new one, checks each key against the map, so it sees every entry present
// for the whole iteration exactly once, none deleted before its turn, and entries added
// meanwhile perhaps (as Go allows). Iteration starts at a varying entry, so programs do
// not come to rely on an order. Every map hashes with a seed of its own, kept in its
// header (DESIGN.md, "Maps"), so a map means the same in every program that reaches it.
#include "barrier.h"
#include "heap.h"

namespace goos_rt {
namespace {

struct Map {
    intptr_t count;      // live entries; first word, read by len()
    uint8_t* entries;    // cap entries of esize bytes
    uint32_t* index;     // isize slots: 0 empty, kTomb deleted, else entry number + 1
    uint32_t cap, used;  // entries allotted, entries appended (live or deleted)
    uint32_t isize, tombs;
    uint64_t iter_starts;
    uint64_t seed;  // its own hash seed, so it hashes alike in whichever program uses it
};

constexpr uint32_t kTomb = 0xffffffffu;
constexpr uint64_t kLive = 1ULL << 63;
// Each map's seed comes from a generator the kernel seeded for this program (the start
// info's hash_seed: from the run's seed and the pid in a deterministic run, unpredictable
// otherwise), so no seed is known to all programs, and a map sent to another program
// carries the seed it was built with.
uint64_t map_seeds = 0;
uint64_t next_map_seed() {
    uint64_t x = program_info->hash_seed + __atomic_add_fetch(&map_seeds, 0x9e3779b97f4a7c15ULL, __ATOMIC_RELAXED);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

inline uintptr_t round8(uintptr_t n) {
    return (n + 7) & ~uintptr_t{7};
}

struct Shape {
    uintptr_t koff = 8, voff, esize;
    explicit Shape(const MapType* t)
        : voff(8 + round8(t->key->size)), esize(8 + round8(t->key->size) + round8(t->elem->size)) {}
};

inline uint64_t& entry_hash(uint8_t* e) {
    return *reinterpret_cast<uint64_t*>(e);
}

uint64_t hash_key(const MapType* t, const Map* m, const void* key) {
    return type_hash(t->key, key, static_cast<uintptr_t>(m->seed)) | kLive;
}

bool keys_equal(const MapType* t, const void* a, const void* b) {
    return values_equal(t->key, a, b);
}

// The entry holding key, or null.
uint8_t* find(const MapType* t, const Map* m, const void* key, uint64_t h) {
    if (!m || m->count == 0) return nullptr;
    const Shape s(t);
    const uint32_t mask = m->isize - 1;
    for (uint32_t i = static_cast<uint32_t>(h) & mask;; i = (i + 1) & mask) {
        const uint32_t slot = m->index[i];
        if (slot == 0) return nullptr;
        if (slot == kTomb) continue;
        uint8_t* e = m->entries + (slot - 1) * s.esize;
        if (entry_hash(e) == h && keys_equal(t, key, e + s.koff)) return e;
    }
}

// Rebuilds the arrays for at least `want` live entries, keeping the live ones.
void rebuild(const MapType* t, Map* m, uint32_t want) {
    const Shape s(t);
    uint32_t cap = 8;
    while (cap < want) cap *= 2;
    auto* entries =
        static_cast<uint8_t*>(heap_alloc_table(cap * s.esize, TableLayout{s.esize, t->key, s.koff, t->elem, s.voff}));
    auto* index = static_cast<uint32_t*>(alloc_noscan(2 * cap * sizeof(uint32_t)));
    const uint32_t mask = 2 * cap - 1;
    uint32_t n = 0;
    for (uint32_t j = 0; j < m->used; ++j) {
        uint8_t* old = m->entries + j * s.esize;
        if (!entry_hash(old)) continue;
        uint8_t* e = entries + n * s.esize;
        __builtin_memcpy(e, old, s.esize);
        uint32_t i = static_cast<uint32_t>(entry_hash(e)) & mask;
        while (index[i]) i = (i + 1) & mask;
        index[i] = ++n;
    }
    // The old array stays valid for iterators. The header may be shared: its new arrays are
    // stored through the barrier, which exposes them (and the entries) to its other holders.
    barrier_store_word(reinterpret_cast<uintptr_t*>(&m->entries), reinterpret_cast<uintptr_t>(entries));
    barrier_store_word(reinterpret_cast<uintptr_t*>(&m->index), reinterpret_cast<uintptr_t>(index));
    m->cap = cap;
    m->used = n;
    m->isize = 2 * cap;
    m->tombs = 0;
}

void* zero_value(uintptr_t size) {
    static void* zero = nullptr;  // shared by all lookups of a missing key; never written
    constexpr uintptr_t kZeroSize = 1024;
    if (size > kZeroSize) return alloc(size);
    void* z = __atomic_load_n(&zero, __ATOMIC_ACQUIRE);
    if (!z) {
        z = alloc(kZeroSize);
        __atomic_store_n(&zero, z, __ATOMIC_RELEASE);
    }
    return z;
}

void* access(const MapType* t, Map* m, const void* key) {
    if (!m || m->count == 0) {
        if (t->key->equal == nullptr || (t->key->kind & kKindMask) == kInterface) (void)type_hash(t->key, key, 0);
        return nullptr;
    }
    uint8_t* e = find(t, m, key, hash_key(t, m, key));
    return e ? e + Shape(t).voff : nullptr;
}

void* assign(const MapType* t, Map* m, const void* key) {
    if (!m) go_panic(kPlainError, "assignment to entry in nil map");
    const uint64_t h = hash_key(t, m, key);
    const Shape s(t);
    if (uint8_t* e = find(t, m, key, h)) {
        // Go stores the key again on update (it matters for +0/-0 and NaN-free floats).
        barrier_copy(t->key, e + s.koff, key, 1);
        return e + s.voff;
    }
    if (m->used == m->cap) rebuild(t, m, 2 * static_cast<uint32_t>(m->count) + 1);
    uint8_t* e = m->entries + m->used * s.esize;
    entry_hash(e) = h;
    barrier_copy(t->key, e + s.koff, key, 1);
    __builtin_memset(e + s.voff, 0, s.esize - s.voff);
    const uint32_t mask = m->isize - 1;
    uint32_t i = static_cast<uint32_t>(h) & mask;
    while (m->index[i] != 0 && m->index[i] != kTomb) i = (i + 1) & mask;
    if (m->index[i] == kTomb) --m->tombs;
    m->index[i] = ++m->used;
    ++m->count;
    return e + s.voff;
}

void remove(const MapType* t, Map* m, const void* key) {
    if (!m || m->count == 0) return;
    const uint64_t h = hash_key(t, m, key);
    const Shape s(t);
    const uint32_t mask = m->isize - 1;
    for (uint32_t i = static_cast<uint32_t>(h) & mask;; i = (i + 1) & mask) {
        const uint32_t slot = m->index[i];
        if (slot == 0) return;
        if (slot == kTomb) continue;
        uint8_t* e = m->entries + (slot - 1) * s.esize;
        if (entry_hash(e) == h && keys_equal(t, key, e + s.koff)) {
            __builtin_memset(e, 0, s.esize);
            m->index[i] = kTomb;
            ++m->tombs;
            --m->count;
            return;
        }
    }
}

Map* new_map() {
    static_assert(__builtin_offsetof(Map, entries) == 8 && __builtin_offsetof(Map, index) == 16);
    // The graphs fuzzer's programs read the header's counts here (fuzz/graph_program.cpp).
    static_assert(__builtin_offsetof(Map, cap) == 24 && __builtin_offsetof(Map, used) == 28);
    auto* m = static_cast<Map*>(heap_alloc_record(sizeof(Map), 0b110));  // entries, index
    m->seed = next_map_seed();
    return m;
}

// The compiler's 96-byte iterator; after key and value the rest is ours.
struct Iter {
    void* key;
    void* elem;
    const MapType* t;
    Map* m;
    uint8_t* entries;  // the array being walked
    uint32_t n;        // its entries when the walk began
    uint32_t start;    // first entry visited
    uint32_t k;        // entries visited so far
    uint32_t pad;
    uint64_t unused[5];
};
static_assert(sizeof(Iter) == 96);

void iter_next(Iter* it) {
    const MapType* t = it->t;
    Map* m = it->m;
    const Shape s(t);
    while (it->k < it->n) {
        uint32_t j = it->start + it->k++;
        if (j >= it->n) j -= it->n;
        uint8_t* e = it->entries + j * s.esize;
        if (!entry_hash(e)) continue;
        if (m->entries == it->entries) {
            it->key = e + s.koff;
            it->elem = e + s.voff;
            return;
        }
        // The map moved to a new array (or was cleared): only keys it still holds count.
        if (uint8_t* cur = find(t, m, e + s.koff, entry_hash(e))) {
            it->key = cur + s.koff;
            it->elem = cur + s.voff;
            return;
        }
    }
    it->key = nullptr;
    it->elem = nullptr;
}

}  // namespace
}  // namespace goos_rt

using namespace goos_rt;

extern "C" {

struct PtrOk {
    void* p;
    bool ok;
};

Map* rt_makemap(const MapType* t, intptr_t hint, void* h) GO_SYM("runtime.makemap");
Map* rt_makemap64(const MapType* t, int64_t hint, void* h) GO_SYM("runtime.makemap64");
Map* rt_makemap_small() GO_SYM("runtime.makemap__small");
Map* rt_construct_map(const MapType* t, uintptr_t count, uintptr_t entry_size, uintptr_t val_offset,
                      const uint8_t* entries) GO_SYM("__go_construct_map");
void* rt_mapaccess1(const MapType* t, Map* m, const void* key) GO_SYM("runtime.mapaccess1");
PtrOk rt_mapaccess2(const MapType* t, Map* m, const void* key) GO_SYM("runtime.mapaccess2");
void* rt_mapaccess1_fat(const MapType* t, Map* m, const void* key, void* zero) GO_SYM("runtime.mapaccess1__fat");
PtrOk rt_mapaccess2_fat(const MapType* t, Map* m, const void* key, void* zero) GO_SYM("runtime.mapaccess2__fat");
void* rt_mapaccess1_fast32(const MapType* t, Map* m, uint32_t key) GO_SYM("runtime.mapaccess1__fast32");
PtrOk rt_mapaccess2_fast32(const MapType* t, Map* m, uint32_t key) GO_SYM("runtime.mapaccess2__fast32");
void* rt_mapaccess1_fast64(const MapType* t, Map* m, uint64_t key) GO_SYM("runtime.mapaccess1__fast64");
PtrOk rt_mapaccess2_fast64(const MapType* t, Map* m, uint64_t key) GO_SYM("runtime.mapaccess2__fast64");
void* rt_mapaccess1_faststr(const MapType* t, Map* m, String key) GO_SYM("runtime.mapaccess1__faststr");
PtrOk rt_mapaccess2_faststr(const MapType* t, Map* m, String key) GO_SYM("runtime.mapaccess2__faststr");
void* rt_mapassign(const MapType* t, Map* m, const void* key) GO_SYM("runtime.mapassign");
void* rt_mapassign_fast32(const MapType* t, Map* m, uint32_t key) GO_SYM("runtime.mapassign__fast32");
void* rt_mapassign_fast32ptr(const MapType* t, Map* m, void* key) GO_SYM("runtime.mapassign__fast32ptr");
void* rt_mapassign_fast64(const MapType* t, Map* m, uint64_t key) GO_SYM("runtime.mapassign__fast64");
void* rt_mapassign_fast64ptr(const MapType* t, Map* m, void* key) GO_SYM("runtime.mapassign__fast64ptr");
void* rt_mapassign_faststr(const MapType* t, Map* m, String key) GO_SYM("runtime.mapassign__faststr");
void rt_mapdelete(const MapType* t, Map* m, const void* key) GO_SYM("runtime.mapdelete");
void rt_mapdelete_fast32(const MapType* t, Map* m, uint32_t key) GO_SYM("runtime.mapdelete__fast32");
void rt_mapdelete_fast64(const MapType* t, Map* m, uint64_t key) GO_SYM("runtime.mapdelete__fast64");
void rt_mapdelete_faststr(const MapType* t, Map* m, String key) GO_SYM("runtime.mapdelete__faststr");
void rt_mapclear(const MapType* t, Map* m) GO_SYM("runtime.mapclear");
void rt_mapiterinit(const MapType* t, Map* m, Iter* it) GO_SYM("runtime.mapiterinit");
void rt_mapiternext(Iter* it) GO_SYM("runtime.mapiternext");

// The compiler may pass storage for the header (h); ours differs from Go's, so it is not
// used.
Map* rt_makemap(const MapType* t, intptr_t hint, void*) {
    if (hint < 0 || hint > (intptr_t{1} << 30)) go_panic(kPlainError, "makemap: size out of range");
    Map* m = new_map();
    if (hint > 8) rebuild(t, m, static_cast<uint32_t>(hint));
    return m;
}
Map* rt_makemap64(const MapType* t, int64_t hint, void* h) {
    return rt_makemap(t, hint, h);
}
Map* rt_makemap_small() {
    return new_map();
}

// A map literal: count entries of entry_size bytes, key first, value at val_offset.
Map* rt_construct_map(const MapType* t, uintptr_t count, uintptr_t entry_size, uintptr_t val_offset,
                      const uint8_t* entries) {
    Map* m = rt_makemap(t, static_cast<intptr_t>(count), nullptr);
    for (uintptr_t i = 0; i < count; ++i, entries += entry_size)
        barrier_copy(t->elem, rt_mapassign(t, m, entries), entries + val_offset, 1);
    return m;
}

void* rt_mapaccess1(const MapType* t, Map* m, const void* key) {
    void* v = access(t, m, key);
    return v ? v : zero_value(t->elem->size);
}
PtrOk rt_mapaccess2(const MapType* t, Map* m, const void* key) {
    void* v = access(t, m, key);
    return v ? PtrOk{v, true} : PtrOk{zero_value(t->elem->size), false};
}
void* rt_mapaccess1_fat(const MapType* t, Map* m, const void* key, void* zero) {
    void* v = access(t, m, key);
    return v ? v : zero;
}
PtrOk rt_mapaccess2_fat(const MapType* t, Map* m, const void* key, void* zero) {
    void* v = access(t, m, key);
    return v ? PtrOk{v, true} : PtrOk{zero, false};
}
void* rt_mapaccess1_fast32(const MapType* t, Map* m, uint32_t key) {
    return rt_mapaccess1(t, m, &key);
}
PtrOk rt_mapaccess2_fast32(const MapType* t, Map* m, uint32_t key) {
    return rt_mapaccess2(t, m, &key);
}
void* rt_mapaccess1_fast64(const MapType* t, Map* m, uint64_t key) {
    return rt_mapaccess1(t, m, &key);
}
PtrOk rt_mapaccess2_fast64(const MapType* t, Map* m, uint64_t key) {
    return rt_mapaccess2(t, m, &key);
}
void* rt_mapaccess1_faststr(const MapType* t, Map* m, String key) {
    return rt_mapaccess1(t, m, &key);
}
PtrOk rt_mapaccess2_faststr(const MapType* t, Map* m, String key) {
    return rt_mapaccess2(t, m, &key);
}

void* rt_mapassign(const MapType* t, Map* m, const void* key) {
    return assign(t, m, key);
}
void* rt_mapassign_fast32(const MapType* t, Map* m, uint32_t key) {
    return assign(t, m, &key);
}
void* rt_mapassign_fast32ptr(const MapType* t, Map* m, void* key) {
    return assign(t, m, &key);
}
void* rt_mapassign_fast64(const MapType* t, Map* m, uint64_t key) {
    return assign(t, m, &key);
}
void* rt_mapassign_fast64ptr(const MapType* t, Map* m, void* key) {
    return assign(t, m, &key);
}
void* rt_mapassign_faststr(const MapType* t, Map* m, String key) {
    return assign(t, m, &key);
}

void rt_mapdelete(const MapType* t, Map* m, const void* key) {
    remove(t, m, key);
}
void rt_mapdelete_fast32(const MapType* t, Map* m, uint32_t key) {
    remove(t, m, &key);
}
void rt_mapdelete_fast64(const MapType* t, Map* m, uint64_t key) {
    remove(t, m, &key);
}
void rt_mapdelete_faststr(const MapType* t, Map* m, String key) {
    remove(t, m, &key);
}

// `for k := range m { delete(m, k) }`, which the compiler turns into one call.
void rt_mapclear(const MapType*, Map* m) {
    if (!m || m->count == 0) return;
    m->count = 0;
    m->entries = nullptr;  // iterators of the old array find nothing any more
    m->index = nullptr;
    m->cap = m->used = m->isize = m->tombs = 0;
}

void rt_mapiterinit(const MapType* t, Map* m, Iter* it) {
    it->key = it->elem = nullptr;
    it->t = t;
    it->m = m;
    it->entries = nullptr;
    if (!m || m->count == 0) return;
    it->entries = m->entries;
    it->n = m->used;
    it->start = static_cast<uint32_t>((m->iter_starts++ * 0x9e3779b97f4a7c15ULL >> 32) % m->used);
    it->k = 0;
    iter_next(it);
}

void rt_mapiternext(Iter* it) {
    if (!it->m || !it->entries) {
        it->key = it->elem = nullptr;
        return;
    }
    iter_next(it);
}

}  // extern "C"
