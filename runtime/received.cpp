// Objects received from other programs (heap_internal.h, Received): the sender's pages
// hold them and the sender's span records describe them, but this program owns them now
// (DESIGN.md: owner = the one who frees), so its collector marks and frees them. The
// kernel's list of what each message moved (taken_objects) is where they come from.
//
// A sorted array: appended to on a receive, sorted again before the next look-up, compacted
// by the sweep. The heap lock guards it.
#include "heap_internal.h"
#include "scratch.h"

namespace goos_rt {
namespace {

// Global, so a plain record (no constructor or destructor for a freestanding image to run).
struct Table {
    Received* a = nullptr;
    uint32_t n = 0;
    uint32_t cap = 0;
    uintptr_t pages = 0;
    Received& operator[](uint32_t i) { return a[i]; }
    uint32_t size() const { return n; }
    void push(const Received& r) {
        if (n == cap) {
            const uintptr_t pages2 = pages ? pages * 2 : 1;
            auto* a2 = static_cast<Received*>(scratch_pages(pages2, "runtime: out of memory for received objects"));
            if (n) __builtin_memcpy(static_cast<void*>(a2), a, n * sizeof(Received));
            if (pages) scratch_release(a, pages);
            a = a2;
            pages = pages2;
            cap = static_cast<uint32_t>(pages2 * GOOS_PAGE_SIZE / sizeof(Received));
        }
        a[n++] = r;
    }
    void release() {
        if (pages) scratch_release(a, pages);
        *this = Table{};
    }
};
Table table;
uint32_t sorted_upto = 0;  // entries [0, sorted_upto) are in address order

void sift_down(Received* a, uint32_t root, uint32_t n) {
    for (;;) {
        uint32_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && a[child + 1].addr > a[child].addr) ++child;
        if (a[root].addr >= a[child].addr) return;
        const Received t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

// Heapsort: no recursion, no allocation, O(n log n) for the 10,000-object graphs a single
// receive can bring.
void sort() {
    const uint32_t n = table.size();
    if (sorted_upto == n) return;
    Received* a = table.a;
    for (uint32_t i = n / 2; i-- > 0;) sift_down(a, i, n);
    for (uint32_t end = n; end-- > 1;) {
        const Received t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
    sorted_upto = n;
}

}  // namespace

void received_add(uintptr_t addr, uintptr_t size, const Type* type) {
    table.push(Received{addr, size, type, false, false, false, 0});
}

Received* received_find(uintptr_t addr) {
    if (table.size() == 0) return nullptr;
    sort();
    uint32_t lo = 0, hi = table.size();
    while (lo < hi) {  // the first entry starting above addr
        const uint32_t mid = (lo + hi) / 2;
        if (table[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) return nullptr;
    // An object sent on and received again has a dead entry and a live one at the same
    // address until the next sweep drops the dead (objects do not overlap, so entries
    // that start at one address are the same object): the live one, wherever the sort
    // put it.
    const uintptr_t start = table[lo - 1].addr;
    if (addr - start >= table[lo - 1].size) return nullptr;
    for (uint32_t i = lo; i > 0 && table[i - 1].addr == start; --i)
        if (!table[i - 1].dead) return &table[i - 1];
    return nullptr;
}

void received_unmark() {
    sort();
    for (uint32_t i = 0; i < table.size(); ++i) table[i].marked = false;
}

uint32_t received_count() { return table.size(); }
Received& received_at(uint32_t i) { return table[i]; }

void received_drop(Received* r) { r->dead = true; }

void received_sweep(bool (*reached)(uintptr_t page)) {
    sort();
    uint32_t keep = 0;
    uintptr_t page = 0;
    uint32_t freed = 0;  // objects freed on `page` so far
    const auto flush = [&] {
        if (!freed) return;
        sys(GOOS_SYS_obj_free, page, freed);
        // A page of this program's own that came back in a message, after its span had
        // gone: with its last object gone it is let go (refused, harmlessly, elsewhere).
        if (!reached(page)) sys(GOOS_SYS_page_release, page);
        freed = 0;
    };
    for (uint32_t i = 0; i < table.size(); ++i) {
        Received r = table[i];
        if (!r.dead && (r.marked || r.moving)) {
            table[keep++] = r;
            continue;
        }
        if (r.dead) continue;  // sent on: the ledger already knows
        const uintptr_t p = r.addr & ~(GOOS_PAGE_SIZE - 1);
        if (p != page) {
            flush();
            page = p;
        }
        ++freed;
        ++heap.frees;
    }
    flush();
    table.n = keep;
    sorted_upto = keep;
    if (keep == 0) table.release();
}

}  // namespace goos_rt
