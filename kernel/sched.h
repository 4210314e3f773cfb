// The scheduler: one CPU, a FIFO run queue, time slices enforced by the backend's tick.
// Every function here runs inside a kernel section.
#pragma once

#include <stdint.h>

#include "process.h"
#include "result.h"
#include "thread.h"

namespace kernel {

Result<Thread*> thread_create(Process* p, void (*entry)(uint64_t), uint64_t arg, bool is_main);
// Takes a thread out of every queue; its context is freed now, or after the switch away
// when it is the running thread. Waits it was in are cancelled.
void thread_kill(Thread* t);
// The running thread ends (not the process's first thread: that ends the process).
[[noreturn]] void thread_exit_current();

void make_runnable(Thread* t);
// The other threads of t's process are not scheduled until resume_others, or until t
// blocks, sleeps or ends; other processes run as usual.
void pause_others(Thread* t);
void resume_others(Process* p);
// The running thread gives up the CPU: state already set (Blocked/Sleeping/Dead), or
// Runnable and queued. Returns when it runs again (never for Dead).
void schedule();
void yield_current();
// The running thread waits (its waiters already hooked); returns when woken.
void block_current(WaitKind why, uint64_t deadline);
// Wakes a blocked thread after its wait completed.
void wake(Thread* t, int64_t status);
void timer_insert(Thread* t);

// Leaves a kernel section, taking any preemption that arrived meanwhile.
void kernel_exit();

}  // namespace kernel
