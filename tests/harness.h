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

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <kernel/abi.h>
#include <kernel/kernel.h>
#include <sim/programs/user.h>
#include <sim/scenarios.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace goos_test {

using user::Chan;

// Spawns a thread of the calling program that runs F(arg).
template <void (*F)(uint64_t)>
int64_t go(uint64_t arg) {
    return user::go(F, arg);
}

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

// Results of one thread, in order: for a program whose results must not interleave with
// another's. Only one thread may write a given Record.
struct Record {
    static constexpr int kMax = 64;
    int64_t v[kMax];
    int n = 0;
    void operator()(int64_t x) {
        if (n < kMax) v[n++] = x;
    }
    std::vector<int64_t> all() const { return std::vector<int64_t>(v, v + n); }
    void clear() { n = 0; }
};

// ---- Small user-side helpers -----------------------------------------------------------

// Channels in these tests carry uint64_t unless said otherwise: the kernel copies
// elem_size bytes, so the value passed must have exactly that size.
inline int64_t send64(Chan c, uint64_t v, bool nonblock = false) {
    return user::send(c, v, nullptr, nonblock);
}
inline int64_t recv64(Chan c, uint64_t* v, bool nonblock = false) {
    return user::recv(c, v, nonblock);
}
// len(c) and cap(c), read the way gccgo does: the channel value's first two words.
inline int64_t chan_len(Chan c) {
    return reinterpret_cast<const volatile int64_t*>(c)[0];
}
inline int64_t chan_cap(Chan c) {
    return reinterpret_cast<const volatile int64_t*>(c)[1];
}

// Yields until *flag is set, then once more: the run queue is FIFO, so every thread that
// was runnable when the flag was seen (for instance one preempted between setting it and
// entering a blocking syscall) runs before we do again.
inline void wait_flag(const volatile int* flag) {
    while (!*flag) user::yield();
    user::yield();
}

// ---- Running programs ------------------------------------------------------------------

struct RunResult {
    sim::Outcome out;
    std::string console;  // everything written to stdout during the run
    std::string trace;    // the run's Chrome trace-event JSON
};

// The exit status of every process that ended in the last run, by pid, from the ProcEnd
// records of its trace ("process" slices with args.status).
inline std::map<uint32_t, int64_t> g_exit_statuses;
inline std::map<uint32_t, int64_t> exit_statuses() {
    return g_exit_statuses;
}

inline std::map<uint32_t, int64_t> parse_exit_statuses(const std::string& trace) {
    std::map<uint32_t, int64_t> out;
    std::istringstream lines(trace);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.find("\"name\":\"process\",\"ph\":\"X\"") == std::string::npos) continue;
        const size_t pid = line.find("\"pid\":");
        const size_t status = line.find("\"status\":");
        if (pid == std::string::npos || status == std::string::npos) continue;
        out[static_cast<uint32_t>(std::stoul(line.substr(pid + 6)))] = std::stoll(line.substr(status + 9));
    }
    return out;
}

constexpr int kMaxPrograms = 8;
inline kernel::ProgramEntry g_entries[kMaxPrograms];

template <int I>
void program_entry(uint64_t arg) {
    g_entries[I](arg);
}
inline constexpr kernel::ProgramEntry kProgramEntries[kMaxPrograms] = {
    program_entry<0>, program_entry<1>, program_entry<2>, program_entry<3>,
    program_entry<4>, program_entry<5>, program_entry<6>, program_entry<7>};

// Boots a fresh kernel, runs the programs to the end with stdout captured and the trace
// written to a temporary file (unless options name one), and returns the outcome. Notes
// are cleared first. Program i is spawned as process i+1 (pids start at 1 on every boot).
inline RunResult run(const std::vector<sim::Program>& programs, sim::Options options = {}) {
    static int counter = 0;
    g_nnotes = 0;
    const bool own_trace = options.trace_file.empty();
    if (own_trace)
        options.trace_file =
            testing::TempDir() + "goos-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".json";
    std::vector<sim::Program> v(programs);
    EXPECT_LE(v.size(), static_cast<size_t>(kMaxPrograms));
    for (size_t i = 0; i < v.size() && i < kMaxPrograms; ++i) {
        g_entries[i] = v[i].entry;
        v[i].entry = kProgramEntries[i];
    }
    RunResult r;
    testing::internal::CaptureStdout();
    r.out = sim::run_programs(v.data(), static_cast<int>(v.size()), options);
    r.console = testing::internal::GetCapturedStdout();
    std::ifstream in(options.trace_file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    r.trace = text.str();
    if (own_trace) unlink(options.trace_file.c_str());
    g_exit_statuses = parse_exit_statuses(r.trace);
    return r;
}
inline RunResult run(std::initializer_list<sim::Program> programs, const sim::Options& options = {}) {
    return run(std::vector<sim::Program>(programs), options);
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

// After a run every process has ended, so every kernel object a program caused must be
// gone: channels (including ones only reachable from messages in other dead channels),
// channel buffers and transfer records (Buffer pages), process pages, threads, processes.
// The kernel's state stays as the run left it until the next boot, so it can be inspected.
inline void expect_all_freed(const RunResult& r) {
    EXPECT_TRUE(r.out.invariants_ok) << r.console;
    EXPECT_EQ(r.out.ledger.pages_in_use, 0u) << r.console;
    EXPECT_EQ(kernel::k.channels.size(), 0u) << "channels left after the run";
    EXPECT_EQ(kernel::k.chans.live(), 0u) << "channel objects left after the run";
    EXPECT_EQ(kernel::k.procs.live(), 0u) << "process objects left after the run";
    EXPECT_EQ(kernel::k.threads.live(), 0u) << "thread objects left after the run";
    for (const kernel::SlabBase& records : kernel::k.records)
        EXPECT_EQ(records.live(), 0u) << "message records left after the run";
    size_t buffer_pages = 0;
    for (size_t i = kernel::k.pages.first_usable(); i < kernel::k.pages.npages(); ++i)
        if (kernel::k.pages.info_at(i).use == kernel::PageUse::Buffer) ++buffer_pages;
    EXPECT_EQ(buffer_pages, 0u) << "channel buffers or transfer records left after the run";
}

// Every program ended by itself (no system deadlock), the six invariants hold and
// everything went back to the pool.
inline void expect_clean(const RunResult& r) {
    EXPECT_EQ(r.out.run.status, 0) << r.console;
    EXPECT_FALSE(r.out.run.deadlock) << r.console;
    expect_all_freed(r);
}

}  // namespace goos_test
