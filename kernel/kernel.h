// The kernel's global state and its life: init, spawn the first programs, run until every
// program has ended or nothing can ever run again.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "chan.h"
#include "klib.h"
#include "methods.h"
#include "page.h"
#include "process.h"
#include "slab.h"
#include "thread.h"
#include "trace.h"
#include "types.h"

namespace kernel {

struct Config {
    uint64_t seed = 1;
    bool deterministic = false;  // seeded preemption at kernel entries, virtual clock
    uint64_t slice_ns = 5'000'000;
    uint64_t stall_ns = 1'000'000'000;  // deterministic: CPU time a thread may run without a preemption point
    uint32_t preempt_one_in = 8;        // deterministic: chance of a preemption per kernel entry
    uint32_t crash_one_in = 0;          // deterministic: chance of an injected crash per kernel entry (0: never)
    size_t process_page_limit = 4096;
    bool quiet = false;  // no kernel messages on the console besides programs'
    TraceSink trace_sink = nullptr;
    void* trace_ctx = nullptr;
    // Told of every process's end with its exit status (0 after main returned or exit(0);
    // 2 after a panic, fault or deadlock, as Go's); may be null.
    void (*exit_sink)(uint32_t pid, const char* name, int status, void* ctx) = nullptr;
    void* exit_ctx = nullptr;
};

struct Stats {
    uint64_t context_switches = 0;
    uint64_t preemptions = 0;
    uint64_t messages = 0;
    uint64_t syscalls = 0;
    uint64_t threads_created = 0;
    uint64_t processes_created = 0;
    uint64_t processes_crashed = 0;
};

struct RunResult {
    int status = 0;  // 0: every program ended; 2: deadlock; 3: a thread stalled a deterministic run
    bool deadlock = false;
    bool stalled = false;
    Stats stats;
};

struct NameEntry;

// Everything the kernel owns, in one place so that a test can boot it again.
struct Kernel {
    Config config;
    PageAllocator pages;
    Slab<Thread, SlabType::Thread> threads;
    Slab<Process, SlabType::Process> procs;
    Slab<Channel, SlabType::Channel> chans;
    // Message records (ledger.cpp) of up to 2 KiB, by size class: a message costs its
    // record's bytes, not a page.
    static constexpr size_t kRecordClasses = 6;  // 64 B to 2 KiB
    SlabBase records[kRecordClasses] = {{SlabType::Record, 64},  {SlabType::Record, 128},  {SlabType::Record, 256},
                                        {SlabType::Record, 512}, {SlabType::Record, 1024}, {SlabType::Record, 2048}};
    List<Thread, &Thread::run_link> runq;
    List<Thread, &Thread::timer_link> timers;  // by deadline
    List<Thread, &Thread::lookup_link> lookups;
    List<Thread, &Thread::lookup_link> readers;  // waiting for console input
    List<Process, &Process::all_link> processes;
    List<Channel, &Channel::all_link> channels;
    List<Channel, &Channel::watch_link> watches;
    List<Channel, &Channel::dead_link> maybe_dead;  // chan_collect's candidates
    List<Transfer, &Transfer::msg_link> messages;   // every message record (chan.h)
    Process* slots[kMaxProcs] = {};
    Thread* current = nullptr;
    Thread* reap = nullptr;       // dead thread whose stack is freed after the switch
    hal::Arch::Context boot_ctx;  // the context that called run()
    hal::Arch::Context dead_ctx;  // where a dying context saves itself, never resumed
    bool running = false;
    bool deadlocked = false;
    bool stalled = false;     // deterministic: a thread never reached a preemption point
    bool preempting = false;  // the running thread is being preempted (for the trace)
    uint32_t next_pid = 1;
    uint32_t next_tid = 1;
    uint32_t next_chan_id = 1;
    uint64_t ledger_seq = 0;
    // Counts the events that can make a checked channel value stale for a process: a
    // channel freed, a process's holds dropped (chan_epoch in Thread).
    uint64_t chan_epoch = 0;
    uint64_t asked_at = 0;  // LedgerStats::pages_allocated when the pool last asked everyone to collect
    TypeTable types;
    MethodSlots methods;
    Rng rng;
    Stats stats;
    uint64_t invariant_failures = 0;
};

extern Kernel k;

void init(const Config& config);
RunResult run();
// Reports to the console and counts each broken invariant (DESIGN.md's six); returns true
// when all hold. Called by tests, fuzzers and goos-sim's summary.
bool check_invariants(bool verbose);

}  // namespace kernel
