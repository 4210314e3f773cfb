// Split stacks (stack.h): the segments, the table that finds a segment's goroutine by
// stack pointer, and what __morestack (morestack.S) calls.
//
// goos_rt_stack_grow runs on what is left of the old stack: the reserve below its limit
// (GOOS_STACK_RESERVE), which the prologue's check never lets Go code use. So it calls
// nothing that could grow the heap or collect: segments and the table's array are pages
// straight from the kernel.
#include "stack.h"

#include "g.h"

// Built without split stacks, but marked as libgcc's morestack.o is (split-stack code with
// functions that are not): gold then leaves the prologues of their callers alone. What
// runs here needs little stack and finds it in the reserve below the limit.
asm(".pushsection .note.GNU-split-stack,\"\",@progbits\n.popsection\n"
    ".pushsection .note.GNU-no-split-stack,\"\",@progbits\n.popsection");

namespace goos_rt {

// At a segment's lowest address; the stack grows down from its top to just above it.
struct Segment {
    Segment* older;  // the segment this one grew from; null: the thread's first stack
    Segment* newer;  // grown from this one before, reused while big enough
    G* g;
    uintptr_t top;       // one past its highest byte
    uintptr_t size;      // bytes, this header included
    uintptr_t older_sp;  // while this one is in use the older stack is live from here up
    bool in_use;
};

namespace {

constexpr uintptr_t kHeader = (sizeof(Segment) + 15) & ~uintptr_t{15};
constexpr uintptr_t kMinSegment = 64 * 1024;
constexpr uintptr_t kMaxGrowth = 16 * 1024 * 1024;  // doubling stops here

struct Entry {
    uintptr_t lo, hi;
    Segment* seg;
};

// Sorted by address, read under a sequence counter (odd while a writer changes it) and
// written under the lock; a writer with the counter odd only moves entries, so a stopped
// one finishes as soon as it runs again. A replaced array is never reused: a reader that
// raced the writer reads stale but valid memory and retries.
uint32_t table_seq = 0;
Entry* table = nullptr;
size_t table_len = 0, table_cap = 0;

uintptr_t limit() {
    uintptr_t v;
    asm volatile("movq %%fs:0x70, %0" : "=r"(v));
    return v;
}

void set_limit(uintptr_t v) {
    asm volatile("movq %0, %%fs:0x70" ::"r"(v) : "memory");
}

uintptr_t limit_of(const Segment* s) {
    return reinterpret_cast<uintptr_t>(s) + kHeader + GOOS_STACK_RESERVE;
}

size_t pages_of(uintptr_t bytes) {
    return (bytes + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE;
}

Entry* find(Entry* t, size_t n, uintptr_t sp) {
    size_t lo = 0, hi = n;  // the first entry with hi > sp
    while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        if (t[mid].hi <= sp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && t[lo].lo <= sp ? &t[lo] : nullptr;
}

// The grown segment that holds sp, or null.
Segment* holder(uintptr_t sp) {
    for (;;) {
        const uint32_t s = __atomic_load_n(&table_seq, __ATOMIC_ACQUIRE);
        if (s & 1) {
            sys_direct(GOOS_SYS_yield);
            continue;
        }
        const Entry* e =
            find(__atomic_load_n(&table, __ATOMIC_ACQUIRE), __atomic_load_n(&table_len, __ATOMIC_ACQUIRE), sp);
        Segment* seg = e ? e->seg : nullptr;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(&table_seq, __ATOMIC_RELAXED) == s) return seg;
    }
}

// Go's two lines. Only what is built into this file and the kernel runs from here on.
[[noreturn]] void no_stack(const char* text, size_t len) {
    sys_direct(GOOS_SYS_console_write, reinterpret_cast<uint64_t>(text), len);
    sys_direct(GOOS_SYS_exit, 2);
    __builtin_trap();
}

template <size_t N>
[[noreturn]] void no_stack(const char (&text)[N]) {
    no_stack(text, N - 1);
}

constexpr char kTooDeep[] = "runtime: goroutine stack exceeds 1000000000-byte limit\nfatal error: stack overflow\n";
constexpr char kOutside[] = "runtime: stack pointer outside the goroutine's stack\nfatal error: stack overflow\n";
constexpr char kNoMemory[] = "runtime: out of memory for a goroutine's stack\nfatal error: stack overflow\n";

// The table's lock: SpinLock's code may be built with split stacks elsewhere.
int table_locked = 0;
void table_lock() {
    while (__atomic_exchange_n(&table_locked, 1, __ATOMIC_ACQUIRE)) sys_direct(GOOS_SYS_yield);
}
void table_unlock() {
    __atomic_store_n(&table_locked, 0, __ATOMIC_RELEASE);
}

void table_insert(Segment* seg) {
    table_lock();
    if (table_len == table_cap) {
        const size_t cap = table_cap ? table_cap * 2 : GOOS_PAGE_SIZE / sizeof(Entry);
        const int64_t r = sys_direct(GOOS_SYS_page_alloc, pages_of(cap * sizeof(Entry)));
        if (r < 0) no_stack(kNoMemory);
        auto* t = reinterpret_cast<Entry*>(r);
        for (size_t i = 0; i < table_len; ++i) t[i] = table[i];
        __atomic_store_n(&table_seq, table_seq + 1, __ATOMIC_RELEASE);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        __atomic_store_n(&table, t, __ATOMIC_RELEASE);
        table_cap = cap;
    } else {
        __atomic_store_n(&table_seq, table_seq + 1, __ATOMIC_RELEASE);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    }
    const auto lo = reinterpret_cast<uintptr_t>(seg);
    size_t i = table_len;
    for (; i > 0 && table[i - 1].lo > lo; --i) table[i] = table[i - 1];
    table[i] = {lo, seg->top, seg};
    __atomic_store_n(&table_len, table_len + 1, __ATOMIC_RELEASE);
    __atomic_store_n(&table_seq, table_seq + 1, __ATOMIC_RELEASE);
    table_unlock();
}

void table_remove(Segment* seg) {
    table_lock();
    __atomic_store_n(&table_seq, table_seq + 1, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    size_t i = 0;
    while (i < table_len && table[i].seg != seg) ++i;
    for (; i + 1 < table_len; ++i) table[i] = table[i + 1];
    if (table_len) __atomic_store_n(&table_len, table_len - 1, __ATOMIC_RELEASE);
    __atomic_store_n(&table_seq, table_seq + 1, __ATOMIC_RELEASE);
    table_unlock();
}

// Gives seg and every segment newer than it back to the kernel; none is in use.
void release_from(Segment* seg) {
    while (seg) {
        Segment* next = seg->newer;
        table_remove(seg);
        const auto base = reinterpret_cast<uintptr_t>(seg);
        const size_t n = pages_of(seg->size);
        for (size_t i = 0; i < n; ++i) sys_direct(GOOS_SYS_page_release, base + i * GOOS_PAGE_SIZE);
        seg = next;
    }
}

// Marks the segments newer than keep (null: all of g's) as no longer in use.
void retire_newer_than(G* g, Segment* keep) {
    for (Segment* s = g->seg; s && s != keep; s = s->older) {
        s->in_use = false;
        g->stack_bytes -= s->size;
    }
    g->seg = keep;
}

}  // namespace

G* stack_segment_owner(uintptr_t sp) {
    if (!__atomic_load_n(&table_len, __ATOMIC_ACQUIRE)) return nullptr;
    const Segment* seg = holder(sp);
    return seg ? seg->g : nullptr;
}

void stack_resync(G* g, uintptr_t sp) {
    if (!g->segs) return;
    Segment* keep = holder(sp);
    retire_newer_than(g, keep);
    set_limit(keep ? limit_of(keep) : g->first_limit);
}

void stack_release_all(G* g) {
    if (Segment* on = g->seg) {
        // Ending on a segment (runtime.Goexit deep in calls): the segments it runs on
        // cannot go back to the kernel before its thread is gone, so they stay, unused,
        // for the program's life; the newer ones go.
        release_from(on->newer);
        on->newer = nullptr;
        retire_newer_than(g, nullptr);
        g->segs = nullptr;
        return;
    }
    release_from(g->segs);
    g->segs = nullptr;
}

bool stack_scan_segments(void (*scan)(uintptr_t lo, uintptr_t hi)) {
    if (__atomic_load_n(&table_seq, __ATOMIC_ACQUIRE) & 1) return false;
    for (size_t i = 0; i < table_len; ++i) {
        const Segment* s = table[i].seg;
        if (!s->in_use) continue;
        // Live from where its newer segment was entered, or, for the newest, wholly.
        const uintptr_t lo = s->newer && s->newer->in_use ? s->newer->older_sp : table[i].lo + kHeader;
        scan(lo, s->top);
    }
    return true;
}

}  // namespace goos_rt

using namespace goos_rt;

extern "C" {

// A landing pad's first call after a recovery unwound to its frame, maybe past segments'
// returns, with the limit of where the panic ran: put right here, before any prologue
// compares with it.
void rt_checkdefer(bool* frame) GO_SYM("runtime.checkdefer");
void rt_checkdefer(bool* frame) {
    G* g = current_g();
    stack_resync(g, reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
    checkdefer(g, frame);
}

// From __morestack: the caller needs *frame bytes of frame and passed args_size bytes of
// arguments at args, on a stack that is live from old_sp up. Returns the stack pointer to
// call the caller's body with, on a segment with room for both, whose limit is in place.
uintptr_t goos_rt_stack_grow(uintptr_t* frame, const void* args, uintptr_t args_size, uintptr_t old_sp) {
    G* g = current_g();
    Segment* cur = holder(old_sp);
    // Not on a segment: then on the first stack, which ends GOOS_STACK_RESERVE below its
    // limit. Anywhere else, code wrote below a checked frame (gcc's split stacks count
    // only what the prologue declares: hence -maccumulate-outgoing-args), and what lies
    // there is gone.
    if (!g->segs)
        g->first_limit = limit();  // nothing can have left it stale yet
    else if (!cur && (old_sp < g->first_limit - GOOS_STACK_RESERVE || old_sp > g->hi))
        no_stack(kOutside);
    if (cur != g->seg) retire_newer_than(g, cur);  // a recovery left the record behind
    const uintptr_t need = *frame + ((args_size + 15) & ~uintptr_t{15}) + kHeader + GOOS_STACK_RESERVE + 64;
    Segment* next = cur ? cur->newer : g->segs;
    if (next && next->size < need) {
        release_from(next);
        next = nullptr;
        if (cur)
            cur->newer = nullptr;
        else
            g->segs = nullptr;
    }
    if (!next) {
        uintptr_t size = cur ? cur->size * 2 : kMinSegment;
        if (size > kMaxGrowth) size = kMaxGrowth;
        if (size < need) size = need;
        size = pages_of(size) * GOOS_PAGE_SIZE;
        if (g->stack_bytes + size > kMaxStack) no_stack(kTooDeep);
        const int64_t r = sys_direct(GOOS_SYS_page_alloc, size / GOOS_PAGE_SIZE);
        if (r < 0) no_stack(kNoMemory);
        next = reinterpret_cast<Segment*>(r);
        *next = Segment{cur, nullptr, g, static_cast<uintptr_t>(r) + size, size, 0, false};
        table_insert(next);
        if (cur)
            cur->newer = next;
        else
            g->segs = next;
    }
    if (g->stack_bytes + next->size > kMaxStack) no_stack(kTooDeep);
    next->older_sp = old_sp;
    next->in_use = true;
    g->seg = next;
    g->stack_bytes += next->size;
    const uintptr_t sp = (next->top - args_size) & ~uintptr_t{15};
    // Word by word (memcpy is built with split stacks); stack arguments are whole words.
    for (uintptr_t i = 0; i < args_size / 8; ++i)
        reinterpret_cast<uint64_t*>(sp)[i] = static_cast<const uint64_t*>(args)[i];
    set_limit(limit_of(next));
    return sp;
}

// From __morestack, back on the old stack (at old_sp) once the caller's body returned.
void goos_rt_stack_release(uintptr_t old_sp) {
    G* g = current_g();
    Segment* s = g->seg;
    if (!s || s->older_sp != old_sp) {
        stack_resync(g, old_sp);
        return;
    }
    s->in_use = false;
    g->stack_bytes -= s->size;
    g->seg = s->older;
    set_limit(s->older ? limit_of(s->older) : g->first_limit);
}

}  // extern "C"
