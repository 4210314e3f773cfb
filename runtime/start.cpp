// Program start, and package goos's yield and getpid. The kernel's loader enters a program
// image at goos_rt_start with a goos_start_info (kernel/abi.h): the syscall entry, the
// deterministic-mode block hook and the map hash seed.
#include "barrier.h"
#include "g.h"
#include "heap_internal.h"
#include "layout.h"

namespace goos_rt {
goos_syscall_fn syscall_entry;
const goos_start_info* program_info;
}  // namespace goos_rt

namespace {
void (*block_hook)();
const goos_start_info* start_info;
// The thread that collects when the kernel asks. It has a G like any goroutine: a
// collection may grow its stack (stack.h), which needs one.
void answer_asks(uint64_t) {
    goos_rt::G g;
    g.hi = reinterpret_cast<uintptr_t>(&g);
    goos_rt::g_register(&g);
    goos_rt::heap_answer_asks();
}
}  // namespace

extern "C" {
void go_init_main() GO_SYM("__go_init_main");
void go_main_main() GO_SYM("main.main");

// The first thread of a Go program: package initialisation, main.main, then exit 0 (which
// ends every other goroutine, as returning from main does in Go).
[[noreturn]] void goos_rt_start(const goos_start_info* info) {
    goos_rt::syscall_entry = info->syscall;
    block_hook = info->block_hook;
    start_info = info;
    goos_rt::program_info = info;
    goos_rt::heap_init(info->pool_base, info->pool_pages);
    goos_rt::layout_init(info);
    goos_rt::barrier_init(info);
    goos_rt::faults_as_panics();
    // Known before any Go code runs: a segment grown for it needs its G (stack.h).
    goos_rt::g_register_main();
    if (goos_rt::sys(GOOS_SYS_thread_spawn, reinterpret_cast<uint64_t>(&answer_asks), 0) < 0)
        goos_rt::fatal_panic("runtime: cannot start the thread that answers collection asks");
    go_init_main();
    go_main_main();
    goos_rt::sys(GOOS_SYS_exit, 0);
    __builtin_trap();
}

// Program code is built with -fsanitize-coverage=trace-pc (tools/goos-build) so that a
// deterministic run can preempt a loop that never calls the kernel (DESIGN.md,
// "Deterministic mode"); elsewhere the hook is null and this costs a load and a branch.
__attribute__((weak)) void __sanitizer_cov_trace_pc() {
    if (block_hook) block_hook();
}

// os.Args[0]: the name the kernel gave the program.
goos_rt::String goos_rt_program_name() GO_SYM("os.programName");
goos_rt::String goos_rt_program_name() {
    const char* name = start_info ? start_info->name : "";
    return {reinterpret_cast<const uint8_t*>(name), static_cast<intptr_t>(goos_rt::cstrlen(name))};
}

// package goos
void goos_rt_yield() {
    goos_rt::sys(GOOS_SYS_yield);
}
int64_t goos_rt_getpid() {
    return goos_rt::sys(GOOS_SYS_getpid);
}
int64_t goos_rt_charged() {
    return goos_rt::sys(GOOS_SYS_charged);
}
}
