// Goroutines, channels and select over the kernel's threads, channels and select
// (DESIGN.md: a Go chan value is the kernel channel's address; words 0 and 1 are len and
// cap, which gccgo reads directly). The kernel's status codes become Go's panics here.
// Each goroutine's first runtime frame holds its G (g.h: defers and panics).
#include <new>

#include "chantype.h"
#include "g.h"
#include "heap.h"
#include "stack.h"
#include "transfer.h"

namespace goos_rt {
namespace {

struct GoStart {
    void (*fn)(void*);
    void* arg;
};

void go_trampoline(uint64_t arg) {
    auto* start = reinterpret_cast<GoStart*>(arg);
    void (*const fn)(void*) = start->fn;
    void* const fn_arg = start->arg;  // on this stack from now on: the start record may go
    heap_pin(start, false);
    G g;
    g.hi = reinterpret_cast<uintptr_t>(&g);  // every frame the goroutine runs lies below
    g_register(&g);
    fn(fn_arg);
    goroutine_exit(&g);
}

}  // namespace
}  // namespace goos_rt

extern "C" [[noreturn]] void rt_block() GO_SYM("runtime.block");

namespace goos_rt {

[[noreturn]] void goroutine_exit(G* g) {
    if (g_is_main(g)) {
        // runtime.Goexit in main: the program goes on with the other goroutines; once
        // none is left, the kernel reports the deadlock and ends it with status 2.
        rt_block();
    }
    stack_release_all(g);
    g_unregister(g);
    sys(GOOS_SYS_thread_exit);
    __builtin_unreachable();
}

namespace {

[[noreturn]] void chan_status_panic(int64_t r, const char* what) {
    if (r == GOOS_CLOSED) go_panic(kPlainError, what);
    if (r == GOOS_BAD_ADDRESS) fatal_panic("runtime: channel element outside the program's memory (package variable?)");
    if (r == GOOS_BAD_HANDLE) fatal_panic("runtime: not a channel this program holds");
    if (r == GOOS_CODE_VALUE)
        go_panic(kPlainError, "send of a func value to another program (only data crosses programs)");
    if (r == GOOS_NO_MEMORY) fatal_panic("runtime: out of memory");
    fatal_panic(goos_status_text(r));
}

// A value taken from the kernel (r: the receive's result): its interfaces are rebound, and
// what the message granted counts toward the next collection. A value this program sent
// without a walk (GOOS_RECV_OWN) is its own: nothing to rebind or count.
void taken(const void* c, void* elem, int64_t r) {
    if (!carries_pointers(c) || (r & GOOS_RECV_OWN)) return;
    if (elem) check_received(c, elem);  // a value received into nothing, `<-c`, has none
    heap_account(0);
}

}  // namespace
}  // namespace goos_rt

using namespace goos_rt;

