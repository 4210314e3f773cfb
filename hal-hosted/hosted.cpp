// The hosted backend. See hal_arch.h for the model; shared/HOSTED.md for the measurements
// behind it.
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <boost/context/detail/fcontext.hpp>

#include <hal/hal.h>
#include <kernel/abi.h>
#include <kernel/barrier.h>

// AddressSanitizer builds tell it of every stack switch. GCC says __SANITIZE_ADDRESS__;
// clang 14 only answers __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define GOOS_ASAN_FIBERS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GOOS_ASAN_FIBERS 1
#endif
#endif
#ifdef GOOS_ASAN_FIBERS
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

extern "C" char __executable_start;
extern "C" char __data_start;

namespace hal {

namespace hosted {
volatile int in_kernel = 1;
volatile int preempt_pending = 0;
bool deterministic = false;
uint64_t virtual_now = 0;
bool console = true;
}  // namespace hosted

namespace {

namespace bctx = boost::context::detail;
using hosted::in_kernel;
using hosted::preempt_pending;

// Fixed, so that runs see the same addresses; clear of ASan's shadow and allocator
// (0x600000000000) on x86-64.
constexpr uintptr_t kPoolAddress = 0x500000000000ULL;
constexpr size_t kStackSize = size_t{64} * 1024;  // room for signal frames (AVX-512)
constexpr size_t kGuard = 4096;
// Not SIGALRM: libFuzzer's -timeout and other tools keep that one.
constexpr int kTickSignal = SIGVTALRM;

uintptr_t pool = 0;
size_t pool_npages = 0;
bool pool_fresh = false;  // mapped since the last boot, so all zero
uint64_t boot_ns = 0;
volatile bool input_watched = false;
bool input_ended = false;
timer_t tick_timer;
bool timer_made = false;
Arch::Context* starting = nullptr;  // the context a first switch enters
void* stack_cache[1024];
size_t stack_cached = 0;
char alt_stack[64 * 1024];
// Deterministic mode: basic blocks of instrumented program code between preemptions.
constexpr uint32_t kBlockBudget = 20000;
uint32_t block_budget = kBlockBudget;

void fence() {
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

uint64_t mono_ns() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

void set_signal(int sig, int how) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(how, &set, nullptr);
}

// Tells the kernel when stdin has something (or has ended) for a thread waiting on it;
// waits up to timeout_ms (-1: for ever). Returns whether it told.
bool poll_input(int timeout_ms) {
    if (!input_watched || input_ended) return false;
    pollfd p{0, POLLIN, 0};
    const int r = poll(&p, 1, timeout_ms);
    if (r == 0 || (r < 0 && errno == EINTR)) return false;
    if (r < 0 || (p.revents & (POLLHUP | POLLERR | POLLNVAL) && !(p.revents & POLLIN))) input_ended = true;
    kernel::on_input();
    return true;
}

// Deterministic mode: the virtual clock moves at every kernel entry, so a tick that finds
// it where the last one did, outside the kernel, found a thread that never stops.
uint64_t last_progress = ~0ULL;
// Deterministic mode: the timer is only this watchdog. A fuzzer boots and runs a kernel
// per input, and arming and disarming it (two syscalls) was a few percent of a run, so
// timer_stop() parks the watchdog instead and timer_start() with the same interval
// unparks it. configure() disarms it for real before a run that is not deterministic.
uint64_t armed_ns = 0;  // the interval the timer runs at; 0: disarmed
bool watchdog_parked = false;

void watchdog_tick() {
    if (watchdog_parked) return;
    if (in_kernel || hosted::virtual_now != last_progress) {
        last_progress = hosted::virtual_now;
        return;
    }
    in_kernel = 1;
    fence();
    set_signal(kTickSignal, SIG_UNBLOCK);
    kernel::on_stall();
}

// The tick: preempt unless a kernel section is running (then the section's exit does).
void on_tick_signal(int, siginfo_t*, void* ucv) {
    const int saved = errno;
    if (hosted::deterministic) {
        watchdog_tick();
        errno = saved;
        return;
    }
    if (in_kernel) {
        preempt_pending = 1;
        errno = saved;
        return;
    }
    in_kernel = 1;
    fence();
    preempt_pending = 0;
    // A thread stopped inside a write barrier's sequence resumes at its test (barrier.h).
    greg_t& pc = static_cast<ucontext_t*>(ucv)->uc_mcontext.gregs[REG_RIP];
    pc = static_cast<greg_t>(kernel::barrier_restart_pc(static_cast<uintptr_t>(pc)));
    // The tick is blocked in the handler; another context resumed from here must not
    // inherit that (shared/HOSTED.md, "the signal mask travels").
    set_signal(kTickSignal, SIG_UNBLOCK);
    poll_input(0);
    kernel::on_tick();
    while (preempt_pending) {
        preempt_pending = 0;
        kernel::on_tick();
    }
    set_signal(kTickSignal, SIG_BLOCK);
    fence();
    in_kernel = 0;
    errno = saved;
}

void asan_forget_stack(void* base, size_t size) {
#ifdef GOOS_ASAN_FIBERS
    // A stack left for good keeps the poison of the frames that never returned.
    __asan_unpoison_memory_region(base, size);
#else
    (void)base;
    (void)size;
#endif
}

kernel::Fault fault_kind(int sig, int code) {
    if (sig == SIGFPE) return code == FPE_INTDIV ? kernel::Fault::DivideByZero : kernel::Fault::Arithmetic;
    if (sig == SIGILL) return kernel::Fault::IllegalInstruction;
    return kernel::Fault::Memory;
}

// A fault in program code becomes a panic in that program or ends it (kernel::on_fault); a
// fault in the kernel is a kernel bug.
void on_fault_signal(int sig, siginfo_t* info, void* ucv) {
    // Earlier faults left this stack without returning.
    asan_forget_stack(alt_stack, sizeof alt_stack);
    if (in_kernel) {
        static const char msg[] = "goos: fault inside the kernel\n";
        (void)!write(2, msg, sizeof msg - 1);
        signal(sig, SIG_DFL);
        return;  // the fault repeats with the default action
    }
    in_kernel = 1;
    fence();
    set_signal(sig, SIG_UNBLOCK);
    set_signal(kTickSignal, SIG_UNBLOCK);
    auto* uc = static_cast<ucontext_t*>(ucv);
    greg_t* regs = uc->uc_mcontext.gregs;
    const auto kind = fault_kind(sig, info->si_code);
    const auto address = reinterpret_cast<uintptr_t>(info->si_addr);
    const auto pc = static_cast<uintptr_t>(regs[REG_RIP]);
    const auto sp = static_cast<uintptr_t>(regs[REG_RSP]);
    const uintptr_t entry = kernel::on_fault(kind, address, pc, sp);
    // As if the faulting instruction had called entry(kind, address): sigreturn resumes
    // the thread there. A tick that came meanwhile stays pending for the next one.
    const uintptr_t new_sp = sp - 8;
    *reinterpret_cast<uintptr_t*>(new_sp) = pc + 1;
    regs[REG_RSP] = static_cast<greg_t>(new_sp);
    regs[REG_RIP] = static_cast<greg_t>(entry);
    regs[REG_RDI] = static_cast<greg_t>(kind);
    regs[REG_RSI] = static_cast<greg_t>(address);
    fence();
    in_kernel = 0;
}

void install_handlers() {
    static bool done = false;
    if (done) return;
    done = true;
    struct sigaction sa {};
    sa.sa_sigaction = on_tick_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(kTickSignal, &sa, nullptr);

    stack_t ss{};
    ss.ss_sp = alt_stack;
    ss.ss_size = sizeof alt_stack;
    sigaltstack(&ss, nullptr);
    struct sigaction fa {};
    fa.sa_sigaction = on_fault_signal;
    sigemptyset(&fa.sa_mask);
    fa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL}) sigaction(sig, &fa, nullptr);

