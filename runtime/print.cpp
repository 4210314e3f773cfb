// The print and println builtins, with Go's exact formatting (libgo's print.go is the
// reference for every format here). Go writes them to standard error; GoOS has one
// console. A statement's pieces are gathered between printlock and printunlock and
// written with one console_write, so goroutines' lines do not interleave.
#include "rt.h"

namespace goos_rt {

Fmt& Fmt::unum(uint64_t v) {
    char d[24];
    int k = 0;
    do {
        d[k++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    while (k) ch(d[--k]);
    return *this;
}

Fmt& Fmt::hex(uint64_t v) {
    char d[16];
    int k = 0;
    do {
        d[k++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    while (k) ch(d[--k]);
    return *this;
}

Fmt& Fmt::num(int64_t v) {
    if (v < 0) {
        ch('-');
        return unum(0 - static_cast<uint64_t>(v));
    }
    return unum(static_cast<uint64_t>(v));
}

namespace {

SpinLock print_lock;
// On the heap: the kernel reads only what the program holds (its pages, its stack and its
// image's text and constants), not .bss.
constexpr size_t kPrintBuf = 1024;
char* print_buf = nullptr;
size_t print_len = 0;
bool print_held = false;

void flush() {
    if (print_len) sys(GOOS_SYS_console_write, u(print_buf), print_len);
    print_len = 0;
}

void gwrite(const char* p, size_t n) {
    if (!print_held) {  // outside a print statement: straight to the console
        if (n) sys(GOOS_SYS_console_write, u(p), n);
        return;
    }
    while (n) {
        if (print_len == kPrintBuf) flush();
        size_t room = kPrintBuf - print_len;
        size_t k = n < room ? n : room;
        for (size_t i = 0; i < k; ++i) print_buf[print_len + i] = p[i];
        print_len += k;
        p += k;
        n -= k;
    }
}

void write_cstr(const char* s) {
    gwrite(s, cstrlen(s));
}

}  // namespace
}  // namespace goos_rt

using namespace goos_rt;

namespace goos_rt {

// Go's print format for a float64: seven significant digits, "+d.dddddde+dd" (and NaN,
// +Inf, -Inf); at most kFloatText bytes into out.
size_t float_text(char* out, double v) {
    auto word = [&](const char* w) {
        const size_t n = cstrlen(w);
        __builtin_memcpy(out, w, n);
        return n;
    };
    if (v != v) return word("NaN");
    if (v + v == v && v > 0) return word("+Inf");
    if (v + v == v && v < 0) return word("-Inf");
    constexpr int n = 7;
    char buf[n + 7];
    buf[0] = '+';
    int e = 0;
    if (v == 0) {
        if (1 / v < 0) buf[0] = '-';
    } else {
        if (v < 0) {
            v = -v;
            buf[0] = '-';
        }
        while (v >= 10) {
            e++;
            v /= 10;
        }
        while (v < 1) {
            e--;
            v *= 10;
        }
        double h = 5.0;
        for (int i = 0; i < n; i++) h /= 10;
        v += h;
        if (v >= 10) {
            e++;
            v /= 10;
        }
    }
    for (int i = 0; i < n; i++) {
        int s = static_cast<int>(v);
        buf[i + 2] = static_cast<char>(s + '0');
        v -= s;
        v *= 10;
    }
    buf[1] = buf[2];
    buf[2] = '.';
    buf[n + 2] = 'e';
    buf[n + 3] = '+';
    if (e < 0) {
        e = -e;
        buf[n + 3] = '-';
    }
    buf[n + 4] = static_cast<char>(e / 100 + '0');
    buf[n + 5] = static_cast<char>(e / 10 % 10 + '0');
    buf[n + 6] = static_cast<char>(e % 10 + '0');
    __builtin_memcpy(out, buf, sizeof buf);
    return sizeof buf;
}

}  // namespace goos_rt

extern "C" {

void rt_printlock() GO_SYM("runtime.printlock");
void rt_printunlock() GO_SYM("runtime.printunlock");
void rt_printstring(String s) GO_SYM("runtime.printstring");
void rt_printint(int64_t v) GO_SYM("runtime.printint");
void rt_printuint(uint64_t v) GO_SYM("runtime.printuint");
void rt_printbool(bool v) GO_SYM("runtime.printbool");
void rt_printsp() GO_SYM("runtime.printsp");
void rt_printnl() GO_SYM("runtime.printnl");
void rt_printhex(uint64_t v) GO_SYM("runtime.printhex");
void rt_printpointer(const void* p) GO_SYM("runtime.printpointer");
void rt_printfloat(double v) GO_SYM("runtime.printfloat");
void rt_printcomplex(double re, double im) GO_SYM("runtime.printcomplex");
void rt_printeface(Eface e) GO_SYM("runtime.printeface");
void rt_printiface(Eface e) GO_SYM("runtime.printiface");
void rt_printslice(Slice s) GO_SYM("runtime.printslice");

// Statements nest only when a print's argument itself prints; the lock is not recursive,
// so that case is not supported (libgo counts per M).
void rt_printlock() {
    print_lock.lock();
    if (!print_buf) print_buf = static_cast<char*>(alloc_noscan(kPrintBuf));
    print_held = true;
}

void rt_printunlock() {
    flush();
    print_held = false;
    print_lock.unlock();
}

void rt_printstring(String s) {
    gwrite(reinterpret_cast<const char*>(s.ptr), static_cast<size_t>(s.len));
}

void rt_printuint(uint64_t v) {
    char buf[24];
    Fmt f{buf, sizeof buf};
    f.unum(v);
    gwrite(buf, f.n);
}

void rt_printint(int64_t v) {
    char buf[24];
    Fmt f{buf, sizeof buf};
    f.num(v);
    gwrite(buf, f.n);
}

void rt_printbool(bool v) {
    write_cstr(v ? "true" : "false");
}
void rt_printsp() {
    gwrite(" ", 1);
}
void rt_printnl() {
    gwrite("\n", 1);
}

void rt_printhex(uint64_t v) {
    static const char dig[] = "0123456789abcdef";
    char buf[100];
    int i = sizeof buf;
    for (i--; i > 0; i--) {
        buf[i] = dig[v % 16];
        if (v < 16) break;
        v /= 16;
    }
    buf[--i] = 'x';
    buf[--i] = '0';
    gwrite(buf + i, sizeof buf - static_cast<size_t>(i));
}

void rt_printpointer(const void* p) {
    rt_printhex(reinterpret_cast<uintptr_t>(p));
}

// Go's own algorithm (float_text).
void rt_printfloat(double v) {
    char buf[kFloatText];
    gwrite(buf, float_text(buf, v));
}

void rt_printcomplex(double re, double im) {
    gwrite("(", 1);
    rt_printfloat(re);
    rt_printfloat(im);
    gwrite("i)", 2);
}

void rt_printeface(Eface e) {
    gwrite("(", 1);
    rt_printpointer(e.type);
    gwrite(",", 1);
    rt_printpointer(e.data);
    gwrite(")", 1);
}

void rt_printiface(Eface e) {
    rt_printeface(e);
}

// A slice argument is three words passed in memory, as any struct of more than two words
// (SysV), not in registers.
void rt_printslice(Slice s) {
    gwrite("[", 1);
    rt_printint(s.len);
    gwrite("/", 1);
    rt_printint(s.cap);
    gwrite("]", 1);
    rt_printpointer(s.ptr);
}

}  // extern "C"
