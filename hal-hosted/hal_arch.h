// Hosted backend (Linux): threads are Boost.Context fcontext fibers, the tick is a POSIX
// timer signal, pages come from one mmap'd region, the console is stdout. Kernel sections
// are a per-host-thread flag, not sigprocmask (2 us per pair on these machines; see
// shared/HOSTED.md): the tick handler defers itself while the flag is set.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hal {

namespace hosted {
extern volatile int in_kernel;
extern volatile int preempt_pending;
// Deterministic mode: the clock is virtual and advances per kernel entry.
extern bool deterministic;
extern uint64_t virtual_now;
constexpr uint64_t kVirtualNsPerEntry = 100;

struct Config {
    bool deterministic = false;
    size_t pool_pages = 16384;  // 64 MiB; reserved, committed as the kernel uses it
    bool console = true;        // false: console output is dropped
};
// Sets the hosted machine up (pool, signal handlers). Called once per kernel boot by the
// embedding program (goos-sim, tests); the pool is mapped once and reused.
void configure(const Config& config);
}  // namespace hosted

struct Arch {
    struct Context {
        void* fctx = nullptr;  // boost::context::detail::fcontext_t
        void* stack_top = nullptr;
        size_t stack_size = 0;
        void (*entry)(void*) = nullptr;
        void* arg = nullptr;
        int saved_errno = 0;
        const void* asan_bottom = nullptr;  // the stack as AddressSanitizer is told of it
        size_t asan_size = 0;
        // The split-stack limit (abi.h, GOOS_STACK_RESERVE) while the context is switched
        // out: %fs:0x70 holds the running one's, in glibc's thread control block the word
        // it keeps for split stacks, which no fiber shares with another this way.
        uintptr_t stack_limit = 0;
    };

    static void console_write(const char* text, size_t len);
    static long console_read(char* buf, size_t len);
    static void input_watch(bool on);
    static uintptr_t pool_base();
    static size_t pool_pages();
    static bool pool_zeroed();

    static bool context_create(Context& ctx, void (*entry)(void*), void* arg);
    static void context_destroy(Context& ctx);
    static void context_switch(Context& from, Context& to);
    static bool context_stack_contains(const Context& ctx, uintptr_t addr, size_t len) {
        const auto top = reinterpret_cast<uintptr_t>(ctx.stack_top);
        return addr >= top - ctx.stack_size && addr + len <= top && addr + len >= addr;
    }
    static void context_stack(const Context& ctx, uintptr_t* bottom, uintptr_t* sp, uintptr_t* top) {
        *top = reinterpret_cast<uintptr_t>(ctx.stack_top);
        *bottom = *top - ctx.stack_size;
        const auto saved = reinterpret_cast<uintptr_t>(ctx.fctx);  // fcontext_t is the saved sp
        *sp = saved > *bottom && saved < *top ? saved : *bottom;
    }

    static void kernel_enter() {
        in_kernel_set();
        if (hosted::deterministic) hosted::virtual_now += hosted::kVirtualNsPerEntry;
    }
    static bool kernel_leave() {
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        hosted::in_kernel = 0;
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        if (!hosted::preempt_pending) return false;
        in_kernel_set();
        hosted::preempt_pending = 0;
        return true;
    }

    static uint64_t now_ns();
    static uint64_t entropy();
    static void idle_until(uint64_t deadline_ns);
    static void timer_start(uint64_t slice_ns);
    static void timer_stop();
    static uintptr_t image_begin();
    static uintptr_t image_end();
    static void (*block_hook())();
    static uint64_t (*barrier_hook())();

private:
    static void in_kernel_set() {
        hosted::in_kernel = 1;
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
    }
};

}  // namespace hal
