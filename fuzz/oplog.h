// The log of a harness's operations, printed when a check fails, and the failure path the
// harnesses share (fuzz/ownership.cpp, fuzz/graphs.cpp).
#pragma once

#include <stdarg.h>
#include <string.h>

#include <algorithm>

#include "harness.h"

namespace {
using namespace fuzz;

// Named in the first line of a finding.
const char* g_harness_name = "fuzzer";

// Prints what failed and the log, and aborts.
[[noreturn]] void fail(const char* what);

// The log of operations, printed when a check fails. Formatting every line as it happens
// cost more than the kernel calls it describes, so logf() keeps the format and its
// arguments (strings copied) and the text is made only by print_log().
struct LogEntry {
    const char* fmt;  // a literal
    uint64_t args[8];
};
struct Log {
    static constexpr size_t kEntries = 2048;
    static constexpr size_t kText = 16384;
    LogEntry entries[kEntries];
    size_t n = 0;
    char text[kText];  // %s arguments, copied
    size_t used = 0;
    bool overflow = false;
} g_log;

extern "C" char __executable_start;
extern "C" char __data_start;

// A literal (in the image's read-only part) is kept as it is; anything else is copied.
const char* log_copy(const char* str) {
    if (str >= &__executable_start && str < &__data_start) return str;
    const size_t len = strlen(str) + 1;
    if (g_log.used + len > Log::kText) {
        g_log.overflow = true;
        return "?";
    }
    char* dst = g_log.text + g_log.used;
    memcpy(dst, str, len);
    g_log.used += len;
    return dst;
}

// Walks one conversion of `fmt` (at a '%'): returns the end of the spec and whether it
// takes an argument; `wide` is set for ll, l and z, `str` for %s.
const char* conversion(const char* fmt, bool* takes, bool* wide, bool* str) {
    const char* f = fmt + 1;
    *takes = *wide = *str = false;
    if (*f == '%') return f + 1;
    while (*f == '-' || *f == '+' || *f == ' ' || *f == '#' || *f == '.' || (*f >= '0' && *f <= '9')) ++f;
    while (*f == 'l' || *f == 'z' || *f == 'h') {
        if (*f != 'h') *wide = true;
        ++f;
    }
    *str = *f == 's';
    *takes = true;
    return *f ? f + 1 : f;
}

// What logf() fetches for each of a format's arguments, parsed once per format (the
// formats are literals: a small table keyed by address).
enum ArgKind : uint8_t { kArgInt, kArgWide, kArgStr };
struct FormatKinds {
    const char* fmt = nullptr;
    uint8_t n = 0;
    ArgKind kinds[8] = {};
};
FormatKinds g_formats[64];

const FormatKinds& kinds_of(const char* fmt) {
    const size_t h = (reinterpret_cast<uintptr_t>(fmt) >> 3) % 64;
    for (size_t probe = 0; probe < 64; ++probe) {
        FormatKinds& k = g_formats[(h + probe) % 64];
        if (k.fmt == fmt) return k;
        if (k.fmt) continue;
        k.fmt = fmt;
        for (const char* f = fmt; *f;) {
            if (*f != '%') {
                ++f;
                continue;
            }
            bool takes, wide, str;
            f = conversion(f, &takes, &wide, &str);
            if (takes && k.n < 8) k.kinds[k.n++] = str ? kArgStr : wide ? kArgWide : kArgInt;
        }
        return k;
    }
    fail("harness: more than 64 log formats");
}

__attribute__((format(printf, 1, 2))) void logf(const char* fmt, ...) {
    if (g_log.n == Log::kEntries) {
        g_log.overflow = true;
        return;
    }
    LogEntry& e = g_log.entries[g_log.n++];
    e.fmt = fmt;
    const FormatKinds& k = kinds_of(fmt);
    va_list ap;
    va_start(ap, fmt);
    for (size_t i = 0; i < k.n; ++i) {
        switch (k.kinds[i]) {
            case kArgStr: e.args[i] = reinterpret_cast<uint64_t>(log_copy(va_arg(ap, const char*))); break;
            case kArgWide: e.args[i] = va_arg(ap, unsigned long long); break;
            case kArgInt: e.args[i] = va_arg(ap, unsigned); break;
        }
    }
    va_end(ap);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
void print_log(FILE* out) {
    for (size_t k = 0; k < g_log.n; ++k) {
        const LogEntry& e = g_log.entries[k];
        size_t i = 0;
        const char* f = e.fmt;
        while (*f) {
            const char* pct = strchr(f, '%');
            if (!pct) {
                fputs(f, out);
                break;
            }
            fwrite(f, 1, static_cast<size_t>(pct - f), out);
            bool takes, wide, str;
            const char* end = conversion(pct, &takes, &wide, &str);
            char spec[32];
            const size_t len = std::min(static_cast<size_t>(end - pct), sizeof spec - 1);
            memcpy(spec, pct, len);
            spec[len] = 0;
            const uint64_t v = takes && i < 8 ? e.args[i++] : 0;
            if (!takes) fputs("%", out);
            else if (str) fprintf(out, spec, reinterpret_cast<const char*>(v));
            else if (wide) fprintf(out, spec, static_cast<unsigned long long>(v));
            else fprintf(out, spec, static_cast<unsigned>(v));
            f = end;
        }
    }
    if (g_log.overflow) fputs("(the log overflowed: later lines are missing)\n", out);
}
#pragma GCC diagnostic pop

[[noreturn]] void fail(const char* what) {
    fprintf(stderr, "%s: %s\n--- operations so far ---\n", g_harness_name, what);
    print_log(stderr);
    fprintf(stderr, "--- end ---\n");
    fprintf(stderr, "live processes:");
    for (kernel::Process* p = kernel::k.processes.front(); p; p = kernel::k.processes.next(p))
        fprintf(stderr, " [slot %d, %zu threads, status %d]", p->slot, p->threads.size(), p->status);
    fprintf(stderr, "\n");
    die();
}

void expect_eq(const char* what, int64_t got, int64_t want) {
    if (got == want) return;
    logf("  MISMATCH %s: kernel %lld, model %lld\n", what, static_cast<long long>(got), static_cast<long long>(want));
    fail(what);
}

}  // namespace
