// The user side of the syscall ABI for built-in C++ programs: thin wrappers over
// goos_syscall, the same entry Go programs reach through runtime/. Freestanding (no libc),
// so the same programs build for the hosted and the bare-metal backend; programs must not
// call the host's libc either, since a tick may preempt them anywhere.
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <kernel/abi.h>

namespace user {

using Chan = uint64_t;

inline size_t length(const char* s) {
    size_t n = 0;
    while (s[n]) ++n;
    return n;
}

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
inline int64_t publish(const char* name, Chan c) { return sys(GOOS_SYS_publish, u(name), length(name), c); }
// timeout_ns: 0 = don't wait, ~0 = wait for ever.
inline int64_t lookup(const char* name, uint64_t timeout_ns = ~0ULL) {
    return sys(GOOS_SYS_lookup, u(name), length(name), timeout_ns);
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
    sys(GOOS_SYS_panic, u(msg), length(msg));
    __builtin_unreachable();
}
inline int64_t write(const char* s, size_t n) { return sys(GOOS_SYS_console_write, u(s), n); }
// printf for programs: %s %c %d %u %x with l, ll and z length modifiers.
__attribute__((format(printf, 1, 2))) inline void print(const char* fmt, ...) {
    char buf[256];
    size_t n = 0;
    auto put = [&](char c) {
        if (n < sizeof buf) buf[n++] = c;
    };
    auto put_unsigned = [&](uint64_t v, unsigned base) {
        char digits[24];
        int k = 0;
        do {
            digits[k++] = "0123456789abcdef"[v % base];
            v /= base;
        } while (v);
        while (k) put(digits[--k]);
    };
    va_list ap;
    va_start(ap, fmt);
    for (const char* p = fmt; *p; ++p) {
        if (*p != '%') {
            put(*p);
            continue;
        }
        int longs = 0;
        while (p[1] == 'l' || p[1] == 'z') {
            ++longs;
            ++p;
        }
        switch (*++p) {
            case 's':
                for (const char* q = va_arg(ap, const char*); *q; ++q) put(*q);
                break;
            case 'c': put(static_cast<char>(va_arg(ap, int))); break;
            case 'd': {
                const int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
                if (v < 0) put('-');
                put_unsigned(v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v), 10);
                break;
            }
            case 'u': put_unsigned(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10); break;
            case 'x': put_unsigned(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16); break;
            case '%': put('%'); break;
            default: put('?'); break;
        }
        if (!*p) break;
    }
    va_end(ap);
    write(buf, n);
}

// Pages, as the runtime's allocator asks for them.
inline uint64_t page_alloc() { return static_cast<uint64_t>(sys(GOOS_SYS_page_alloc)); }
inline int64_t page_release(uint64_t page) { return sys(GOOS_SYS_page_release, page); }
// A page's shared bit (abi.h). Built-in programs have no start info to find the bits
// through; they share the kernel's image, which reads them for them.
extern "C" bool goos_page_shared(uint64_t page);
inline bool page_shared(uint64_t page) { return goos_page_shared(page); }
inline int64_t mark_begin() { return sys(GOOS_SYS_mark_begin); }
inline int64_t mark_end(const uint64_t* pages, uint32_t n) { return sys(GOOS_SYS_mark_end, u(pages), n); }

}  // namespace user
