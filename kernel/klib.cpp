#include "klib.h"

#include <hal/hal.h>

namespace kernel {

Buf& Buf::ch(char c) {
    if (len_ + 1 < cap_) {
        data_[len_++] = c;
        data_[len_] = 0;
    }
    return *this;
}

Buf& Buf::str(const char* s, size_t n) {
    for (size_t i = 0; i < n; ++i) ch(s[i]);
    return *this;
}

Buf& Buf::str(const char* s) {
    return str(s ? s : "(null)", s ? kstrlen(s) : 6);
}

Buf& Buf::unum(uint64_t v) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) ch(tmp[--n]);
    return *this;
}

Buf& Buf::num(int64_t v) {
    if (v < 0) {
        ch('-');
        return unum(0 - static_cast<uint64_t>(v));
    }
    return unum(static_cast<uint64_t>(v));
}

Buf& Buf::hex(uint64_t v) {
    char tmp[16];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    str("0x");
    while (n) ch(tmp[--n]);
    return *this;
}

void kvformat(Buf& out, const char* fmt, va_list ap) {
    for (const char* p = fmt; *p; ++p) {
        if (*p != '%') {
            out.ch(*p);
            continue;
        }
        ++p;
        bool is_long = false;
        while (*p == 'l' || *p == 'z') {
            is_long = true;
            ++p;
        }
        switch (*p) {
            case 's':
                out.str(va_arg(ap, const char*));
                break;
            case 'd':
                out.num(is_long ? va_arg(ap, int64_t) : va_arg(ap, int));
                break;
            case 'u':
                out.unum(is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned));
                break;
            case 'x':
                out.hex(is_long ? va_arg(ap, uint64_t) : va_arg(ap, unsigned));
                break;
            case 'c':
                out.ch(static_cast<char>(va_arg(ap, int)));
                break;
            case '%':
                out.ch('%');
                break;
            default:
                out.ch('?');
                break;
        }
        if (!*p) break;
    }
}

void kprintf(const char* fmt, ...) {
    char data[512];
    Buf out(data, sizeof data);
    va_list ap;
    va_start(ap, fmt);
    kvformat(out, fmt, ap);
    va_end(ap);
    hal::Arch::console_write(out.c_str(), out.size());
}

size_t kstrlen(const char* s) {
    size_t n = 0;
    while (s[n]) ++n;
    return n;
}

bool kstreq(const char* a, size_t alen, const char* b, size_t blen) {
    return alen == blen && memcmp(a, b, alen) == 0;
}

void Rng::seed(uint64_t s) {
    for (auto& w : s_) {
        w = mix64(s);
        s += 0x9e3779b97f4a7c15ULL;
    }
}

static uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

uint64_t Rng::next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

uint64_t Rng::below(uint64_t n) {
    if (n <= 1) return 0;
    const uint64_t limit = ~0ULL - (~0ULL % n);
    uint64_t v;
    do v = next();
    while (v >= limit);
    return v % n;
}

}  // namespace kernel
