// Strings and runes (GCCGO.md, "strings"): UTF-8 decoding for `range` over a string
// (decoderune), and the conversions string(rune), string([]rune) and []rune(string),
// with Go's rules: invalid bytes and out-of-range or surrogate runes become U+FFFD.
#include "rt.h"

namespace goos_rt {
namespace {

constexpr int32_t kRuneError = 0xfffd;
constexpr int32_t kMaxRune = 0x10ffff;
constexpr intptr_t kTmpBuf = 32;  // the compiler's temporary buffer, for results that do not escape

// Go's utf8.DecodeRune on s[k:], k < len: the rune and its length (1 for an invalid byte).
int32_t decode(const uint8_t* s, intptr_t n, intptr_t* size) {
    const uint8_t c0 = s[0];
    *size = 1;
    if (c0 < 0x80) return c0;
    auto cont = [&](intptr_t i, uint8_t lo = 0x80, uint8_t hi = 0xbf) { return i < n && s[i] >= lo && s[i] <= hi; };
    if (c0 >= 0xc2 && c0 <= 0xdf) {
        if (!cont(1)) return kRuneError;
        *size = 2;
        return (c0 & 0x1f) << 6 | (s[1] & 0x3f);
    }
    if (c0 >= 0xe0 && c0 <= 0xef) {
        const uint8_t lo = c0 == 0xe0 ? 0xa0 : 0x80, hi = c0 == 0xed ? 0x9f : 0xbf;
        if (!cont(1, lo, hi) || !cont(2)) return kRuneError;
        *size = 3;
        return (c0 & 0x0f) << 12 | (s[1] & 0x3f) << 6 | (s[2] & 0x3f);
    }
    if (c0 >= 0xf0 && c0 <= 0xf4) {
        const uint8_t lo = c0 == 0xf0 ? 0x90 : 0x80, hi = c0 == 0xf4 ? 0x8f : 0xbf;
        if (!cont(1, lo, hi) || !cont(2) || !cont(3)) return kRuneError;
        *size = 4;
        return (c0 & 0x07) << 18 | (s[1] & 0x3f) << 12 | (s[2] & 0x3f) << 6 | (s[3] & 0x3f);
    }
    return kRuneError;
}

// Go's utf8.EncodeRune into p (room for 4): the length.
intptr_t encode(uint8_t* p, int32_t r) {
    if (r < 0 || r > kMaxRune || (r >= 0xd800 && r <= 0xdfff)) r = kRuneError;
    if (r < 0x80) {
        p[0] = static_cast<uint8_t>(r);
        return 1;
    }
    if (r < 0x800) {
        p[0] = static_cast<uint8_t>(0xc0 | r >> 6);
        p[1] = static_cast<uint8_t>(0x80 | (r & 0x3f));
        return 2;
    }
    if (r < 0x10000) {
        p[0] = static_cast<uint8_t>(0xe0 | r >> 12);
        p[1] = static_cast<uint8_t>(0x80 | (r >> 6 & 0x3f));
        p[2] = static_cast<uint8_t>(0x80 | (r & 0x3f));
        return 3;
    }
    p[0] = static_cast<uint8_t>(0xf0 | r >> 18);
    p[1] = static_cast<uint8_t>(0x80 | (r >> 12 & 0x3f));
    p[2] = static_cast<uint8_t>(0x80 | (r >> 6 & 0x3f));
    p[3] = static_cast<uint8_t>(0x80 | (r & 0x3f));
    return 4;
}

}  // namespace
}  // namespace goos_rt

using namespace goos_rt;

extern "C" {

struct RunePos {
    int32_t r;
    intptr_t pos;
};

RunePos rt_decoderune(String s, intptr_t k) GO_SYM("runtime.decoderune");
String rt_intstring(uint8_t* buf, int64_t v) GO_SYM("runtime.intstring");
// Here the slice argument arrives in memory as one aggregate (unlike concatstrings').
String rt_slicerunetostring(uint8_t* buf, Slice a) GO_SYM("runtime.slicerunetostring");
Slice rt_stringtoslicerune(int32_t* buf, String s) GO_SYM("runtime.stringtoslicerune");

// `for i, r := range s` past an ASCII byte: the rune at s[k] and the index after it.
RunePos rt_decoderune(String s, intptr_t k) {
    if (k >= s.len) return {kRuneError, k + 1};
    intptr_t size;
    const int32_t r = decode(s.ptr + k, s.len - k, &size);
    return {r, k + size};
}

// string(rune(v)); buf (4 bytes) is the compiler's when the result does not escape.
String rt_intstring(uint8_t* buf, int64_t v) {
    uint8_t* p = buf ? buf : static_cast<uint8_t*>(alloc_noscan(4));
    const int32_t r = (v < 0 || v > kMaxRune) ? kRuneError : static_cast<int32_t>(v);
    return String{p, encode(p, r)};
}

String rt_slicerunetostring(uint8_t* buf, Slice runes) {
    const auto* a = static_cast<const int32_t*>(runes.ptr);
    const intptr_t n = runes.len;
    uint8_t tmp[4];
    intptr_t total = 0;
    for (intptr_t i = 0; i < n; ++i) total += encode(tmp, a[i]);
    if (total == 0) return String{nullptr, 0};
    uint8_t* p = (buf && total <= kTmpBuf) ? buf : static_cast<uint8_t*>(alloc_noscan(static_cast<uintptr_t>(total)));
    intptr_t at = 0;
    for (intptr_t i = 0; i < n; ++i) at += encode(p + at, a[i]);
    return String{p, total};
}

Slice rt_stringtoslicerune(int32_t* buf, String s) {
    intptr_t n = 0, size;
    for (intptr_t k = 0; k < s.len; k += size, ++n) (void)decode(s.ptr + k, s.len - k, &size);
    int32_t* a =
        (buf && n <= kTmpBuf) ? buf : static_cast<int32_t*>(alloc_noscan(static_cast<uintptr_t>(n) * 4 + (n == 0)));
    if (buf && n <= kTmpBuf) __builtin_memset(buf, 0, kTmpBuf * 4);
    intptr_t i = 0;
    for (intptr_t k = 0; k < s.len; k += size) a[i++] = decode(s.ptr + k, s.len - k, &size);
    const intptr_t cap =
        (buf && n <= kTmpBuf) ? kTmpBuf : static_cast<intptr_t>(roundupsize(static_cast<uintptr_t>(n) * 4) / 4);
    return Slice{a, n, cap};
}

}  // extern "C"