extern "C" {

void* rt_go(void (*fn)(void*), void* arg) GO_SYM("__go_go");
void rt_panicgonil() GO_SYM("runtime.panicgonil");
void* rt_makechan(const ChanType* t, intptr_t size) GO_SYM("runtime.makechan");
void* rt_makechan64(const ChanType* t, int64_t size) GO_SYM("runtime.makechan64");
void rt_chansend1(void* c, const void* elem) GO_SYM("runtime.chansend1");
void rt_chanrecv1(void* c, void* elem) GO_SYM("runtime.chanrecv1");
bool rt_chanrecv2(void* c, void* elem) GO_SYM("runtime.chanrecv2");
void rt_closechan(void* c) GO_SYM("runtime.closechan");
bool rt_selectnbsend(void* c, const void* elem) GO_SYM("runtime.selectnbsend");
struct NbRecv {
    bool selected;
    bool received;
};
NbRecv rt_selectnbrecv(void* elem, void* c) GO_SYM("runtime.selectnbrecv");
struct SelectResult {
    intptr_t index;
    bool recv_ok;
};
struct SCase {
    void* c;
    void* elem;
};
SelectResult rt_selectgo(SCase* cases, uint16_t* order, intptr_t nsends, intptr_t nrecvs, bool block)
    GO_SYM("runtime.selectgo");

void* rt_go(void (*fn)(void*), void* arg) {
    if (!fn) rt_panicgonil();
    // Until now the caller was the only goroutine: it is the main one.
    static bool main_known = false;
    if (!__atomic_load_n(&main_known, __ATOMIC_ACQUIRE)) {
        g_register_main();
        __atomic_store_n(&main_known, true, __ATOMIC_RELEASE);
    }
    auto* g = static_cast<GoStart*>(alloc(sizeof(GoStart)));
    g->fn = fn;
    g->arg = arg;
    // Until the goroutine runs, only the kernel's thread knows the start record.
    heap_pin(g, true);
    int64_t r = sys(GOOS_SYS_thread_spawn, u(&go_trampoline), u(g));
    if (r < 0) fatal_panic("runtime: cannot create a goroutine (out of threads or memory)");
    return g;
}

void rt_panicgonil() {
    go_panic(kPlainError, "go of nil func value");
}

void* rt_makechan(const ChanType* t, intptr_t size) {
    const uintptr_t elem = t->elem->size;
    if (elem >= GOOS_MAX_ELEM) fatal_panic("makechan: invalid channel element type");
    if (size < 0 || size > GOOS_MAX_CAP) go_panic(kPlainError, "makechan: size out of range");
    int64_t r = sys(GOOS_SYS_chan_make, elem, static_cast<uint64_t>(size), type_tag(&t->common));
    if (r < 0) {
        if (r == GOOS_BAD_SIZE) go_panic(kPlainError, "makechan: size out of range");
        chan_status_panic(r, "makechan");
    }
    // The kernel's header (about 200 bytes) and buffer (a value and a message slot each).
    heap_account(256 + static_cast<uintptr_t>(size) * (elem + 16));
    return reinterpret_cast<void*>(r);
}

void* rt_makechan64(const ChanType* t, int64_t size) {
    return rt_makechan(t, size);
}

void rt_chansend1(void* c, const void* elem) {
    if (!carries_pointers(c)) {
        const int64_t r = sys(GOOS_SYS_chan_send, u(c), u(elem), 0, 0);
        if (r < 0) chan_status_panic(r, "send on closed channel");
        return;
    }
    Outgoing out;
    const int64_t r = transfer_retrying([&](WalkMode& mode) {
        return sys(GOOS_SYS_chan_send, u(c), u(elem), u(transfer_prepare_send(c, elem, &out, mode)), 0);
    });
    if (r < 0) chan_status_panic(r, "send on closed channel");
}

bool rt_chanrecv2(void* c, void* elem) {
    int64_t r = sys(GOOS_SYS_chan_recv, u(c), u(elem), 0);
    if (r < 0) chan_status_panic(r, "receive");
    if (r != 0) taken(c, elem, r);
    return r != 0;
}

void rt_chanrecv1(void* c, void* elem) {
    (void)rt_chanrecv2(c, elem);
}

void rt_closechan(void* c) {
    if (!c) go_panic(kPlainError, "close of nil channel");
    int64_t r = sys(GOOS_SYS_chan_close, u(c));
    if (r < 0) chan_status_panic(r, "close of closed channel");
}

bool rt_selectnbsend(void* c, const void* elem) {
    if (!c) return false;
    Outgoing out;
    const bool carrying = carries_pointers(c);
    const int64_t r = transfer_retrying([&](WalkMode& mode) {
        const goos_transfer* x = carrying ? transfer_prepare_send(c, elem, &out, mode) : nullptr;
        return sys(GOOS_SYS_chan_send, u(c), u(elem), u(x), GOOS_NONBLOCK);
    });
    if (r == GOOS_WOULD_BLOCK) return false;
    if (r < 0) chan_status_panic(r, "send on closed channel");
    return true;
}

NbRecv rt_selectnbrecv(void* elem, void* c) {
    if (!c) return {false, false};
    int64_t r = sys(GOOS_SYS_chan_recv, u(c), u(elem), GOOS_NONBLOCK);
    if (r == GOOS_WOULD_BLOCK) return {false, false};
    if (r < 0) chan_status_panic(r, "receive");
    if (r != 0) taken(c, elem, r);
    return {true, r != 0};
}

// Cases arrive sends first, then receives; the kernel makes the uniformly random choice
// among ready ones (nil channels never are) or waits on all of them. Go allows 65,536
// cases: a select with more than a few keeps its case array, and the transfers of its
// sends whose values hold pointers, in pages of its own for the call.
SelectResult rt_selectgo(SCase* cases, uint16_t*, intptr_t nsends, intptr_t nrecvs, bool block) {
    const intptr_t n = nsends + nrecvs;
    if (n > static_cast<intptr_t>(GOOS_MAX_SELECT)) fatal_panic("runtime: select with too many cases");
    constexpr intptr_t kStackCases = 16;
    constexpr intptr_t kStackCarrying = 2;
    intptr_t ncarrying = 0;
    for (intptr_t i = 0; i < nsends; ++i) ncarrying += carries_pointers(cases[i].c);
    goos_select_case stack_cases[kStackCases];
    alignas(Outgoing) uint8_t stack_out[kStackCarrying * sizeof(Outgoing)];
    const uintptr_t case_pages =
        n > kStackCases ? (n * sizeof(goos_select_case) + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE : 0;
    const uintptr_t out_pages =
        ncarrying > kStackCarrying ? (ncarrying * sizeof(Outgoing) + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE : 0;
    goos_select_case* k =
        case_pages ? static_cast<goos_select_case*>(scratch_pages(case_pages, "runtime: out of memory for a select"))
                   : stack_cases;
    void* out_mem = out_pages ? scratch_pages(out_pages, "runtime: out of memory for a select") : stack_out;
    auto* out = static_cast<Outgoing*>(out_mem);
    // Each send whose value holds pointers gets its own transfer; the kernel lets go of
    // those of the cases not taken.
    intptr_t carrying = 0;
    for (intptr_t i = 0; i < n; ++i) {
        k[i].chan = u(cases[i].c);
        k[i].elem = cases[i].elem;
        k[i].transfer = nullptr;
        if (i < nsends && carries_pointers(cases[i].c)) new (&out[carrying++]) Outgoing();
        k[i].dir = i < nsends ? 1 : 0;
        k[i].ok = 0;
    }
    const int64_t r = transfer_retrying([&](WalkMode& mode) {
        mode.stream = carrying < 2;
        for (intptr_t i = 0, j = 0; i < nsends; ++i)
            if (carries_pointers(cases[i].c))
                k[i].transfer = transfer_prepare_send(cases[i].c, cases[i].elem, &out[j++], mode);
        return sys(GOOS_SYS_select, u(k), static_cast<uint64_t>(n), block ? GOOS_SELECT_BLOCK : 0);
    });
    for (intptr_t j = 0; j < carrying; ++j) out[j].~Outgoing();
    const bool received = r >= nsends && r != GOOS_SELECT_DEFAULT && k[r].ok != 0;
    const int64_t ok = received ? k[r].ok : 0;
    if (case_pages) scratch_release(k, case_pages);
    if (out_pages) scratch_release(out_mem, out_pages);
    if (r == GOOS_SELECT_DEFAULT) return {-1, false};
    if (r < 0) chan_status_panic(r, "send on closed channel");
    if (received) taken(cases[r].c, cases[r].elem, ok);
    return {r, received};
}

void rt_block() {
    sys(GOOS_SYS_select, u(static_cast<goos_select_case*>(nullptr)), 0, GOOS_SELECT_BLOCK);
    fatal_panic("runtime: select {} returned");
}

}  // extern "C"