    sigevent sev{};
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev._sigev_un._tid = gettid();
    sev.sigev_signo = kTickSignal;
    // Thread CPU time: fires only while the kernel's host thread runs, and at no measurable
    // cost here (a CLOCK_MONOTONIC timer loses 35-45 us per expiry in this VM).
    timer_made = timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &tick_timer) == 0;
}

// AddressSanitizer must be told of every stack switch (it keeps per-stack state).
void asan_leave(void** fake, const Arch::Context& to) {
#ifdef GOOS_ASAN_FIBERS
    __sanitizer_start_switch_fiber(fake, to.asan_bottom, to.asan_size);
#else
    (void)fake;
    (void)to;
#endif
}
void asan_arrive(void* fake, Arch::Context* from) {
#ifdef GOOS_ASAN_FIBERS
    __sanitizer_finish_switch_fiber(fake, &from->asan_bottom, &from->asan_size);
#else
    (void)fake;
    (void)from;
#endif
}

[[noreturn]] void trampoline(bctx::transfer_t from) {
    auto* prev = static_cast<Arch::Context*>(from.data);
    prev->fctx = from.fctx;
    asan_arrive(nullptr, prev);
    Arch::Context* self = starting;
    self->entry(self->arg);
    abort();  // a thread's entry never returns: it ends through the kernel
}

}  // namespace

