// defer, panic and recover (GCCGO.md, "panic and recover"). gccgo links each deferred
// call's record into the goroutine's defer list (deferprocStack, deferproc) and runs a
// frame's records when the frame returns (deferreturn). gopanic runs deferred calls newest
// first; when one of them recovers, the stack is unwound by a DWARF exception
// (unwind.cpp) to the frame that deferred it, whose landing pad calls checkdefer and
// then returns normally. An unrecovered panic prints Go's "panic: ..." lines (older
// panics first, "[recovered]" where a deferred call recovered and then panicked again)
// and ends the program with status 2.
#include "g.h"

using namespace goos_rt;

extern "C" {

void rt_deferprocStack(Defer* d, bool* frame, uintptr_t pfn, void* arg) GO_SYM("runtime.deferprocStack");
void rt_deferproc(bool* frame, uintptr_t pfn, void* arg) GO_SYM("runtime.deferproc");
void rt_deferreturn(bool* frame) GO_SYM("runtime.deferreturn");
bool rt_setdeferretaddr(uintptr_t retaddr) GO_SYM("runtime.setdeferretaddr");
bool rt_canrecover(uintptr_t retaddr) GO_SYM("runtime.canrecover");
Eface rt_gorecover() GO_SYM("runtime.gorecover");
Eface rt_deferredrecover() GO_SYM("runtime.deferredrecover");
void rt_gopanic(Eface e) GO_SYM("runtime.gopanic");
[[noreturn]] void rt_Goexit() GO_SYM("runtime.Goexit");

// A deferred thunk is called like a func value whose closure word is unused.
static inline void call_deferred(uintptr_t pfn, void* arg) {
    reinterpret_cast<void (*)(void*)>(pfn)(arg);
}

void rt_deferprocStack(Defer* d, bool* frame, uintptr_t pfn, void* arg) {
    G* g = current_g();
    d->link = g->defer;
    d->frame = frame;
    d->panic_stack = g->panic;
    d->panic = nullptr;
    d->pfn = pfn;
    d->arg = arg;
    d->retaddr = 0;
    d->makefunccanrecover = false;
    d->heap = false;
    g->defer = d;
}

// A defer the compiler could not place on the stack (in a loop, say).
void rt_deferproc(bool* frame, uintptr_t pfn, void* arg) {
    auto* d = static_cast<Defer*>(alloc(sizeof(Defer)));
    rt_deferprocStack(d, frame, pfn, arg);
    d->heap = true;
}

// The frame returns (normally, or after a recovery): run its remaining deferred calls.
void rt_deferreturn(bool* frame) {
    G* g = current_g();
    Defer* d;
    while ((d = g->defer) && d->frame == frame) {
        const uintptr_t pfn = d->pfn;
        d->pfn = 0;
        if (pfn) call_deferred(pfn, d->arg);
        g->defer = d->link;
        // The deferred calls ran because the function returns: a callee that panicked
        // would have had them run by gopanic.
        *frame = true;
    }
}

}  // extern "C"

// The landing pad of a frame with defers, reached by the recovery exception, once
// runtime.checkdefer (stack.cpp) put the stack's limit right. The frame whose deferred
// call recovered stops the unwinding here and returns; any other frame (its deferred calls
// already ran during the panic) passes the exception on.
void goos_rt::checkdefer(G* g, bool* frame) {
    Defer* d = g->defer;
    if (d && d->pfn == 0 && d->frame == frame) {
        g->defer = d->link;
        *frame = true;
        return;
    }
    unwind_to_recovery(g);
}

extern "C" {

// Called by the thunk just before it calls the deferred function, with the address that
// call returns to; the compiler relies on the false result.
bool rt_setdeferretaddr(uintptr_t retaddr) {
    G* g = current_g();
    if (g->defer) g->defer->retaddr = retaddr;
    return false;
}

// Called by a function that calls recover, with its own return address: recover works
// only in a function called directly by the thunk of the newest deferred call, while a
// panic newer than that defer runs. (libgo also walks the stack for functions reached
// through reflection; there is no reflection here.)
bool rt_canrecover(uintptr_t retaddr) {
    G* g = current_g();
    Defer* d = g->defer;
    Panic* p = g->panic;
    if (!d || !p || d->panic_stack == p || d->retaddr == 0) return false;
    return retaddr <= d->retaddr && retaddr + 16 >= d->retaddr;
}

Eface rt_gorecover() {
    G* g = current_g();
    Panic* p = g->panic;
    if (p && !p->recovered) {
        p->recovered = true;
        return p->arg;
    }
    return {nullptr, nullptr};
}

// `defer recover()`: the deferred call is recover itself.
Eface rt_deferredrecover() {
    G* g = current_g();
    if (!g->defer || g->defer->panic_stack == g->panic) return {nullptr, nullptr};
    return rt_gorecover();
}

void rt_gopanic(Eface e) {
    G* g = current_g();
    Panic p{e, g->panic, false, false};
    p.fault = g->fault;
    p.fault_addr = g->fault_addr;
    g->fault = 0;
    g->panic = &p;
    Defer* d;
    while ((d = g->defer)) {
        const uintptr_t pfn = d->pfn;
        if (pfn == 0) {
            // Started by an earlier panic that this one interrupts: that panic is over.
            if (d->panic) d->panic->aborted = true;
            d->panic = nullptr;
            g->defer = d->link;
            continue;
        }
        d->pfn = 0;
        d->panic = &p;
        call_deferred(pfn, d->arg);
        if (g->defer != d) fatal_panic("runtime: bad defer entry in panic");
        d->panic = nullptr;
        if (p.recovered) {
            g->panic = p.link;
            while (g->panic && g->panic->aborted) g->panic = g->panic->link;
            // d stays on the list with pfn 0: checkdefer in its frame stops there.
            unwind_to_recovery(g);
        }
        // We panic through d's function rather than return from it.
        *d->frame = false;
        g->defer = d->link;
    }
    fatal_panics(g->panic);
}

// runtime.Goexit: the goroutine's deferred calls run, newest first, then it ends. No panic
// runs, so recover in them returns nil; one that panics starts a panic as any call does.
void rt_Goexit() {
    G* g = current_g();
    while (Defer* d = g->defer) {
        const uintptr_t pfn = d->pfn;
        if (pfn) {
            d->pfn = 0;
            call_deferred(pfn, d->arg);
            if (g->defer != d) fatal_panic("runtime: bad defer entry in Goexit");
        }
        g->defer = d->link;
    }
    goroutine_exit(g);
}

}  // extern "C"
