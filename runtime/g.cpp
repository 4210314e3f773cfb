// Which goroutine is running: gccgo-compiled code uses no thread-local storage and the
// kernel keeps no per-thread word for us, so a goroutine is known by its stack. Each
// goroutine records the top of its stack (hi: an address in its outermost runtime frame)
// in a table sorted by hi; stacks are disjoint, so the running goroutine is the one with
// the smallest hi at or above the current stack pointer. The main goroutine's stack top is
// found once by unwinding to its outermost frame, before any other goroutine exists (or
// on first use), so that no other stack is registered while it is unknown.
//
// Lookups are frequent (every defer) and writes rare (goroutine start and end), so the
// table is read under a sequence counter and written under a lock. A replaced table is
// never freed (the heap has no collector yet), so a reader that raced a writer reads
// stale but valid memory and retries.
#include "g.h"

#include "stack.h"

// Built without split stacks, but marked as libgcc's morestack.o is (split-stack code with
// functions that are not): gold then leaves the prologues of their callers alone. What
// runs here needs little stack and finds it in the reserve below the limit.
asm(".pushsection .note.GNU-split-stack,\"\",@progbits\n.popsection\n"
    ".pushsection .note.GNU-no-split-stack,\"\",@progbits\n.popsection");

namespace goos_rt {
namespace {

struct Slot {
    uintptr_t hi;
    G* g;
};

SpinLock write_lock;
uint32_t seq = 0;  // odd while a writer changes the table
Slot* table = nullptr;
size_t count = 0;
size_t capacity = 0;
G* main_g = nullptr;

// The smallest hi >= sp, or null.
G* find(const Slot* t, size_t n, uintptr_t sp) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (__atomic_load_n(&t[mid].hi, __ATOMIC_RELAXED) < sp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n ? __atomic_load_n(&t[lo].g, __ATOMIC_RELAXED) : nullptr;
}

void insert_locked(G* g) {
    __atomic_store_n(&seq, seq + 1, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (count == capacity) {
        size_t cap = capacity ? capacity * 2 : 64;
        auto* t = static_cast<Slot*>(alloc(cap * sizeof(Slot)));
        for (size_t i = 0; i < count; ++i) t[i] = table[i];
        __atomic_store_n(&table, t, __ATOMIC_RELEASE);
        capacity = cap;
    }
    size_t i = count;
    while (i > 0 && table[i - 1].hi > g->hi) {
        table[i] = table[i - 1];
        --i;
    }
    table[i] = {g->hi, g};
    __atomic_store_n(&count, count + 1, __ATOMIC_RELEASE);
    __atomic_store_n(&seq, seq + 1, __ATOMIC_RELEASE);
}

_Unwind_Reason_Code max_cfa(_Unwind_Context* ctx, void* arg) {
    auto* top = static_cast<uintptr_t*>(arg);
    uintptr_t cfa = _Unwind_GetCFA(ctx);
    if (cfa > *top) *top = cfa;
    return _URC_NO_REASON;
}

}  // namespace

void g_register(G* g) {
    write_lock.lock();
    insert_locked(g);
    write_lock.unlock();
}

void g_unregister(G* g) {
    write_lock.lock();
    __atomic_store_n(&seq, seq + 1, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    size_t i = 0;
    while (i < count && table[i].g != g) ++i;
    for (; i + 1 < count; ++i) table[i] = table[i + 1];
    if (count) __atomic_store_n(&count, count - 1, __ATOMIC_RELEASE);
    __atomic_store_n(&seq, seq + 1, __ATOMIC_RELEASE);
    write_lock.unlock();
}

bool g_is_main(const G* g) {
    return g == __atomic_load_n(&main_g, __ATOMIC_ACQUIRE);
}

// The main goroutine's stack top: the highest frame address the unwinder reaches from
// here (goos_rt_start's frame, or the kernel's below it on the hosted backend).
void g_register_main() {
    write_lock.lock();
    if (!main_g) {
        auto* g = static_cast<G*>(alloc(sizeof(G)));  // zeroed: an empty G
        uintptr_t top = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
        _Unwind_Backtrace(&max_cfa, &top);
        g->hi = top;
        insert_locked(g);
        __atomic_store_n(&main_g, g, __ATOMIC_RELEASE);
    }
    write_lock.unlock();
}

G* current_g() {
    const uintptr_t sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    // A grown segment may lie below another goroutine's first stack: it is looked up first.
    if (G* g = stack_segment_owner(sp)) return g;
    for (;;) {
        const uint32_t s = __atomic_load_n(&seq, __ATOMIC_ACQUIRE);
        if (s & 1) {
            sys_direct(GOOS_SYS_yield);
            continue;
        }
        G* g = find(__atomic_load_n(&table, __ATOMIC_ACQUIRE), __atomic_load_n(&count, __ATOMIC_ACQUIRE), sp);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(&seq, __ATOMIC_RELAXED) != s) continue;
        if (g) return g;
        if (__atomic_load_n(&main_g, __ATOMIC_ACQUIRE)) fatal_panic("runtime: running on a stack no goroutine owns");
        g_register_main();
    }
}

}  // namespace goos_rt
