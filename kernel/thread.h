// Threads (one per goroutine) and the wait records that hang them on channel queues.
#pragma once

#include <stdint.h>

#include <hal/hal.h>

#include "list.h"

namespace kernel {

struct Process;
struct Channel;
struct Transfer;
struct Thread;

enum class ThreadState : uint8_t { Runnable, Running, Blocked, Sleeping, Dead };

// Ask: the runtime thread that waits for the kernel to ask for a collection (collect_wait);
// it neither keeps its process alive nor hides a deadlock.
enum class WaitKind : uint8_t { None, Send, Recv, Select, Sleep, Lookup, Input, Forever, Ask };

// One case a blocked thread waits on. Lives on the blocked thread's own stack for the
// duration of the wait, so blocking never allocates.
struct Waiter {
    Link link;  // in the channel's sendq or recvq
    Thread* thread = nullptr;
    Channel* chan = nullptr;
    void* elem = nullptr;      // value to send, or where a received value goes
    Transfer* xfer = nullptr;  // send: what the value hands over (committed to the kernel)
    uint32_t case_index = 0;
    bool is_send = false;
    bool unwalked = false;  // send: the value was not walked (its channel was local)
    Waiter() = default;
    Waiter(const Waiter&) = delete;
    Waiter& operator=(const Waiter&) = delete;
};

struct Thread {
    Link run_link;     // run queue
    Link proc_link;    // the process's threads
    Link timer_link;   // sleepers and timed waits, by deadline
    Link lookup_link;  // registry lookups waiting for a name, or readers waiting for input
    hal::Arch::Context ctx;
    Process* proc = nullptr;
    uint32_t id = 0;
    uint32_t pid = 0;
    uint32_t magic = 0;
    ThreadState state = ThreadState::Runnable;
    WaitKind wait = WaitKind::None;
    bool is_main = false;
    bool parked = false;
    bool in_fault = false;  // sent to its program's fault entry, which has not said it is handled  // runnable, but
                            // held back while another thread of its process pauses it
    // Set by whoever completes the wait; read by the thread when it runs again.
    bool done = false;        // a case fired (select: the others must be unhooked)
    bool ok = false;          // receive: a value (true) or closed (false)
    bool own = false;         // receive: the value was sent unwalked (abi.h, GOOS_RECV_OWN)
    int64_t wake_status = 0;  // status for the waiting syscall
    int32_t fired = -1;       // select: which case
    uint64_t deadline = 0;
    Waiter* waiters = nullptr;  // the thread's wait records while blocked
    // A select too large for the kernel stack keeps its cases and waiters in pages of its
    // own while it runs (freed on return, or when the thread is killed while it waits).
    void* select_pages = nullptr;
    uint32_t select_npages = 0;
    // After two stale tries its walk joins pages (abi.h, walk_join), until it lets go: the
    // pages joined, and what stores into them exposed meanwhile (chan.h, JoinedKind).
    Transfer* joined = nullptr;
    Transfer* joined_exposed = nullptr;
    // The two channel values this thread's syscalls checked last, good while k.chan_epoch
    // is still chan_epoch: a process holds a channel until it ends, and a held channel is
    // not freed, so nothing else can make them stale.
    uint64_t chans_checked[2] = {};
    uint64_t chan_epoch = 0;
    uint32_t nwaiters = 0;
    const char* lookup_name = nullptr;
    uint32_t lookup_len = 0;
    uint64_t lookup_result = 0;
    void (*entry)(uint64_t) = nullptr;
    uint64_t arg = 0;

    Thread() = default;
    Thread(const Thread&) = delete;
    Thread& operator=(const Thread&) = delete;
};

constexpr uint32_t kThreadMagic = 0x74687264;  // "thrd"

const char* wait_reason(const Thread& t);

}  // namespace kernel
