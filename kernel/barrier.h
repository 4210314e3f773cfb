// The write barrier's fast paths (DESIGN.md, "Stores into shared objects expose"): one copy
// in the kernel's code that every program calls through its start info. Each is a
// restartable sequence: a bit test of the destination page's shared bit and one word store.
// A thread the scheduler stops between the two resumes at the test (barrier_restart_pc), so
// no store lands on a page that became shared after its test without its grant.
#pragma once

#include <stdint.h>

#include "abi.h"

extern "C" {
// *dst = value unless dst's page is shared; then a tail call of slow(dst, value), the
// caller's slow path (which ends in the barrier_store syscall). A runtime's gcWriteBarrier
// jumps here with its slow path in the third argument register, so that the fast path
// returns straight to compiled Go code.
using goos_barrier_slow_fn = void (*)(uint64_t* dst, uint64_t value);
void goos_barrier_store(uint64_t* dst, uint64_t value, goos_barrier_slow_fn slow);
// Copies words from src to dst, lowest first, up to n or the first destination word on a
// shared page: the words copied.
uint64_t goos_barrier_copy(uint64_t* dst, const uint64_t* src, uint64_t n);
}

namespace kernel {

// What the fast paths read: the pool and its shared bits, and the hook they call between
// test and store when not null (hal::Arch::barrier_hook: deterministic mode's preemption
// point there; when it returns nonzero, other threads ran and the sequence restarts at its
// test). Set at every boot.
void barrier_init(uintptr_t pool_base, uint64_t pool_pages, const uint64_t* shared_bits, uint64_t (*hook)());
// Where a thread stopped at `pc` resumes: the start of the sequence pc lies in, or pc.
uintptr_t barrier_restart_pc(uintptr_t pc);

}  // namespace kernel
