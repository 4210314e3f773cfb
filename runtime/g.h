// Per-goroutine runtime state: the defer and panic lists that defer, panic and recover
// keep (GCCGO.md, "panic and recover"), and how a goroutine finds its own (g.cpp).
#pragma once

#include <unwind.h>

#include "rt.h"

namespace goos_rt {

struct Panic;
struct Segment;

// The compiler's _defer record (libgo's layout, 64 bytes): it allocates one on the
// deferring function's stack for deferprocStack, we allocate one for deferproc.
struct Defer {
    Defer* link;         // next older defer of this goroutine
    bool* frame;         // names the deferring function's frame (a bool in it)
    Panic* panic_stack;  // the goroutine's newest panic when deferred: recover can't take it
    Panic* panic;        // the panic running this defer, if any
    uintptr_t pfn;       // the thunk to call with arg; 0 once started
    void* arg;
    uintptr_t retaddr;  // set by setdeferretaddr from inside the thunk
    bool makefunccanrecover;
    bool heap;
};
static_assert(sizeof(Defer) == 64);

// A running panic. Ours alone: it lives in gopanic's frame.
struct Panic {
    Eface arg;
    Panic* link;  // the panic this one interrupted (a panic inside a deferred call)
    bool recovered;
    bool aborted;  // superseded by a newer panic while its deferred call ran
    // A panic made from a fault (fault.cpp): what Go's "[signal ...]" line reports.
    uint8_t fault = 0;  // 1 + kernel::Fault, 0: not from a fault
    uintptr_t fault_addr = 0;
};

struct G {
    Defer* defer = nullptr;   // newest first
    Panic* panic = nullptr;   // newest first
    _Unwind_Exception exc{};  // the one exception object recovery raises
    uintptr_t hi = 0;         // every frame of this goroutine lies below hi
    uint8_t fault = 0;        // the fault whose panic is being raised (fault.cpp), for gopanic
    uintptr_t fault_addr = 0;
    bool printing_panic = false;  // an unrecovered panic's values are being printed
    // Split stacks (stack.h): the segment running now (null: the thread's first stack),
    // the first one grown (the chain goes newer from it), the bytes of those in use, and
    // the first stack's limit (known from the first growth on).
    Segment* seg = nullptr;
    Segment* segs = nullptr;
    uintptr_t stack_bytes = 0;
    uintptr_t first_limit = 0;
};

// The calling goroutine's state. Never null (the main goroutine is registered on first
// use).
G* current_g();
// A new goroutine's outermost runtime frame registers its G, which lives in that frame,
// and removes it when the goroutine's function returns.
void g_register(G* g);
void g_unregister(G* g);
// Called before the first goroutine is created: the caller is the main goroutine.
void g_register_main();
bool g_is_main(const G* g);
// Ends the calling goroutine g, whose function returned or which called runtime.Goexit:
// its stack segments go back, its G leaves the table, its thread ends (chan.cpp). The main
// goroutine does not end: it waits while the others run, as in Go.
[[noreturn]] void goroutine_exit(G* g);

// What a landing pad's runtime.checkdefer does once the stack's limit is right again
// (stack.cpp): the deferring frame goes on, or the recovery unwinds on (defer.cpp).
void checkdefer(G* g, bool* frame);
// Unwinds g's stack to the frame whose deferred call recovered (unwind.cpp).
[[noreturn]] void unwind_to_recovery(G* g);
// Where the program image lies and its PT_GNU_EH_FRAME (.eh_frame_hdr), found through
// __ehdr_start at any load address; false without the table (link with --eh-frame-hdr).
struct ImageUnwindInfo {
    uintptr_t lo, hi;  // the loaded segments, [lo, hi)
    uintptr_t eh_frame_hdr;
};
bool image_unwind_info(ImageUnwindInfo* out);
// Prints the panics from the oldest and ends the program with status 2 (panic.cpp).
[[noreturn]] void fatal_panics(const Panic* p);

}  // namespace goos_rt
