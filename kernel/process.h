// Processes: a program, its threads, its holds, and the one path by which it ends.
#pragma once

#include <stdint.h>

#include "klib.h"
#include "list.h"
#include "pageset.h"
#include "result.h"
#include "thread.h"

namespace kernel {

struct Channel;

// A page's charge is split among its payers in parts of this many (ledger.cpp); the parts
// of one page always add up to one page exactly.
constexpr uint64_t kChargeUnit = uint64_t{1} << 16;
// One payer's part of `total` split evenly among n, the lowest slot (`lead`) taking what
// the division leaves, so that the parts add up to the total exactly.
inline uint64_t split_part(uint64_t total, uint64_t n, bool lead) {
    return total / n + (lead ? total % n : 0);
}
// One payer's part of a page split among n.
inline uint64_t charge_part(uint64_t n, bool lead) {
    return split_part(kChargeUnit, n, lead);
}
// f(slot, part) for each process of `who` (a bit per slot), `total` split as split_part says.
template <class F>
void each_part(uint64_t who, uint64_t total, F f) {
    const uint64_t n = bits_set(who);
    for (bool lead = true; who; who &= who - 1, lead = false) f(__builtin_ctzll(who), split_part(total, n, lead));
}

enum class ProcState : uint8_t { Live, Dead };

struct Process {
    Link all_link;
    List<Thread, &Thread::proc_link> threads;
    uint32_t pid = 0;
    uint8_t slot = 0;
    ProcState state = ProcState::Live;
    int status = 0;
    char name[32] = {};
    uint64_t mark_seq = 0;  // ledger sequence number when its current mark began
    bool marking = false;
    // Pages charged to it, in kChargeUnit parts of a page (ledger.cpp, DESIGN.md's charging
    // rule): its own pages no one else holds, and its share of the pages it holds with
    // others.
    uint64_t charge = 0;
    // The pages it holds, its own included (ledger.cpp keeps it with every page's holders).
    PageSet held;
    // The channel-header pages of the channels it holds, made or pays for (DESIGN.md,
    // "Collectors": a mark's end and an exit cost what the process holds, not every
    // channel). Kept loosely: a page stays until chans_of() finds nothing of it there.
    PageSet chans;
    size_t nblocked = 0;  // threads in a wait without a deadline
    size_t page_limit = 0;
    // Kernel memory charged to it while it lives: the message records it sent that still
    // live (ledger.cpp), the headers of the channels it made (chan.cpp), and the pages of
    // a large select while it runs (syscall.cpp).
    uint64_t kernel_bytes = 0;
    uint64_t type_bytes = 0;          // bytes of type encodings it was first to intern (types.h)
    goos_start_info* info = nullptr;  // a loaded program's start info (granted_bytes), else null
    // What grants add to a program's pacing (goos_start_info::granted_bytes).
    void granted(uint64_t bytes) {
        if (info) info->granted_bytes += bytes;
    }
    // Collections the kernel asks of it (ledger.cpp, ledger_ask): the thread of its runtime
    // that waits for asks (collect_wait), and the pages granted to it since its last mark
    // began, which ask for one when they grow past a share of its budget.
    Thread* ask_waiter = nullptr;
    // Asked to collect under memory pressure (the pool low, or its charge near its budget)
    // and no mark begun since; the run time it has had since (ledger_tick).
    bool pressed = false;
    uint64_t silent_ns = 0;
    // The thread of it that ran last (sched.cpp): switching in another moves its start
    // info's walk_clock.
    uint64_t last_ran = 0;
    uint64_t granted_pages = 0;
    bool asked = false;
    // A loaded image's code (kernel/loader.cpp); both zero for a built-in program, whose
    // code is the backend's image (hal::Arch::image_begin/end).
    uintptr_t code_begin = 0;
    uintptr_t code_end = 0;
    // A thread that paused the others (its collector's stop-the-world), and the runnable
    // threads held back meanwhile (sched.cpp).
    Thread* pauser = nullptr;
    uintptr_t fault_entry = 0;  // where its faults go as panics (sys_fault_entry); 0: they end it
    // Its methods by slot (methods.h): what the dispatcher jumps to while it runs, and
    // where a slot it has no method for goes (its runtime's entry, from sys_fault_entry).
    uintptr_t* method_table = nullptr;
    uint32_t method_cap = 0;
    uintptr_t method_missing = 0;
    List<Thread, &Thread::run_link> parked;
    uint64_t bit() const { return 1ULL << slot; }
    // Whether `more_pages` pages and `more_bytes` bytes of kernel memory would take it
    // past its budget (and `grace_pages` more).
    bool over_budget(size_t more_pages, uint64_t more_bytes = 0, size_t grace_pages = 0) const {
        return charge + more_pages * kChargeUnit + (kernel_bytes + more_bytes) * kChargeUnit / GOOS_PAGE_SIZE >
               (page_limit + grace_pages) * kChargeUnit;
    }
    // What its budget is charged with, pages and kernel memory, in whole pages rounded up.
    uint64_t charged_pages() const {
        return (charge + kernel_bytes * kChargeUnit / GOOS_PAGE_SIZE + kChargeUnit - 1) / kChargeUnit;
    }
    Process() = default;
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
};

using ProgramEntry = void (*)(uint64_t arg);

// A process with no thread yet, for a loader to fill; process_start gives it its first
// thread, or removes it (and any pages it was given) when that fails.
Result<Process*> process_create(const char* name);
Result<void> process_start(Process* p, ProgramEntry entry, uint64_t arg);
// A process nothing of which ran goes without a trace, its pages with it (a load or a
// start that failed).
void process_discard(Process* p);
// Creates a process whose first thread runs entry(arg); its return ends the process with
// status 0, like Go's main.
Result<Process*> process_spawn(const char* name, ProgramEntry entry, uint64_t arg);
// The one way a process ends: exit, panic, fault, deadlock or kill. `reason` (may be null)
// is printed first. When the caller is one of the process's threads this does not return.
void process_end(Process* p, int status, const char* reason);
Process* process_by_pid(uint32_t pid);
Process* process_by_slot(int slot);
size_t live_processes();
// A process all of whose threads wait on what no other live process can complete ends
// with Go's deadlock message (DESIGN.md, "Waits no one can complete").
bool process_check_stuck(Process* p);

}  // namespace kernel

namespace kernel {
// Prints Go's deadlock message and what every blocked thread waits on.
void report_deadlock();
// Appends "goroutine N [reason]: ..." lines for the threads of p (all when p is null).
class Buf;
void describe_waits(Buf& out, Process* p);
}  // namespace kernel