namespace hosted {

void configure(const Config& config) {
    deterministic = config.deterministic;
    console = config.console;
    input_watched = false;
    virtual_now = 0;
    block_budget = kBlockBudget;
    boot_ns = mono_ns();
    in_kernel = 1;
    preempt_pending = 0;
    if (armed_ns && !config.deterministic && timer_made) {  // a parked watchdog (timer_stop)
        itimerspec off{};
        timer_settime(tick_timer, 0, &off, nullptr);
        armed_ns = 0;
    }
    if (pool && pool_npages != config.pool_pages) {
        munmap(reinterpret_cast<void*>(pool), pool_npages * GOOS_PAGE_SIZE);
        pool = 0;
    }
    pool_fresh = !pool;
    if (!pool) {
        // Executable: loaded program images run from pool pages (one address space,
        // DESIGN.md "Ownership"; isolation rests on Go's memory safety).
        void* p = mmap(reinterpret_cast<void*>(kPoolAddress), config.pool_pages * GOOS_PAGE_SIZE,
                       PROT_READ | PROT_WRITE | PROT_EXEC,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
        if (p == MAP_FAILED)  // taken: any address will do, only determinism of addresses is lost
            p = mmap(nullptr, config.pool_pages * GOOS_PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) {
            perror("goos: mapping the page pool");
            exit(1);
        }
        pool = reinterpret_cast<uintptr_t>(p);
        pool_npages = config.pool_pages;
    }
    install_handlers();
}

}  // namespace hosted

void Arch::console_write(const char* text, size_t len) {
    if (!hosted::console) return;
    while (len) {
        const ssize_t n = write(1, text, len);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            return;
        }
        text += n;
        len -= static_cast<size_t>(n);
    }
}

long Arch::console_read(char* buf, size_t len) {
    if (input_ended) return -1;
    pollfd p{0, POLLIN, 0};
    if (poll(&p, 1, 0) <= 0) return 0;  // nothing typed yet (never waits: the kernel is running)
    if (!(p.revents & POLLIN)) {        // closed or invalid: no more input
        input_ended = true;
        return -1;
    }
    const ssize_t n = read(0, buf, len);
    if (n < 0) return errno == EINTR || errno == EAGAIN ? 0 : -1;
    if (n == 0) input_ended = true;
    return n == 0 ? -1 : n;
}

void Arch::input_watch(bool on) {
    input_watched = on;
}

uintptr_t Arch::pool_base() {
    return pool;
}
size_t Arch::pool_pages() {
    return pool_npages;
}
bool Arch::pool_zeroed() {
    return pool_fresh;
}

bool Arch::context_create(Context& ctx, void (*entry)(void*), void* arg) {
    void* base = stack_cached ? stack_cache[--stack_cached] : nullptr;
    if (!base) {
        base = mmap(nullptr, kStackSize + kGuard, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                    -1, 0);
        if (base == MAP_FAILED) return false;
        mprotect(base, kGuard, PROT_NONE);  // a stack overflow faults instead of corrupting
    }
    asan_forget_stack(static_cast<char*>(base) + kGuard, kStackSize);
    ctx.stack_top = static_cast<char*>(base) + kGuard + kStackSize;
    ctx.stack_size = kStackSize;
    ctx.entry = entry;
    ctx.arg = arg;
    ctx.fctx = bctx::make_fcontext(ctx.stack_top, kStackSize, trampoline);
    ctx.asan_bottom = static_cast<char*>(base) + kGuard;
    ctx.asan_size = kStackSize;
    ctx.stack_limit = reinterpret_cast<uintptr_t>(base) + kGuard + GOOS_STACK_RESERVE;
    return true;
}

void Arch::context_destroy(Context& ctx) {
    if (!ctx.stack_top) return;
    void* base = static_cast<char*>(ctx.stack_top) - kStackSize - kGuard;
    if (stack_cached < sizeof stack_cache / sizeof stack_cache[0])
        stack_cache[stack_cached++] = base;
    else
        munmap(base, kStackSize + kGuard);
    ctx.stack_top = nullptr;
}

