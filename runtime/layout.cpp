// Layout records (layout.h).
//
// Record words are shared by neighbouring slots (one covers 32 heap words), and a map's
// tables are marked outside the heap lock, so every write to them is an atomic AND or OR.
// A type's marks are worked out from its descriptor's structure (kinds, fields, elements),
// not from its pointer bitmap, which says nothing of interfaces and funcs; types of up to
// 64 words keep their pattern in a cache, which the heap lock guards.
#include "layout.h"

#include "heap_internal.h"
#include "scratch.h"

namespace goos_rt {

uint64_t* layout_bits = nullptr;
uintptr_t layout_pool_base = 0;
uint64_t* walked_bits = nullptr;

namespace {

goos_layout_head* heads = nullptr;
uintptr_t pool_pages = 0;

void set_kind(uintptr_t word, uint64_t kind) {
    __atomic_fetch_or(&layout_bits[word / 32], kind << (word % 32 * 2), __ATOMIC_RELAXED);
}

// Clears the marks of words [first, end).
void clear_words(uintptr_t first, uintptr_t end) {
    while (first < end) {
        const uintptr_t rw = first / 32;
        const uintptr_t lo = first % 32, hi = end - rw * 32 < 32 ? end - rw * 32 : 32;
        if (lo == 0 && hi == 32) {
            uintptr_t full = (end - first) / 32;
            for (uintptr_t i = 0; i < full; ++i) __atomic_store_n(&layout_bits[rw + i], 0, __ATOMIC_RELAXED);
            first += full * 32;
            continue;
        }
        const uint64_t keep_lo = lo ? ~uint64_t{0} >> (64 - lo * 2) : 0;
        const uint64_t keep_hi = hi < 32 ? ~uint64_t{0} << (hi * 2) : 0;
        __atomic_fetch_and(&layout_bits[rw], keep_lo | keep_hi, __ATOMIC_RELAXED);
        first = rw * 32 + hi;
    }
}

// Calls mark(word_index, kind) for each non-scalar word of one value of type t.
template <class M>
void paint(const Type* t, uintptr_t word, M& mark) {
    if (!t || t->ptrdata == 0) return;
    switch (t->kind & kKindMask) {
        case kPtr:
        case kUnsafePointer:
        case kMap:
        case kChan:
        case kSlice:
        case kString:
            mark(word, GOOS_LAYOUT_POINTER);
            return;
        case kFunc:
            mark(word, GOOS_LAYOUT_FUNC);
            return;
        case kInterface:
            mark(word, GOOS_LAYOUT_TYPE);
            mark(word + 1, GOOS_LAYOUT_POINTER);
            return;
        case kStruct: {
            const auto* st = reinterpret_cast<const StructType*>(t);
            for (intptr_t i = 0; i < st->nfields; ++i)
                paint(st->fields[i].type, word + (st->fields[i].offset_embedded >> 1) / 8, mark);
            return;
        }
        case kArray: {
            const auto* at = reinterpret_cast<const ArrayType*>(t);
            if (!at->elem || at->elem->ptrdata == 0) return;
            for (uintptr_t i = 0; i < at->len; ++i) paint(at->elem, word + i * (at->elem->size / 8), mark);
            return;
        }
        default:
            // No other kind holds pointers; should one, every word of its pointer prefix may.
            for (uintptr_t w = 0; w < t->ptrdata / 8; ++w) mark(word + w, GOOS_LAYOUT_POINTER);
            return;
    }
}

// Patterns of types up to 64 words: two bits per word, as the records hold them.
struct Pattern {
    const Type* type;
    uint64_t bits[2];
};
constexpr uint32_t kCacheSlots = 1024;
Pattern* cache = nullptr;

const Pattern* pattern_of(const Type* t) {
    if (t->size > 64 * 8) return nullptr;
    if (!cache)
        cache =
            static_cast<Pattern*>(scratch_pages((kCacheSlots * sizeof(Pattern) + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE,
                                                "runtime: out of memory for layout patterns"));
    const auto h = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(t) >> 4);
    for (uint32_t probe = 0; probe < 8; ++probe) {
        Pattern& p = cache[(h + probe) % kCacheSlots];
        if (p.type == t) return &p;
        if (p.type) continue;
        p.bits[0] = p.bits[1] = 0;
        auto mark = [&p](uintptr_t w, uint64_t kind) { p.bits[w / 32] |= kind << (w % 32 * 2); };
        paint(t, 0, mark);
        p.type = t;
        return &p;
    }
    return nullptr;  // a full neighbourhood: worked out each time
}

void mark_value(uintptr_t addr, const Type* t) {
    const uintptr_t word = (addr - layout_pool_base) / 8;
    if (const Pattern* p = pattern_of(t)) {
        for (int half = 0; half < 2; ++half)
            for (uint64_t x = p->bits[half]; x;) {
                const unsigned bit = static_cast<unsigned>(__builtin_ctzll(x)) & ~1u;
                set_kind(word + half * 32 + bit / 2, x >> bit & 3);
                x &= ~(uint64_t{3} << bit);
            }
        return;
    }
    auto mark = [](uintptr_t w, uint64_t kind) { set_kind(w, kind); };
    paint(t, word, mark);
}

}  // namespace

void layout_init(const goos_start_info* info) {
    layout_bits = info->layout_bits;
    walked_bits = info->walked_bits;
    heads = info->layout_heads;
    layout_pool_base = info->pool_base;
    pool_pages = info->pool_pages;
}

void layout_span(uintptr_t base, uint32_t npages, uint32_t slot_size) {
    const uintptr_t first = (base - layout_pool_base) / GOOS_PAGE_SIZE;
    for (uint32_t i = 0; i < npages; ++i)
        heads[first + i] = goos_layout_head{base | GOOS_LAYOUT_SPAN, slot_size, npages};
}

void layout_object(uintptr_t addr, uintptr_t slot, uintptr_t size, const Type* t) {
    const uintptr_t word = (addr - layout_pool_base) / 8;
    if (walked_bits) __atomic_fetch_and(&walked_bits[word / 64], ~(uint64_t{1} << (word % 64)), __ATOMIC_RELAXED);
    clear_words(word, word + slot / 8);
    if (!t) return;
    if (t == kConservative) {
        for (uintptr_t w = 0; w < size / 8; ++w) set_kind(word + w, GOOS_LAYOUT_POINTER);
        return;
    }
    if (t->size == 0) return;
    for (uintptr_t off = 0; off + t->size <= size; off += t->size) mark_value(addr + off, t);
}

void layout_value(uintptr_t addr, const Type* t) {
    if (t && t->ptrdata) {
        auto mark = [](uintptr_t w, uint64_t kind) { set_kind(w, kind); };
        paint(t, (addr - layout_pool_base) / 8, mark);
    }
}

void layout_words(uintptr_t addr, uint64_t pointers) {
    const uintptr_t word = (addr - layout_pool_base) / 8;
    for (; pointers; pointers &= pointers - 1)
        set_kind(word + static_cast<uintptr_t>(__builtin_ctzll(pointers)), GOOS_LAYOUT_POINTER);
}

namespace {

// The variable table (abi.h, goos_image_var) of an image page's head, bounded by the pool:
// its count (at most what fits before the pool's end) and its entries. False when the
// head names no table in the pool.
bool image_table(const goos_layout_head& h, const uint64_t** table, uint64_t* count) {
    if (h.slot_size >= pool_pages) return false;
    const uintptr_t at = layout_pool_base + uintptr_t{h.slot_size} * GOOS_PAGE_SIZE;
    const uint64_t room = (layout_pool_base + pool_pages * GOOS_PAGE_SIZE - at - 8) / sizeof(goos_image_var);
    *table = reinterpret_cast<const uint64_t*>(at);
    *count = __atomic_load_n(*table, __ATOMIC_ACQUIRE);
    if (*count > room) *count = room;
    return true;
}

// The package variable holding addr on an image page: the last one starting at or before
// it, if addr lies inside it and it lies inside the image's data.
bool image_var_at(const goos_layout_head& h, uintptr_t addr, uintptr_t* start, uintptr_t* size) {
    const uint64_t* table;
    uint64_t n;
    if (!image_table(h, &table, &n)) return false;
    uint64_t lo = 0, hi = n;  // the answer is below hi
    while (lo < hi) {
        const uint64_t mid = lo + (hi - lo) / 2;
        if (table[1 + mid * 2] <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) return false;
    const uintptr_t s = table[1 + (lo - 1) * 2], len = table[2 + (lo - 1) * 2];
    const uintptr_t base = h.base_flags & ~GOOS_LAYOUT_FLAGS;
    const uintptr_t bytes = uintptr_t{h.span_pages} * GOOS_PAGE_SIZE;
    if (addr - s >= len || s < base || len > bytes || s - base > bytes - len) return false;
    *start = s;
    *size = len;
    return true;
}

}  // namespace

namespace {
// The head layout_object_at read last and slot_reciprocal of its slot size, or 0 where
// that is not exact for every offset in the span (heap_internal.h): walks and marks meet
// the objects of a span one after another. Used under the heap lock only (every
// walk and mark holds it); the head is compared whole, since its origin may rewrite it.
goos_layout_head last_head = {};
uint64_t last_mul = 0;

// A copy of the head of the pool page holding addr (its origin may rewrite it meanwhile);
// false outside the pool.
inline bool head_of(uintptr_t addr, goos_layout_head* h) {
    if (addr < layout_pool_base || (addr - layout_pool_base) / GOOS_PAGE_SIZE >= pool_pages) return false;
    *h = heads[(addr - layout_pool_base) / GOOS_PAGE_SIZE];
    return true;
}
}  // namespace

bool layout_object_at(uintptr_t addr, uintptr_t* start, uintptr_t* size, bool* is_var) {
    goos_layout_head h;
    if (!head_of(addr, &h)) return false;
    if (is_var) *is_var = h.base_flags & GOOS_LAYOUT_IMAGE;
    if (h.base_flags & GOOS_LAYOUT_IMAGE) return image_var_at(h, addr, start, size);
    if (!(h.base_flags & GOOS_LAYOUT_SPAN)) return false;
    const uintptr_t base = h.base_flags & ~GOOS_LAYOUT_FLAGS;
    const uintptr_t bytes = uintptr_t{h.span_pages} * GOOS_PAGE_SIZE;
    if (addr < base || addr - base >= bytes) return false;
    const uintptr_t slot = h.slot_size ? h.slot_size : bytes;
    if (h.base_flags != last_head.base_flags || h.slot_size != last_head.slot_size ||
        h.span_pages != last_head.span_pages) {
        last_head = h;
        constexpr uint64_t k32 = uint64_t{1} << 32;
        last_mul = bytes < k32 && slot < k32 && bytes * slot < k32 ? slot_reciprocal(slot) : 0;
    }
    const uintptr_t i = last_mul ? ((addr - base) * last_mul) >> 32 : (addr - base) / slot;
    if ((i + 1) * slot > bytes) return false;  // the tail past the last slot
    *start = base + i * slot;
    *size = slot;
    return true;
}

bool layout_records_at(uintptr_t addr, uintptr_t* lo, uintptr_t* len) {
    goos_layout_head h;
    if (!head_of(addr, &h)) return false;
    const uint64_t* table;
    uint64_t n;
    if (!(h.base_flags & GOOS_LAYOUT_IMAGE) || !image_table(h, &table, &n)) return false;
    *lo = reinterpret_cast<uintptr_t>(table);
    *len = 8 + n * sizeof(goos_image_var);
    return true;
}

bool layout_unit_at(uintptr_t addr, uintptr_t* lo, uintptr_t* len) {
    goos_layout_head h;
    if (!head_of(addr, &h)) return false;
    if (!(h.base_flags & GOOS_LAYOUT_IMAGE_RO)) return false;
    const uintptr_t base = h.base_flags & ~GOOS_LAYOUT_FLAGS;
    const uintptr_t first = (base - layout_pool_base) / GOOS_PAGE_SIZE;  // its origin's words: bounded
    if (base < layout_pool_base || first >= pool_pages || h.span_pages > pool_pages - first) return false;
    *lo = base;
    *len = uintptr_t{h.span_pages} * GOOS_PAGE_SIZE;
    return addr - base < *len;
}

uint64_t layout_kind(uintptr_t addr) {
    if (addr < layout_pool_base || (addr - layout_pool_base) / GOOS_PAGE_SIZE >= pool_pages) return GOOS_LAYOUT_SCALAR;
    const uintptr_t word = (addr - layout_pool_base) / 8;
    return __atomic_load_n(&layout_bits[word / 32], __ATOMIC_RELAXED) >> (word % 32 * 2) & 3;
}

bool layout_is_channel(uintptr_t addr) {
    goos_layout_head h;
    return head_of(addr, &h) && (h.base_flags & GOOS_LAYOUT_CHANNELS);
}

}  // namespace goos_rt
