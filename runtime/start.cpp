// Program start and the calls behind package goos.
#include "rt.h"

extern "C" {
void go_init_main() GO_SYM("__go_init_main");
void go_main_main() GO_SYM("main.main");

// The first thread of a Go program: package initialisation, main.main, then exit 0 (which
// ends every other goroutine, as returning from main does in Go).
void goos_rt_start(uint64_t) {
    go_init_main();
    go_main_main();
    goos_rt::sys(GOOS_SYS_exit, 0);
    __builtin_trap();
}

// package goos
void goos_rt_yield() { goos_rt::sys(GOOS_SYS_yield); }
int64_t goos_rt_getpid() { return goos_rt::sys(GOOS_SYS_getpid); }
}
