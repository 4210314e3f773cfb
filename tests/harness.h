// Shared helpers for the GoOS kernel tests.
//
// A test boots a fresh kernel on the hosted backend with sim::run_programs, runs a few
// programs (plain `void f(uint64_t)` functions that reach the kernel only through
// sim/programs/user.h) to the end, and then inspects what the programs recorded.
//
// Rules for programs written in test files:
//  - Syscall buffers must be on the calling thread's own stack, in pages the process holds
//    (user::page_alloc), or (read-only) in the executable image: string literals and const
//    globals. Globals in .data/.bss are refused by the kernel, so programs copy to a stack
//    local before a syscall.
//  - Programs may be preempted anywhere (timer mode), so they record results with note(),
//    whose slot is taken by one atomic instruction, or by plain stores to globals that only
//    one thread writes.
//  - No host allocation, no gtest assertions inside programs: assert after the run.
#pragma once

#include <gtest/gtest.h>
#include <stdint.h>

#include <initializer_list>
#include <string>
#include <vector>

#include <kernel/abi.h>
#include <sim/programs/user.h>
#include <sim/scenarios.h>

namespace goos_test {

using user::Chan;

// ---- What programs record --------------------------------------------------------------

constexpr int kMaxNotes = 4096;
inline int64_t g_notes[kMaxNotes];
inline int g_nnotes = 0;

// Appends v to the run's notes. The slot is taken with one atomic instruction, so a
// preemption between two notes of different threads loses nothing.
inline void note(int64_t v) {
    const int i = __atomic_fetch_add(&g_nnotes, 1, __ATOMIC_SEQ_CST);
    if (i < kMaxNotes) g_notes[i] = v;
}
inline std::vector<int64_t> notes() {
    const int n = g_nnotes < kMaxNotes ? g_nnotes : kMaxNotes;
    return std::vector<int64_t>(g_notes, g_notes + n);
}

// ---- Small user-side helpers -----------------------------------------------------------

// Channels in these tests carry uint64_t unless said otherwise: the kernel copies
// elem_size bytes, so the value passed must have exactly that size.
inline int64_t send64(Chan c, uint64_t v, bool nonblock = false) { return user::send(c, v, nullptr, nonblock); }
inline int64_t recv64(Chan c, uint64_t* v, bool nonblock = false) { return user::recv(c, v, nonblock); }
// len(c) and cap(c), read the way gccgo does: the channel value's first two words.
inline int64_t chan_len(Chan c) { return reinterpret_cast<const volatile int64_t*>(c)[0]; }
inline int64_t chan_cap(Chan c) { return reinterpret_cast<const volatile int64_t*>(c)[1]; }

// Yields until *flag is set, then once more: the run queue is FIFO, so every thread that
// was runnable when the flag was seen (for instance one preempted between setting it and
// entering a blocking syscall) runs before we do again.
inline void wait_flag(const volatile int* flag) {
    while (!*flag) user::yield();
    user::yield();
}

// ---- Running programs ------------------------------------------------------------------

struct Run {
    sim::Outcome out;
    std::string console;  // everything written to stdout during the run
};

// Boots a fresh kernel, runs the programs to the end with stdout captured, and returns the
// outcome. Notes are cleared first.
inline Run run(std::initializer_list<sim::Program> programs, const sim::Options& options = {}) {
    g_nnotes = 0;
    std::vector<sim::Program> v(programs);
    Run r;
    testing::internal::CaptureStdout();
    r.out = sim::run_programs(v.data(), static_cast<int>(v.size()), options);
    r.console = testing::internal::GetCapturedStdout();
    return r;
}

inline sim::Options deterministic(uint64_t seed) {
    sim::Options o;
    o.seed = seed;
    o.deterministic = true;
    return o;
}

inline bool contains(const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
}

// Every program ended by itself (no system deadlock), the six invariants hold and every
// page went back to the pool.
inline void expect_clean(const Run& r) {
    EXPECT_EQ(r.out.run.status, 0) << r.console;
    EXPECT_FALSE(r.out.run.deadlock) << r.console;
    EXPECT_TRUE(r.out.invariants_ok) << r.console;
    EXPECT_EQ(r.out.ledger.pages_in_use, 0u) << r.console;
}

}  // namespace goos_test
