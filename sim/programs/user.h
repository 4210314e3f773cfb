// The user side of the syscall ABI for built-in C++ programs: thin wrappers over
// goos_syscall, the same entry Go programs reach through runtime/. Programs run as GoOS
// threads; they must not call into the host libc except for pure functions (snprintf on
// their own stack) since a tick may preempt them anywhere.
#pragma once

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <kernel/abi.h>

namespace user {

using Chan = uint64_t;

inline int64_t sys(goos_sysno nr, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0) {
    return goos_syscall(nr, a0, a1, a2, a3);
}
template <class T>
uint64_t u(T* p) {
    return reinterpret_cast<uint64_t>(p);
}

inline Chan make_chan(uint64_t elem_size, int64_t cap) {
    return static_cast<Chan>(sys(GOOS_SYS_chan_make, elem_size, static_cast<uint64_t>(cap)));
}
// 0 on success, or a negative status (GOOS_CLOSED: send on a closed channel).
template <class T>
int64_t send(Chan c, const T& v, const goos_transfer* x = nullptr, bool nonblock = false) {
    return sys(GOOS_SYS_chan_send, c, u(&v), u(x), nonblock ? GOOS_NONBLOCK : 0);
}
// 1: a value; 0: closed and drained; negative: a status.
template <class T>
int64_t recv(Chan c, T* out, bool nonblock = false) {
    return sys(GOOS_SYS_chan_recv, c, u(out), nonblock ? GOOS_NONBLOCK : 0);
}
inline int64_t close(Chan c) { return sys(GOOS_SYS_chan_close, c); }
inline int64_t select(goos_select_case* cases, uint32_t n, bool block) {
    return sys(GOOS_SYS_select, u(cases), n, block ? GOOS_SELECT_BLOCK : 0);
}
inline int64_t publish(const char* name, Chan c) { return sys(GOOS_SYS_publish, u(name), strlen(name), c); }
// timeout_ns: 0 = don't wait, ~0 = wait for ever.
inline int64_t lookup(const char* name, uint64_t timeout_ns = ~0ULL) {
    return sys(GOOS_SYS_lookup, u(name), strlen(name), timeout_ns);
}
inline int64_t go(void (*fn)(uint64_t), uint64_t arg) { return sys(GOOS_SYS_thread_spawn, u(fn), arg); }
inline void yield() { sys(GOOS_SYS_yield); }
inline void sleep_ns(uint64_t ns) { sys(GOOS_SYS_sleep, ns); }
inline uint64_t now_ns() { return static_cast<uint64_t>(sys(GOOS_SYS_now)); }
inline int64_t pid() { return sys(GOOS_SYS_getpid); }
inline Chan watch(int64_t pid) { return static_cast<Chan>(sys(GOOS_SYS_watch, static_cast<uint64_t>(pid))); }
[[noreturn]] inline void exit(int code) {
    sys(GOOS_SYS_exit, static_cast<uint64_t>(code));
    __builtin_unreachable();
}
[[noreturn]] inline void panic(const char* msg) {
    sys(GOOS_SYS_panic, u(msg), strlen(msg));
    __builtin_unreachable();
}
inline int64_t write(const char* s, size_t n) { return sys(GOOS_SYS_console_write, u(s), n); }
__attribute__((format(printf, 1, 2))) inline void print(const char* fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    const int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    write(buf, n < 0 ? 0 : (static_cast<size_t>(n) < sizeof buf ? static_cast<size_t>(n) : sizeof buf - 1));
}

// Pages and objects, as the runtime's allocator will report them.
inline uint64_t page_alloc() { return static_cast<uint64_t>(sys(GOOS_SYS_page_alloc)); }
inline int64_t page_release(uint64_t page) { return sys(GOOS_SYS_page_release, page); }
inline int64_t obj_alloc(uint64_t page, uint32_t n) { return sys(GOOS_SYS_obj_alloc, page, n); }
inline int64_t obj_free(uint64_t page, uint32_t n) { return sys(GOOS_SYS_obj_free, page, n); }
inline int64_t mark_begin() { return sys(GOOS_SYS_mark_begin); }
inline int64_t mark_end(const uint64_t* pages, uint32_t n) { return sys(GOOS_SYS_mark_end, u(pages), n); }

}  // namespace user
