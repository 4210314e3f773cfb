// The collector (heap.h): stop the program's other goroutines (the kernel's pause_others:
// other programs run on), mark from the roots, sweep this program's own spans, resume.
//
// Marking is a worklist of objects whose mark bit was set and whose contents are still to
// be scanned; the worklist lives on pages of its own, kept between collections.
#include "heap_internal.h"
#include "image.h"
#include "layout.h"
#include "scratch.h"
#include "stack.h"

namespace goos_rt {
namespace {

struct WorkChunk {
    WorkChunk* next;
    uintptr_t n;
    uintptr_t items[GOOS_PAGE_SIZE / sizeof(uintptr_t) - 2];
};
static_assert(sizeof(WorkChunk) == GOOS_PAGE_SIZE);

WorkChunk* work = nullptr;   // the chunk being filled; older ones behind it
WorkChunk* spare = nullptr;  // empty chunks for reuse

void push(uintptr_t object) {
    if (!work || work->n == sizeof work->items / sizeof work->items[0]) {
        WorkChunk* c = spare;
        if (c) {
            spare = c->next;
        } else {
            c = static_cast<WorkChunk*>(scratch_pages(1, "runtime: out of memory while collecting"));
        }
        c->next = work;
        c->n = 0;
        work = c;
    }
    work->items[work->n++] = object;
}

bool pop(uintptr_t* object) {
    while (work && work->n == 0) {
        WorkChunk* empty = work;
        work = empty->next;
        empty->next = spare;
        spare = empty;
    }
    if (!work) return false;
    *object = work->items[--work->n];
    return true;
}

// The pages outside this program's spans that the current mark reached (the kernel's
// mark_end lets go of the others), and the other programs' objects it marked.
AddrMap<64>* reached_pages = nullptr;
AddrMap<64>* foreign_marked = nullptr;

void reach_page(uintptr_t page) {
    bool added;
    reached_pages->insert(page, 0, &added);
}

// Every page of [lo, lo + len).
void reach_pages(uintptr_t lo, uintptr_t len) {
    for (uintptr_t page = lo & ~(GOOS_PAGE_SIZE - 1); page < lo + len; page += GOOS_PAGE_SIZE) reach_page(page);
}

// A word pointing outside this program's spans but into the pool: another program's
// object or package variable (DESIGN.md: marks read the records for foreign objects as
// for their own), whose
// pages it reaches all of and whose words it scans (work items with the low bit set), or
// another page it may hold. A word into a page this program does not hold reaches nothing:
// the kernel ignores such a page at mark_end.
__attribute__((noinline)) void mark_foreign(uintptr_t w) {
    if (in_own_image(reinterpret_cast<const void*>(w))) return;  // its own pages
    uintptr_t start, size;
    if (!layout_object_at(w, &start, &size)) {
        // An image's read-only unit is reached whole (its pages enter the set only here).
        if (!layout_unit_at(w, &start, &size)) {
            reach_page(w & ~(GOOS_PAGE_SIZE - 1));
        } else if (!reached_pages->find(start)) {
            reach_pages(start, size);
        }
        return;
    }
    bool added;
    foreign_marked->insert(start, 0, &added);
    if (!added) return;
    reach_pages(start, size);
    uintptr_t lo, len;  // a package variable's table, which its reader relies on
    if (layout_records_at(start, &lo, &len)) reach_pages(lo, len);
    push(start | 1);
}

// A word that may point into the heap: marks the object it points into.
inline void mark_word(uintptr_t w) {
    Span* s = span_of(w);
    if (!s) {
        if (in_pool(w)) mark_foreign(w);
        return;
    }
    const uint32_t i = s->slot_of(w);
    if (i >= s->nslots || !s->allocated(i) || s->marked(i)) return;
    s->mark[i / 64] |= uint64_t{1} << (i % 64);
    if (s->types[i]) push(s->base + uintptr_t{i} * s->slot_size);
}

// Reads whole regions word by word, whatever lies between the variables in them: where the
// runtime is built with AddressSanitizer (the graphs fuzzer's programs), that includes its
// redzones, which are not errors here.
__attribute__((no_sanitize("address"))) void scan_conservative(uintptr_t lo, uintptr_t hi) {
    lo = (lo + 7) & ~uintptr_t{7};
    for (uintptr_t p = lo; p + 8 <= hi; p += 8) mark_word(*reinterpret_cast<const uintptr_t*>(p));
}

// An object's words, by its layout record (layout.h): every kind but scalar may lead on
// (a type word to a method table the runtime built, a func value to its closure).
void scan_object(uintptr_t item) {
    uintptr_t start, size;
    if (item & 1) {
        // Its origin may have rewritten the head since: what it says now is what is read.
        if (!layout_object_at(item & ~uintptr_t{1}, &start, &size)) return;
    } else {
        start = item;
        size = span_of(item)->slot_size;
    }
    layout_each(start, size, [](uintptr_t word, uint64_t) { mark_word(*reinterpret_cast<const uintptr_t*>(word)); });
}

// The program's writable segments (its package variables and the runtime's own state).
void scan_data() {
    image_writable([](uintptr_t lo, uintptr_t hi) { scan_conservative(lo, hi); });
}

// Every goroutine's stack: the kernel reports the caller's whole stack first, then each
// other thread's from its saved stack pointer.
__attribute__((noinline)) void scan_stacks() {
    __builtin_unwind_init();  // the caller's callee-saved registers go on this stack
    uintptr_t here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    goos_stack local[64];
    goos_stack* stacks = local;
    int64_t n = sys(GOOS_SYS_thread_stacks, u(local), 64);
    if (n > 64) {
        const int64_t r = sys(GOOS_SYS_page_alloc, (static_cast<uint64_t>(n) * sizeof(goos_stack) + 4095) / 4096 + 1);
        if (r <= 0) fatal_panic("runtime: out of memory while collecting");
        stacks = reinterpret_cast<goos_stack*>(r);
        n = sys(GOOS_SYS_thread_stacks, static_cast<uint64_t>(r), static_cast<uint64_t>(n) + 64);
    }
    if (n < 1) fatal_panic("runtime: no stacks to scan");
    here -= 256;  // the red zone below this frame, and the spilled registers
    // The caller may run on a grown segment: then its first stack is scanned whole.
    scan_conservative(here > stacks[0].lo && here < stacks[0].hi ? here : stacks[0].lo, stacks[0].hi);
    for (int64_t i = 1; i < n; ++i) scan_conservative(stacks[i].lo, stacks[i].hi);
    // The segments the goroutines grew (stack.h); a thread stopped while it changed their
    // table runs on until it is done.
    while (!stack_scan_segments(&scan_conservative)) {
        sys(GOOS_SYS_pause_others, 0);
        sys(GOOS_SYS_yield);
        sys(GOOS_SYS_pause_others, 1);
    }
}

// The values this program sent without a walk into its local channels (abi.h, chan_roots):
// no message holds what they reach, so its marks do.
void scan_channel_values() {
    alignas(8) uint8_t local[1024];
    const int64_t n = sys(GOOS_SYS_chan_roots, u(local), sizeof local);
    if (n <= static_cast<int64_t>(sizeof local)) {
        scan_conservative(reinterpret_cast<uintptr_t>(local),
                          reinterpret_cast<uintptr_t>(local) + static_cast<uintptr_t>(n));
        return;
    }
    const uintptr_t pages = (static_cast<uintptr_t>(n) + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE;
    auto* buf = static_cast<uint8_t*>(scratch_pages(pages, "runtime: out of memory while collecting"));
    const int64_t m = sys(GOOS_SYS_chan_roots, u(buf), pages * GOOS_PAGE_SIZE);
    const auto lo = reinterpret_cast<uintptr_t>(buf);
    const uintptr_t bytes = static_cast<uintptr_t>(m);
    scan_conservative(lo, lo + (bytes < pages * GOOS_PAGE_SIZE ? bytes : pages * GOOS_PAGE_SIZE));
    scratch_release(buf, pages);
}

// Frees the unmarked slots of every span whose pages no one else held since the mark
// began (DESIGN.md, "The origin frees"): on a dirty page another program may still reach
// them, so they wait for a sweep after its last other holder let go.
void sweep() {
    uint64_t live = 0;
    for (Span** link = &heap.all; *link;) {
        Span* s = *link;
        const bool dirty = span_dirty(s);
        for (uint32_t w = 0; w < kBitWords; ++w) {
            uint64_t dead = dirty ? 0 : s->alloc[w] & ~s->mark[w];
            for (; dead; dead &= dead - 1) {
                const uint32_t i = w * 64 + static_cast<uint32_t>(__builtin_ctzll(dead));
                if (s->pins[i]) {
                    s->mark[w] |= uint64_t{1} << (i % 64);
                    continue;
                }
                s->alloc[w] &= ~(uint64_t{1} << (i % 64));
                s->types[i] = nullptr;
                ++s->nfree;
                ++heap.frees;
            }
            live += uint64_t{static_cast<uint32_t>(__builtin_popcountll(s->alloc[w]))} * s->slot_size;
        }
        span_swept(s, link);
        if (*link == s) link = &s->all_next;
    }
    heap.live = live;
}

}  // namespace

void collect_locked() {
    heap.collecting = true;
    if (program_info) heap.asks_seen = __atomic_load_n(&program_info->collect_asks, __ATOMIC_RELAXED);
    const int64_t start = sys(GOOS_SYS_now);
    sys(GOOS_SYS_pause_others, 1);
    // The kernel's epoch for this mark: pages granted from here on count as reached.
    sys(GOOS_SYS_mark_begin);
    AddrMap<64> reached, foreign;
    reached_pages = &reached;
    foreign_marked = &foreign;
    for (Span* s = heap.all; s; s = s->all_next) __builtin_memset(s->mark, 0, sizeof s->mark);
    scan_data();
    scan_stacks();
    scan_channel_values();
    for (Span* s = heap.all; s; s = s->all_next)
        for (uint32_t i = 0; i < s->nslots; ++i)
            if (s->pins[i] && s->allocated(i)) mark_word(s->base + uintptr_t{i} * s->slot_size);
    for (uintptr_t object; pop(&object);) scan_object(object);
    sweep();
    // This program stops holding the other programs' pages it did not reach (DESIGN.md's
    // holder rule; the kernel keeps those granted to it since the mark began).
    {
        ScratchVec<uint64_t, 64> pages;
        pages.reserve(reached.size());
        reached.each([&](const AddrMap<64>::Entry& e) { pages.push(e.key); });
        sys(GOOS_SYS_mark_end, u(pages.data()), pages.size());
    }
    reached_pages = nullptr;
    foreign_marked = nullptr;
    sys(GOOS_SYS_pause_others, 0);
    // GOGC=100: the next collection comes after allocating as much as survived this one.
    heap.next_gc = heap.live > kMinHeap && !kGcStress ? heap.live : kMinHeap;
    heap.since_gc = 0;
    heap.spans_since_gc = 0;
    ++heap.num_gc;
    heap.pause_total_ns += static_cast<uint64_t>(sys(GOOS_SYS_now) - start);
    heap.collecting = false;
}

}  // namespace goos_rt
