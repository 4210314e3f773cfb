// Split stacks (DESIGN.md, "Thread"; GCCGO.md, "Split stacks"). Go code is built with
// -fsplit-stack: each function compares its frame with the limit at %fs:0x70 and calls
// __morestack (morestack.S) when it would reach below it. A goroutine starts on the stack
// the kernel gave its thread; past its limit it runs on segments, taken from the process's
// own pages and chained from older to newer, each kept for reuse once the calls that grew
// it return, and all given back when the goroutine ends. The kernel keeps a thread's limit
// with its context and puts it at %fs:0x70 at every switch (GOOS_STACK_RESERVE bytes
// above the stack's bottom for a new thread).
#pragma once

#include "rt.h"

namespace goos_rt {

struct G;

// The most stack a goroutine may have, as in Go on 64-bit machines.
constexpr uintptr_t kMaxStack = 1000000000;

// The goroutine running on a grown segment that holds sp, or null when sp lies on none
// (a thread's first stack).
G* stack_segment_owner(uintptr_t sp);
// After a recovery unwound g to the frame at sp, past calls whose segments never saw
// their return: the limit is the one of the stack that holds sp again, and the segments
// newer than it are free for reuse.
void stack_resync(G* g, uintptr_t sp);
// The goroutine's end: its segments go back to the kernel.
void stack_release_all(G* g);
// For the collector, while every other thread of the program is stopped: calls scan(lo, hi)
// for the live part of every segment in use (all of a goroutine's newest, whose stack
// pointer only its thread knows). Returns false, scanning nothing, while a thread that was
// stopped is in the middle of changing the segment table: the caller lets it run and
// tries again.
bool stack_scan_segments(void (*scan)(uintptr_t lo, uintptr_t hi));

}  // namespace goos_rt
