#include "sched.h"

#include "chan.h"
#include "kernel.h"
#include "ledger.h"
#include "registry.h"

namespace kernel {

namespace {

[[noreturn]] void thread_main(void* arg);

void wake_timers() {
    if (k.timers.empty()) return;
    const uint64_t now = hal::Arch::now_ns();
    while (Thread* t = k.timers.front()) {
        if (t->deadline > now) break;
        k.timers.remove(t);
        if (t->state == ThreadState::Sleeping) {
            t->wake_status = 0;
        } else {  // a timed lookup or select
            if (t->lookup_link.linked()) k.lookups.remove(t);
            if (t->wait == WaitKind::Select) unhook_waiters(t);
            t->wake_status = GOOS_TIMED_OUT;
            if (t->proc) --t->proc->nblocked;
        }
        t->state = ThreadState::Runnable;
        k.runq.push_back(t);
    }
}

// The common case, cheaply: a single wait on a channel another process holds can complete.
bool held_elsewhere(const Thread* t) {
    return t->waiters && t->nwaiters == 1 && (t->waiters[0].chan->holders & ~t->proc->bit());
}

void finish_switch() {
    if (Thread* dead = k.reap) {
        k.reap = nullptr;
        hal::Arch::context_destroy(dead->ctx);
        k.threads.destroy(dead);
    }
}

void trace_stop(Thread* t) {
    uint64_t why = 0;
    if (t->state == ThreadState::Runnable) why = k.preempting ? 2 : 1;
    if (t->state == ThreadState::Dead) why = 3;
    trace(TraceKind::ThreadStop, t->id, t->pid, 0, why);
}

// Nothing can run and nothing will wake: hand the CPU back to run(). Nothing switches
// back, but this is not declared (or left to be inferred) [[noreturn]]: AddressSanitizer
// builds would make a signal-stack syscall before each call (__asan_handle_no_return),
// a tenth of a fuzzer input's time.
void stop_system(Thread* prev) {
    k.running = false;
    hal::Arch::Context& save = prev && prev->state != ThreadState::Dead ? prev->ctx : k.dead_ctx;
    if (prev && prev->state == ThreadState::Dead) k.reap = prev;
    k.current = nullptr;
    hal::Arch::context_switch(save, k.boot_ctx);
}

void switch_to(Thread* prev, Thread* next) {
    next->state = ThreadState::Running;
    if (next == prev) return;
    ++k.stats.context_switches;
    methods_switch(next->proc);
    if (Process* p = next->proc; p && p->last_ran != next->id) {
        p->last_ran = next->id;
        if (p->info) ++p->info->walk_clock;  // what a walk of p's read may have changed
    }
    if (prev) trace_stop(prev);
    k.preempting = false;
    trace(TraceKind::ThreadRun, next->id, next->pid, 0, 0);
    k.current = next;
    if (prev && prev->state == ThreadState::Dead) {
        k.reap = prev;
        hal::Arch::context_switch(k.dead_ctx, next->ctx);
        __builtin_unreachable();
    }
    hal::Arch::context_switch(prev ? prev->ctx : k.boot_ctx, next->ctx);
    finish_switch();
}

// Not instrumented by AddressSanitizer: it would call __asan_handle_no_return before
// thread_exit_current, which asks Linux for the signal stack (a syscall, a fifth of a
// fuzzer input's time); the stack is abandoned for good there and unpoisoned when reused
// (hal-hosted, context_create).
[[noreturn]] __attribute__((no_sanitize_address)) void thread_main(void* arg) {
    auto* t = static_cast<Thread*>(arg);
    finish_switch();
    kernel_exit();
    t->entry(t->arg);
    hal::Arch::kernel_enter();
    // Returning from a program's first thread ends the program, as returning from main
    // does in Go; any other thread just ends.
    if (t->is_main) process_end(t->proc, 0, nullptr);
    thread_exit_current();
}

}  // namespace

void thread_exit_current() {
    Thread* t = k.current;
    Process* p = t->proc;
    thread_kill(t);
    // The threads left may all be waiting on what no one else can complete.
    process_check_stuck(p);
    schedule();
    __builtin_unreachable();
}

Result<Thread*> thread_create(Process* p, void (*entry)(uint64_t), uint64_t arg, bool is_main) {
    Thread* t = k.threads.create(k.pages);
    if (!t) return Error::NO_MEMORY;
    if (!hal::Arch::context_create(t->ctx, thread_main, t)) {
        k.threads.destroy(t);
        return Error::NO_MEMORY;
    }
    t->magic = kThreadMagic;
    t->id = k.next_tid++;
    t->pid = p->pid;
    t->proc = p;
    t->entry = entry;
    t->arg = arg;
    t->is_main = is_main;
    p->threads.push_back(t);
    ++k.stats.threads_created;
    make_runnable(t);
    return t;
}

void thread_kill(Thread* t) {
    if (t->proc && t->proc->pauser == t) resume_others(t->proc);
    if (t->run_link.linked()) (t->parked && t->proc ? t->proc->parked : k.runq).remove(t);
    t->parked = false;
    if (t->timer_link.linked()) k.timers.remove(t);
    if (t->lookup_link.linked()) {
        if (t->wait == WaitKind::Input) {
            k.readers.remove(t);
            if (k.readers.empty()) hal::Arch::input_watch(false);
        } else {
            k.lookups.remove(t);
        }
    }
    if (t->waiters) {
        release_offers(t, nullptr);
        unhook_waiters(t);
    }
    select_release(t);
    if (t->proc) ledger_join_release(t);
    if (Process* p = t->proc) {
        if (t->state == ThreadState::Blocked) --p->nblocked;
        if (t->proc_link.linked()) p->threads.remove(t);
    }
    t->state = ThreadState::Dead;
    t->proc = nullptr;
    if (t != k.current) {
        hal::Arch::context_destroy(t->ctx);
        k.threads.destroy(t);
    }
}

void pause_others(Thread* t) {
    t->proc->pauser = t;
}

void resume_others(Process* p) {
    p->pauser = nullptr;
    while (Thread* t = p->parked.pop_front()) {
        t->parked = false;
        k.runq.push_back(t);
    }
}

void make_runnable(Thread* t) {
    t->state = ThreadState::Runnable;
    k.runq.push_back(t);
}

void schedule() {
    Thread* prev = k.current;
    for (;;) {
        wake_timers();
        if (Thread* next = k.runq.pop_front()) {
            if (Process* p = next->proc; p && p->pauser && p->pauser != next) {
                next->parked = true;
                p->parked.push_back(next);
                continue;
            }
            switch_to(prev, next);
            return;
        }
        if (Thread* first = k.timers.front()) {
            hal::Arch::idle_until(first->deadline);
            continue;
        }
        if (!k.readers.empty()) {  // only a device can wake anyone now
            hal::Arch::idle_until(~0ULL);
            continue;
        }
        k.deadlocked = live_processes() > 0;
        stop_system(prev);
    }
}

void yield_current() {
    Thread* t = k.current;
    make_runnable(t);
    schedule();
}

void block_current(WaitKind why, uint64_t deadline) {
    Thread* t = k.current;
    if (t->proc->pauser == t) resume_others(t->proc);
    t->wait = why;
    t->state = ThreadState::Blocked;
    t->wake_status = 0;
    if (deadline) {
        t->deadline = deadline;
        timer_insert(t);
    }
    // The full check runs only when this was the process's last thread able to run (woken
    // threads no longer count as blocked: wake takes them off), so a blocking send or
    // receive stays O(1).
    Process* p = t->proc;
    if (++p->nblocked == p->threads.size() && !held_elsewhere(t)) process_check_stuck(p);
    schedule();
    t->wait = WaitKind::None;
}

void wake(Thread* t, int64_t status) {
    if (t->timer_link.linked()) k.timers.remove(t);
    if (t->state == ThreadState::Blocked && t->proc) --t->proc->nblocked;
    t->wake_status = status;
    make_runnable(t);
}

void timer_insert(Thread* t) {
    Thread* pos = k.timers.front();
    while (pos && pos->deadline <= t->deadline) pos = k.timers.next(pos);
    k.timers.insert(pos, t);
}

void on_stall() {
    Thread* t = k.current;
    kprintf(
        "goos: deterministic run stopped: thread %u of process %u (%s) ran for %lu ms of CPU time without "
        "reaching a preemption point (a kernel call, or a basic-block callback in code built with "
        "-fsanitize-coverage=trace-pc)\n",
        t->id, t->pid, t->proc ? t->proc->name : "?", k.config.stall_ns / 1'000'000);
    k.stalled = true;
    stop_system(t);  // its context is kept and freed with its process at the end of run()
    __builtin_unreachable();
}

void on_tick() {
    Thread* t = k.current;
    if (!t || !k.running) return;
    // Run time by ticks (deterministic mode has none that mean time).
    if (t->proc && !k.config.deterministic) ledger_tick(t->proc, k.config.slice_ns);  // may end it
    wake_timers();
    if (k.runq.empty()) return;
    ++k.stats.preemptions;
    k.preempting = true;
    yield_current();
    k.preempting = false;
}

void kernel_exit() {
    if (k.config.deterministic && k.current && k.running) {
        // Fault injection (goos-sim --explore): the program dies here as if it had crashed.
        if (k.config.crash_one_in && k.rng.below(k.config.crash_one_in) == 0)
            process_end(k.current->proc, 2, k.config.quiet ? nullptr : "[injected crash]\n");
        if (k.rng.below(k.config.preempt_one_in) == 0 && !k.runq.empty()) {
            ++k.stats.preemptions;
            k.preempting = true;
            yield_current();
            k.preempting = false;
        }
    }
    while (hal::Arch::kernel_leave()) on_tick();
}

RunResult run() {
    RunResult result;
    k.running = true;
    k.deadlocked = false;
    hal::Arch::kernel_enter();
    k.stalled = false;
    hal::Arch::timer_start(k.config.deterministic ? k.config.stall_ns : k.config.slice_ns);
    // Returns here, on the boot context, when nothing can run any more. With no thread at
    // all (every image refused) there is no context to come back from.
    if (!k.runq.empty()) schedule();
    hal::Arch::timer_stop();
    finish_switch();
    if (k.deadlocked) {
        report_deadlock();
        result.deadlock = true;
        result.status = 2;
    }
    if (k.stalled) {
        result.stalled = true;
        result.status = 3;
    }
    while (Process* p = k.processes.front()) process_end(p, 2, nullptr);
    trace_flush();
    while (hal::Arch::kernel_leave()) {
    }
    result.stats = k.stats;
    return result;
}

}  // namespace kernel