void Arch::context_switch(Context& from, Context& to) {
    from.saved_errno = errno;
    asm volatile("movq %%fs:0x70, %0" : "=r"(from.stack_limit));
    asm volatile("movq %0, %%fs:0x70" ::"r"(to.stack_limit) : "memory");
    starting = &to;
    void* fake = nullptr;
    asan_leave(&fake, to);
    const bctx::transfer_t back = bctx::jump_fcontext(to.fctx, &from);
    // Someone switched back to us: it passed its own Context, which we complete.
    auto* prev = static_cast<Context*>(back.data);
    prev->fctx = back.fctx;
    asan_arrive(fake, prev);
    errno = from.saved_errno;
}

uint64_t Arch::entropy() {
    uint64_t x = 0;
    if (getrandom(&x, sizeof x, 0) != sizeof x) x = mono_ns() * 0x9e3779b97f4a7c15ULL;
    return x;
}

uint64_t Arch::now_ns() {
    return hosted::deterministic ? hosted::virtual_now : mono_ns() - boot_ns;
}

void Arch::idle_until(uint64_t deadline_ns) {
    if (input_watched && !input_ended) {
        // Wait for the terminal as well as the clock (input is never virtual).
        int timeout_ms = -1;
        if (deadline_ns != ~0ULL) {
            const uint64_t now = now_ns();
            timeout_ms = hosted::deterministic || deadline_ns <= now
                             ? 0
                             : static_cast<int>((deadline_ns - now + 999999) / 1000000);
        }
        if (poll_input(timeout_ms)) return;
        if (deadline_ns == ~0ULL) return;
    }
    if (hosted::deterministic) {
        if (deadline_ns > hosted::virtual_now) hosted::virtual_now = deadline_ns;
        return;
    }
    const uint64_t abs = boot_ns + deadline_ns;
    timespec ts{static_cast<time_t>(abs / 1000000000ULL), static_cast<long>(abs % 1000000000ULL)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
}

void Arch::timer_start(uint64_t slice_ns) {
    if (!timer_made) return;
    last_progress = ~0ULL;
    if (hosted::deterministic && armed_ns == slice_ns) {
        watchdog_parked = false;
        return;
    }
    armed_ns = slice_ns;
    watchdog_parked = false;
    itimerspec its{};
    its.it_interval.tv_sec = static_cast<time_t>(slice_ns / 1000000000ULL);
    its.it_interval.tv_nsec = static_cast<long>(slice_ns % 1000000000ULL);
    its.it_value = its.it_interval;
    timer_settime(tick_timer, 0, &its, nullptr);
}

void Arch::timer_stop() {
    if (!timer_made) return;
    if (hosted::deterministic) {
        watchdog_parked = true;
        return;
    }
    armed_ns = 0;
    itimerspec off{};
    timer_settime(tick_timer, 0, &off, nullptr);
}

uintptr_t Arch::image_begin() {
    return reinterpret_cast<uintptr_t>(&__executable_start);
}
uintptr_t Arch::image_end() {
    return reinterpret_cast<uintptr_t>(&__data_start);
}

}  // namespace hal

// The syscall instruction of the hosted target: a call into the kernel's entry.
extern "C" int64_t goos_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3) {
    return kernel::syscall_entry(nr, a0, a1, a2, a3);
}

// Deterministic mode: program code built with -fsanitize-coverage=trace-pc calls this on
// every basic block, so a loop that never enters the kernel is still preempted, at the
// same point on every run.
extern "C" void __sanitizer_cov_trace_pc() {
    using namespace hal::hosted;
    if (!deterministic || in_kernel || --hal::block_budget) return;
    hal::block_budget = hal::kBlockBudget;
    hal::Arch::kernel_enter();
    kernel::on_tick();
    while (hal::Arch::kernel_leave()) kernel::on_tick();
}

void (*hal::Arch::block_hook())() {
    return hal::hosted::deterministic ? __sanitizer_cov_trace_pc : nullptr;
}

// Deterministic mode: the write barrier's fast paths call this between their test and
// their store (DESIGN.md, "Deterministic mode"), a preemption point counted like a basic
// block; nonzero when it let other threads run, and the sequence restarts at its test.
namespace {
uint64_t barrier_preemption_point() {
    using namespace hal::hosted;
    if (in_kernel || --hal::block_budget) return 0;
    hal::block_budget = hal::kBlockBudget;
    hal::Arch::kernel_enter();
    kernel::on_tick();
    while (hal::Arch::kernel_leave()) kernel::on_tick();
    return 1;
}
}  // namespace

uint64_t (*hal::Arch::barrier_hook())() {
    return hal::hosted::deterministic ? barrier_preemption_point : nullptr;
}
