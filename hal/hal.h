// The hardware abstraction contract. Every backend (hal-hosted/, hal-x86/) ships a header
// named <hal_arch.h> on the include path of its build; the build picks exactly one, so
// the kernel calls the backend directly, without virtual dispatch. The concept below is
// the contract, checked at compile time.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <concepts>

#include <hal_arch.h>

namespace hal {

// What the kernel needs from a backend. `Arch` is the backend's type; `Arch::Context`
// holds one suspended thread.
template <class A>
concept Backend = requires(typename A::Context& ctx, const typename A::Context& cctx, const char* text, size_t len,
                           uint64_t u64, uintptr_t* pu64, void (*entry)(void*), void* arg) {
    // Console: bytes out, in order; never fails. Bytes in without waiting: how many were
    // read (0: none now), or -1 when no more will come.
    { A::console_write(text, len) } -> std::same_as<void>;
    { A::console_read(const_cast<char*>(text), len) } -> std::same_as<long>;
    // The kernel has threads waiting for console input (true) or no longer (false); while
    // it has, the backend calls kernel::on_input() when input (or its end) arrives.
    { A::input_watch(true) } -> std::same_as<void>;
    // Memory the kernel hands out in 4 KiB pages. Same base on every boot of a build with
    // a fixed seed, so deterministic runs are byte-identical.
    { A::pool_base() } -> std::same_as<uintptr_t>;
    { A::pool_pages() } -> std::same_as<size_t>;
    // Whether the pool reads as zero (freshly reserved), so the kernel need not clear its
    // page records: a large pool is then committed only as its pages are used.
    { A::pool_zeroed() } -> std::same_as<bool>;
    // Contexts. `context_create` gives a fresh context with its own guarded stack that
    // starts in entry(arg); it returns false when no stack can be had.
    { A::context_create(ctx, entry, arg) } -> std::same_as<bool>;
    // Frees the stack of a context that is not running and never will again.
    { A::context_destroy(ctx) } -> std::same_as<void>;
    // Saves the running context into `from` and resumes `to`.
    { A::context_switch(ctx, ctx) } -> std::same_as<void>;
    // Whether [u64, u64+len) lies within the context's own stack.
    { A::context_stack_contains(ctx, u64, len) } -> std::same_as<bool>;
    // A context's stack: its lowest byte, its saved stack pointer (the registers it saved
    // lie above; stale for the running context) and its top. What a conservative
    // collector scans.
    { A::context_stack(cctx, pu64, pu64, pu64) } -> std::same_as<void>;
    // Kernel sections are atomic with respect to the preemption tick: enter defers it,
    // leave returns true when a tick arrived meanwhile (the section is then still held,
    // and the kernel must preempt and call leave again).
    { A::kernel_enter() } -> std::same_as<void>;
    { A::kernel_leave() } -> std::same_as<bool>;
    // Time in nanoseconds since boot (virtual in deterministic mode) and waiting for it:
    // idle_until returns at the deadline (~0: none), or earlier once input arrived for a
    // watched console (after calling kernel::on_input()).
    { A::now_ns() } -> std::same_as<uint64_t>;
    // Unpredictable bits, for the seeds no program may know (maps' hash seeds); never
    // called in a deterministic run.
    { A::entropy() } -> std::same_as<uint64_t>;
    { A::idle_until(u64) } -> std::same_as<void>;
    // The preemption tick, delivered to kernel::on_tick() outside kernel sections. In a
    // deterministic run it never preempts: a tick that finds a thread still running where
    // the previous one left it, without a kernel entry between, calls kernel::on_stall().
    { A::timer_start(u64) } -> std::same_as<void>;
    { A::timer_stop() } -> std::same_as<void>;
    // Read-only image of built-in programs (code and constants) for argument checks.
    // The backend also provides the C symbols memcpy, memmove, memset and memcmp, which
    // the compiler emits calls to even in freestanding code.
    { A::image_begin() } -> std::same_as<uintptr_t>;
    { A::image_end() } -> std::same_as<uintptr_t>;
    // What a loaded image's basic-block callback calls (goos_start_info::block_hook):
    // the deterministic preemption count of a hosted run; null where nothing is needed.
    { A::block_hook() } -> std::same_as<void (*)()>;
    // What the write barrier's fast paths call between their test and their store, when
    // not null (kernel/barrier.h): deterministic mode's preemption point there, which
    // returns nonzero when it let another thread run (the sequence then restarts).
    { A::barrier_hook() } -> std::same_as<uint64_t (*)()>;
};

static_assert(Backend<Arch>, "the selected HAL backend does not meet the contract");

}  // namespace hal

// Called by the backend: a tick arrived while a thread ran outside the kernel; the kernel
// section is already entered. Defined in kernel/sched.cpp.
namespace kernel {
void on_tick();
// Called by the backend in a deterministic run when a thread ran a whole tick without
// reaching a preemption point: the run stops. Never returns. Defined in kernel/sched.cpp.
[[noreturn]] void on_stall();
// Called by the backend, in a kernel section, when console input (or its end) arrived
// while input was watched. Defined in kernel/syscall.cpp.
void on_input();
// What went wrong when program code faulted.
enum class Fault { Memory, DivideByZero, Arithmetic, IllegalInstruction };
// Called by the backend when program code faulted at pc with stack pointer sp, with the
// kernel section entered. Either returns where the thread is to go on: the program's fault
// entry, which the backend enters as if the faulting instruction had called it
// (entry(kind, address) with pc + 1 pushed as the return address, so that an unwinder
// sees the faulting frame), the kernel section left; or ends the program with Go's
// message and does not return. Defined in kernel/process.cpp.
uintptr_t on_fault(Fault kind, uintptr_t address, uintptr_t pc, uintptr_t sp);
// The syscall entry, which the backend's syscall mechanism calls. Defined in
// kernel/syscall.cpp.
int64_t syscall_entry(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
}  // namespace kernel
