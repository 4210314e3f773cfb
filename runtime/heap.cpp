// The heap (heap.h): spans of same-size slots, a page-indexed span table, allocation,
// type words, pins and the bookkeeping the collector (gc.cpp) reads and sweeps.
//
// A span is one page for size classes up to a page, a run of pages with one slot above
// that; its layout records (layout.h) are written as it is made and as slots go out, and
// its pages go back to the kernel when a sweep finds it empty.
#include "heap_internal.h"
#include "layout.h"

namespace goos_rt {

HeapState heap;

namespace {

// Go 1.18's size classes (runtime/sizeclasses.go), so that append grows capacity exactly
// as gc and libgo do.
constexpr uint16_t kClassSize[] = {
    8,    16,   24,    32,    48,    64,    80,    96,    112,   128,   144,   160,   176,   192,   208,   224,  240,
    256,  288,  320,   352,   384,   416,   448,   480,   512,   576,   640,   704,   768,   896,   1024,  1152, 1280,
    1408, 1536, 1792,  2048,  2304,  2688,  3072,  3200,  3456,  4096,  4864,  5376,  6144,  6528,  6784,  6912, 8192,
    9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};
constexpr int kClasses = sizeof kClassSize / sizeof kClassSize[0];
constexpr uintptr_t kMaxSmall = 32768;
constexpr uintptr_t kGoPage = 8192;  // Go's page: the rounding of large sizes
constexpr uintptr_t kMaxAlloc = uintptr_t{1} << 40;

Span* partial[kClasses];  // spans of each class with free slots

int class_of(uintptr_t size) {
    int lo = 0, hi = kClasses - 1;
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (kClassSize[mid] >= size)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

// Metadata lives on pages of its own, carved by a bump pointer. Span records are reused
// with their per-slot arrays, by size class (large spans all have one slot).
uintptr_t meta_cur = 0, meta_end = 0;
Span* free_spans[kClasses + 1];

void* meta_alloc(uintptr_t size) {
    size = (size + 15) & ~uintptr_t{15};
    if (meta_cur + size > meta_end) {
        const uintptr_t pages = (size + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE;
        const int64_t r = sys(GOOS_SYS_page_alloc, pages);
        // Which of the heap's requests meets the limit first depends on how the pages
        // happened to divide: the same message either way.
        if (r <= 0) fatal_panic("runtime: out of memory: the program reached its memory limit");
        meta_cur = static_cast<uintptr_t>(r);
        meta_end = meta_cur + pages * GOOS_PAGE_SIZE;
    }
    void* p = reinterpret_cast<void*>(meta_cur);
    meta_cur += size;
    return p;  // pages from page_alloc are zeroed by the allocator below before reuse
}

Span** table_chunk(uintptr_t page_index, bool create) {
    const uintptr_t chunk = page_index / kTableChunk;
    if (!heap.table) {
        if (!create) return nullptr;
        heap.table_chunks = (heap.pool_pages + kTableChunk - 1) / kTableChunk;
        heap.table = static_cast<Span***>(meta_alloc(heap.table_chunks * sizeof(Span**)));
        __builtin_memset(heap.table, 0, heap.table_chunks * sizeof(Span**));
    }
    if (chunk >= heap.table_chunks) return nullptr;
    if (!heap.table[chunk] && create) {
        heap.table[chunk] = static_cast<Span**>(meta_alloc(kTableChunk * sizeof(Span*)));
        __builtin_memset(heap.table[chunk], 0, kTableChunk * sizeof(Span*));
    }
    return heap.table[chunk];
}

void table_set(uintptr_t base, uint32_t npages, Span* s) {
    for (uint32_t i = 0; i < npages; ++i) {
        const uintptr_t index = (base - heap.pool_base) / GOOS_PAGE_SIZE + i;
        table_chunk(index, true)[index % kTableChunk] = s;
    }
}

// Whether a collection is due (the heap lock held): the heap, or the pages of new spans,
// grew by next_gc since the last one, or the kernel asked for one since.
bool collection_due() {
    if (heap.collecting) return false;
    if (heap.since_gc >= heap.next_gc || heap.spans_since_gc >= heap.next_gc) return true;
    return program_info && __atomic_load_n(&program_info->collect_asks, __ATOMIC_RELAXED) != heap.asks_seen;
}

// The kernel's pages for a new span. On running out: a collection and another try, and
// then, while other programs run (their collections may let go of this program's pages,
// which its next sweep takes back), up to 50 more after a millisecond each.
uintptr_t span_pages(uint32_t npages) {
    int64_t r = sys(GOOS_SYS_page_alloc, npages);
    for (int tries = 0; r == GOOS_NO_MEMORY && !heap.collecting && tries < 51; ++tries) {
        if (tries) {
            heap.lock.unlock();
            sys(GOOS_SYS_sleep, 1000000);
            heap.lock.lock();
        }
        collect_locked();
        r = sys(GOOS_SYS_page_alloc, npages);
    }
    if (r <= 0) fatal_panic("runtime: out of memory: the program reached its memory limit");
    return static_cast<uintptr_t>(r);
}

Span* new_span(int cls, uintptr_t large_size) {
    const uintptr_t slot_size = cls >= 0 ? kClassSize[cls] : large_size;
    const uint32_t npages = static_cast<uint32_t>((slot_size + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE);
    const uint32_t nslots = static_cast<uint32_t>(npages * GOOS_PAGE_SIZE / slot_size);
    const uintptr_t base = span_pages(npages);
    Span*& reuse = free_spans[cls + 1];
    Span* s = reuse;
    const Type** types;
    uint8_t* pins;
    if (s) {
        reuse = s->next;
        types = s->types;
        pins = s->pins;
        __builtin_memset(types, 0, nslots * sizeof(Type*));
        __builtin_memset(pins, 0, nslots);
    } else {
        s = static_cast<Span*>(meta_alloc(sizeof(Span)));
        types = static_cast<const Type**>(meta_alloc(nslots * sizeof(Type*)));
        pins = static_cast<uint8_t*>(meta_alloc(nslots));
    }
    *s = Span{};
    s->base = base;
    s->npages = npages;
    s->slot_size = static_cast<uint32_t>(slot_size);
    s->div_mul = static_cast<uint32_t>(slot_reciprocal(slot_size));
    s->nslots = static_cast<uint16_t>(nslots);
    s->nfree = static_cast<uint16_t>(nslots);
    s->cls = static_cast<int16_t>(cls);
    s->types = types;
    s->pins = pins;
    layout_span(base, npages, cls >= 0 ? static_cast<uint32_t>(slot_size) : 0);
    table_set(base, npages, s);
    s->all_next = heap.all;
    heap.all = s;
    heap.heap_sys += npages * GOOS_PAGE_SIZE;
    heap.spans_since_gc += npages * GOOS_PAGE_SIZE;
    return s;
}

// Whether the span's free slots may be handed out: no other program holds its pages and
// no message touches them (DESIGN.md, "The origin frees": fresh slots never go on a page
// someone else holds).
bool reusable(const Span* s) {
    return !span_shared(s);
}

void* take_slot(Span* s, const Type* type) {
    for (uint32_t w = 0; w < kBitWords; ++w) {
        const uint64_t freebits = ~s->alloc[w];
        if (!freebits) continue;
        const uint32_t i = w * 64 + static_cast<uint32_t>(__builtin_ctzll(freebits));
        if (i >= s->nslots) break;
        s->alloc[w] |= uint64_t{1} << (i % 64);
        s->types[i] = type;
        --s->nfree;
        return reinterpret_cast<void*>(s->base + uintptr_t{i} * s->slot_size);
    }
    fatal_panic("runtime: heap span without a free slot");
}

// How a slot handed out for a runtime structure is marked (heap_alloc_table, heap_alloc_record).
struct Marks {
    const TableLayout* table;
    uint64_t pointers;
};

void* allocate(uintptr_t size, const Type* type, const Marks* marks = nullptr) {
    // Every zero-size value, in every program, is the one address the kernel gives (in the
    // type segment): it holds nothing, so no walk or mark needs to hold its page.
    if (size == 0) return const_cast<void*>(program_info->zerobase);
    if (size > kMaxAlloc) fatal_panic("runtime: out of memory: allocation too large");
    if (!heap.pool_base) fatal_panic("runtime: allocation before the heap knows its pool");
    heap.lock.lock();
    if (collection_due()) collect_locked();
    Span* s;
    if (size > kMaxSmall) {
        s = new_span(-1, (size + GOOS_PAGE_SIZE - 1) & ~(GOOS_PAGE_SIZE - 1));
    } else {
        const int cls = class_of(size);
        s = partial[cls];
        // A span another program holds a page of waits: it comes back to the list with the
        // next sweep, and is looked at again.
        while (s && !reusable(s)) {
            partial[cls] = s->next;
            s->in_partial = false;
            s->next = nullptr;
            s = partial[cls];
        }
        if (!s) {
            s = new_span(cls, 0);
            s->next = partial[cls];
            partial[cls] = s;
            s->in_partial = true;
        }
    }
    void* p = take_slot(s, type);
    const auto addr = reinterpret_cast<uintptr_t>(p);
    if (marks) {
        layout_object(addr, s->slot_size, 0, nullptr);
        if (const TableLayout* t = marks->table) {
            for (uintptr_t e = 0; e + t->esize <= size; e += t->esize) {
                layout_value(addr + e + t->aoff, t->a);
                layout_value(addr + e + t->boff, t->b);
            }
        }
        layout_words(addr, marks->pointers);
    } else {
        layout_object(addr, s->slot_size, size, type);
    }
    if (s->nfree == 0 && s->in_partial) {
        partial[s->cls] = s->next;  // it is the head: allocation always takes the head
        s->in_partial = false;
        s->next = nullptr;
    }
    heap.since_gc += s->slot_size;
    heap.total_alloc += s->slot_size;
    ++heap.mallocs;
    heap.lock.unlock();
    __builtin_memset(p, 0, s->slot_size);  // swept slots keep their old bytes
    return p;
}

}  // namespace

const Type* const kConservative = reinterpret_cast<const Type*>(uintptr_t{1});

void heap_init(uintptr_t pool_base, uintptr_t pool_pages) {
    heap.pool_base = pool_base;
    heap.pool_pages = pool_pages;
    heap.next_gc = kMinHeap;
}

namespace {
bool any_bit(const uint64_t* bits, const Span* s) {
    const uintptr_t first = (s->base - heap.pool_base) / GOOS_PAGE_SIZE;
    for (uintptr_t i = first; i < first + s->npages; ++i)
        if (__atomic_load_n(&bits[i / 64], __ATOMIC_RELAXED) >> (i % 64) & 1) return true;
    return false;
}
}  // namespace

bool span_shared(const Span* s) {
    return any_bit(program_info->shared_bits, s);
}

bool span_dirty(const Span* s) {
    return any_bit(program_info->dirty_bits, s);
}

// After a sweep: a span with free slots is offered again; an empty one goes back to the
// kernel (it is empty only if its pages were clean: the sweep frees nothing on others).
void span_swept(Span* s, Span** prev_link) {
    bool empty = true;
    for (uint32_t w = 0; w < kBitWords && empty; ++w) empty = !s->alloc[w];
    if (empty) {
        *prev_link = s->all_next;
        if (s->in_partial) {
            for (Span** l = &partial[s->cls]; *l; l = &(*l)->next)
                if (*l == s) {
                    *l = s->next;
                    break;
                }
        }
        table_set(s->base, s->npages, nullptr);
        for (uint32_t i = 0; i < s->npages; ++i) sys(GOOS_SYS_page_release, s->base + i * GOOS_PAGE_SIZE);
        heap.heap_sys -= s->npages * GOOS_PAGE_SIZE;
        s->next = free_spans[s->cls + 1];
        free_spans[s->cls + 1] = s;
        return;
    }
    if (s->nfree && !s->in_partial && s->cls >= 0) {
        s->next = partial[s->cls];
        partial[s->cls] = s;
        s->in_partial = true;
    }
}

void* heap_alloc(uintptr_t size, const Type* elem) {
    return allocate(size, elem ? (elem->ptrdata ? elem : nullptr) : kConservative);
}

void* heap_alloc_noscan(uintptr_t size) {
    return allocate(size, nullptr);
}

void* heap_alloc_table(uintptr_t size, const TableLayout& table) {
    // The type word says "read the records": they are exact, and no descriptor describes this.
    const Marks marks{&table, 0};
    return allocate(size, kConservative, &marks);
}

void* heap_alloc_record(uintptr_t size, uint64_t pointers) {
    const Marks marks{nullptr, size >= 64 * 8 ? pointers : pointers & ((uint64_t{1} << (size / 8)) - 1)};
    return allocate(size, kConservative, &marks);
}

void heap_pin(const void* p, bool pin) {
    Span* s = span_of(reinterpret_cast<uintptr_t>(p));
    if (!s) return;
    const uint32_t i = s->slot_of(reinterpret_cast<uintptr_t>(p));
    if (i >= s->nslots || !s->allocated(i)) return;
    // Counts saturate: an object pinned 255 times stays pinned.
    if (pin && s->pins[i] < 255)
        __atomic_add_fetch(&s->pins[i], 1, __ATOMIC_RELAXED);
    else if (!pin && s->pins[i] > 0 && s->pins[i] < 255)
        __atomic_sub_fetch(&s->pins[i], 1, __ATOMIC_RELAXED);
}

uintptr_t roundupsize(uintptr_t size) {
    if (size <= kMaxSmall) return kClassSize[class_of(size)];
    if (size + kGoPage < size) return size;
    return (size + kGoPage - 1) & ~(kGoPage - 1);
}

void* alloc(uintptr_t size) {
    return heap_alloc(size, nullptr);
}

void* alloc_noscan(uintptr_t size) {
    return heap_alloc_noscan(size);
}

void heap_account(uintptr_t made) {
    heap.lock.lock();
    const uint64_t granted = program_info ? program_info->granted_bytes : 0;
    heap.since_gc += made + (granted - heap.granted_seen);
    heap.granted_seen = granted;
    if (collection_due()) collect_locked();
    heap.lock.unlock();
}

void heap_answer_asks() {
    uint64_t seen = __atomic_load_n(&program_info->collect_asks, __ATOMIC_RELAXED);
    for (;;) {
        const int64_t r = sys(GOOS_SYS_collect_wait, seen);
        if (r < 0) fatal_panic("runtime: collect_wait refused");
        seen = static_cast<uint64_t>(r);
        heap.lock.lock();
        if (collection_due()) collect_locked();  // unless an allocation answered already
        heap.lock.unlock();
    }
}

void heap_collect() {
    heap.lock.lock();
    if (!heap.collecting) collect_locked();
    heap.lock.unlock();
}

HeapStats heap_stats() {
    heap.lock.lock();
    HeapStats s;
    s.heap_alloc = heap.live + heap.since_gc;
    s.total_alloc = heap.total_alloc;
    s.heap_sys = heap.heap_sys;
    s.mallocs = heap.mallocs;
    s.frees = heap.frees;
    s.num_gc = heap.num_gc;
    s.pause_total_ns = heap.pause_total_ns;
    s.next_gc = heap.live + heap.next_gc;
    heap.lock.unlock();
    return s;
}

}  // namespace goos_rt
