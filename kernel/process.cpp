#include "process.h"

#include "chan.h"
#include "kernel.h"
#include "ledger.h"
#include "registry.h"
#include "sched.h"

namespace kernel {

namespace {

constexpr const char* kDeadlock = "fatal error: all goroutines are asleep - deadlock!\n";

// Can anyone but p complete this wait? A channel stays completable while another live
// process holds it, a name publishes it, or a message in flight carries it.
bool others_can_complete(const Thread* t, const Process* p) {
    switch (t->wait) {
        case WaitKind::Forever:
        case WaitKind::Ask:
            return false;
        case WaitKind::Lookup:  // a process yet to come may publish the name
        case WaitKind::Input:   // a device completes it
            return true;
        case WaitKind::Send:
        case WaitKind::Recv:
        case WaitKind::Select:
            for (uint32_t i = 0; i < t->nwaiters; ++i) {
                const Channel* c = t->waiters[i].chan;
                // A watch channel is closed by the kernel when its process ends.
                if (chan_shared(c, p) || c->watch_link.linked()) return true;
            }
            return false;
        default:
            return true;
    }
}

}  // namespace

const char* wait_reason(const Thread& t) {
    switch (t.wait) {
        case WaitKind::Send:
            return "chan send";
        case WaitKind::Recv:
            return "chan receive";
        case WaitKind::Select:
            return "select";
        case WaitKind::Sleep:
            return "sleep";
        case WaitKind::Lookup:
            return "lookup";
        case WaitKind::Input:
            return "console input";
        case WaitKind::Forever:
            return "chan receive (nil chan)";
        default:
            break;
    }
    return t.state == ThreadState::Runnable ? "runnable" : "running";
}

void describe_waits(Buf& out, Process* only) {
    for (Process* p = k.processes.front(); p; p = k.processes.next(p)) {
        if (only && p != only) continue;
        for (Thread* t = p->threads.front(); t; t = p->threads.next(t)) {
            if (t->wait == WaitKind::Ask) continue;  // the runtime's, not a goroutine
            out.str("\ngoroutine ").unum(t->id).str(" [").str(wait_reason(*t)).str("]:\n");
            out.str("\tprocess ").unum(p->pid).str(" (").str(p->name).str(")");
            if (t->wait == WaitKind::Lookup) out.str(" waits for name \"").str(t->lookup_name, t->lookup_len).str("\"");
            for (uint32_t i = 0; t->waiters && i < t->nwaiters; ++i) {
                const Channel* c = t->waiters[i].chan;
                out.str(i ? ", " : " waits on ").str(t->waiters[i].is_send ? "send to " : "receive from ");
                out.str("channel #").unum(c->id);
                if (const char* name = registry_name_of(c)) out.str(" \"").str(name).str("\"");
            }
            out.ch('\n');
        }
    }
}

void report_deadlock() {
    char data[4096];
    Buf out(data, sizeof data);
    out.str(kDeadlock);
    describe_waits(out, nullptr);
    hal::Arch::console_write(out.c_str(), out.size());
    trace(TraceKind::Deadlock, 0, 0, 0, 0);
}

Process* process_by_pid(uint32_t pid) {
    for (Process* p = k.processes.front(); p; p = k.processes.next(p))
        if (p->pid == pid) return p;
    return nullptr;
}

Process* process_by_slot(int slot) {
    return slot > 0 && slot < kMaxProcs ? k.slots[slot] : nullptr;
}

size_t live_processes() {
    return k.processes.size();
}

Result<Process*> process_create(const char* name) {
    int slot = 1;
    while (slot < kMaxProcs && k.slots[slot]) ++slot;
    if (slot == kMaxProcs) return Error::NO_MEMORY;
    Process* p = k.procs.create(k.pages);
    if (!p) return Error::NO_MEMORY;
    if (!p->held.init(k.pages) || !p->chans.init(k.pages)) {
        k.procs.destroy(p);
        return Error::NO_MEMORY;
    }
    p->pid = k.next_pid++;
    p->slot = static_cast<uint8_t>(slot);
    p->page_limit = k.config.process_page_limit;
    const size_t len = kstrlen(name);
    memcpy(p->name, name, len < sizeof p->name - 1 ? len : sizeof p->name - 1);
    k.slots[slot] = p;
    k.processes.push_back(p);
    return p;
}

void process_discard(Process* p) {
    methods_release(p);
    ledger_process_end(p);
    k.slots[p->slot] = nullptr;
    k.processes.remove(p);
    k.procs.destroy(p);
}

Result<void> process_start(Process* p, ProgramEntry entry, uint64_t arg) {
    auto t = thread_create(p, entry, arg, true);
    if (!t.ok()) {
        process_discard(p);
        return t.error();
    }
    ++k.stats.processes_created;
    trace(TraceKind::ProcStart, t.value()->id, p->pid, 0, 0);
    return {};
}

Result<Process*> process_spawn(const char* name, ProgramEntry entry, uint64_t arg) {
    Process* p = TRY(process_create(name));
    TRY_VOID(process_start(p, entry, arg));
    return p;
}

void process_end(Process* p, int status, const char* reason) {
    if (p->state == ProcState::Dead) return;
    if (reason) hal::Arch::console_write(reason, kstrlen(reason));
    if (status != 0) ++k.stats.processes_crashed;
    p->state = ProcState::Dead;
    p->status = status;
    const bool self = k.current && k.current->proc == p;
    const uint32_t pid = p->pid;
    trace(TraceKind::ProcEnd, self ? k.current->id : 0, pid, 0, static_cast<uint64_t>(status));
    if (k.config.exit_sink) k.config.exit_sink(pid, p->name, status, k.config.exit_ctx);
    while (Thread* t = p->threads.front()) thread_kill(t);
    registry_drop(p);
    chan_drop_holder(p);
    ledger_process_end(p);
    ledger_settle_orphans();  // while p's slot is still p's: it may be among the payers taken back
    if (self) methods_switch(nullptr);
    methods_release(p);
    k.slots[p->slot] = nullptr;
    k.processes.remove(p);
    k.procs.destroy(p);
    chan_collect();
    // Watchers learn of the end through a closed channel.
    for (Channel* c = k.watches.front(); c;) {
        Channel* next = k.watches.next(c);
        if (c->watch_pid == pid) {
            k.watches.remove(c);
            (void)chan_close(c);
        }
        c = next;
    }
    // Holds dropped: a peer may now be waiting on what no one can complete.
    for (Process* q = k.processes.front(); q;) {
        if (process_check_stuck(q))
            q = k.processes.front();  // the list changed; start over
        else
            q = k.processes.next(q);
    }
    if (self) schedule();
}

bool process_check_stuck(Process* p) {
    if (!p || p->state != ProcState::Live || p->threads.empty()) return false;
    for (Thread* t = p->threads.front(); t; t = p->threads.next(t)) {
        if (t->state != ThreadState::Blocked || t->timer_link.linked()) return false;
        if (others_can_complete(t, p)) return false;
    }
    char data[2048];
    Buf out(data, sizeof data);
    out.str(kDeadlock);
    describe_waits(out, p);
    out.str("[process ").unum(p->pid).str(" (").str(p->name).str(") exited with status 2]\n");
    process_end(p, 2, out.c_str());
    return true;
}

uintptr_t on_fault(Fault kind, uintptr_t address, uintptr_t pc, uintptr_t sp) {
    Thread* t = k.current;
    if (!t || !k.running) {
        kprintf("goos: fault at %lx outside any program\n", static_cast<uint64_t>(address));
        __builtin_trap();
    }
    // A program that registered a fault entry turns the fault into a Go panic it may
    // recover: when the fault is in its own code, not in its fault handling, and its stack
    // has room for the entry's frame (a stack overflow ends it here).
    Process* p = t->proc;
    constexpr uintptr_t kEntryRoom = 2048;
    if (p->fault_entry && !t->in_fault && pc >= p->code_begin && pc < p->code_end &&
        hal::Arch::context_stack_contains(t->ctx, sp - kEntryRoom, kEntryRoom)) {
        t->in_fault = true;
        return p->fault_entry;
    }
    char data[512];
    Buf out(data, sizeof data);
    switch (kind) {
        case Fault::Memory:
            out.str("panic: runtime error: invalid memory address or nil pointer dereference\n");
            out.str("[signal SIGSEGV: segmentation violation addr=").hex(address).str("]\n");
            break;
        case Fault::DivideByZero:
            out.str("panic: runtime error: integer divide by zero\n[signal SIGFPE: integer divide by zero]\n");
            break;
        case Fault::Arithmetic:
            out.str("panic: runtime error: arithmetic fault\n[signal SIGFPE: floating-point exception]\n");
            break;
        case Fault::IllegalInstruction:
            out.str("panic: runtime error: illegal instruction\n[signal SIGILL: illegal instruction addr=");
            out.hex(address).str("]\n");
            break;
    }
    out.str("\ngoroutine ").unum(t->id).str(" [running]:\n[process ").unum(t->pid).str(" (").str(t->proc->name);
    out.str(") exited with status 2]\n");
    process_end(t->proc, 2, out.c_str());
    __builtin_unreachable();
}

}  // namespace kernel
