// Panic values and messages: runtime errors (bounds, divide, nil map, failed type
// assertions, ...) become Go panics with runtime.Error values made by package runtime
// (runtime.go), so that recover returns what Go's would; an unrecovered panic prints
// Go's "panic: <value>" lines and ends the program with status 2 through the kernel's
// panic syscall (which adds the goroutine line). fatal_panic is for the runtime's own
// failures, which nothing can recover. defer.cpp runs the panics.
#include "g.h"

extern "C" void go_panic_with(intptr_t kind, goos_rt::String msg) GO_SYM("runtime.panicWith");
extern "C" bool go_panic_value_text(goos_rt::Eface v, goos_rt::String* out) GO_SYM("runtime.panicValueText");

namespace goos_rt {

void fatal_panic(const char* msg, size_t len) {
    char frames[2048];
    const size_t n = traceback(frames, sizeof frames);
    sys(GOOS_SYS_panic, u(msg), len, u(frames), n);
    // The kernel ends the process and does not return; be sure anyway.
    sys(GOOS_SYS_exit, 2);
    __builtin_trap();
}

void fatal_panic(const char* msg) {
    fatal_panic(msg, cstrlen(msg));
}

void go_panic(PanicKind kind, const char* msg, size_t len) {
    auto* p = static_cast<uint8_t*>(alloc_noscan(len ? len : 1));
    __builtin_memcpy(p, msg, len);
    go_panic_with(kind, String{p, static_cast<intptr_t>(len)});
    __builtin_unreachable();
}

void go_panic(PanicKind kind, const char* msg) {
    go_panic(kind, msg, cstrlen(msg));
}

void runtime_error(const char* msg) {
    go_panic(kRuntimeError, msg);
}

// A descriptor's name as Go shows it: gccgo quotes the package path between tabs
// ("\tmain\tmain.code"), which libgo's _type.string() leaves out.
void type_name(Fmt& f, const Type* t) {
    if (!t->string) return;
    bool quoted = false;
    for (intptr_t i = 0; i < t->string->len; ++i) {
        const uint8_t c = t->string->ptr[i];
        if (c == '\t')
            quoted = !quoted;
        else if (!quoted)
            f.ch(static_cast<char>(c));
    }
}

namespace {

// Go 1.18's boundsError: the message for each failed check, and its form when a signed
// index is negative.
enum Bounds { kIndex, kSliceAlen, kSliceAcap, kSliceB, kSlice3Alen, kSlice3Acap, kSlice3B, kSlice3C, kConvert };
const char* const kBoundsFmt[] = {
    "index out of range [%x] with length %y",
    "slice bounds out of range [:%x] with length %y",
    "slice bounds out of range [:%x] with capacity %y",
    "slice bounds out of range [%x:%y]",
    "slice bounds out of range [::%x] with length %y",
    "slice bounds out of range [::%x] with capacity %y",
    "slice bounds out of range [:%x:%y]",
    "slice bounds out of range [%x:%y:]",
    "cannot convert slice with length %y to pointer to array with length %x",
};
const char* const kBoundsNegFmt[] = {
    "index out of range [%x]",          "slice bounds out of range [:%x]",  "slice bounds out of range [:%x]",
    "slice bounds out of range [%x:]",  "slice bounds out of range [::%x]", "slice bounds out of range [::%x]",
    "slice bounds out of range [:%x:]", "slice bounds out of range [%x::]", "",
};

[[noreturn]] void bounds(Bounds code, int64_t x, bool is_signed, int64_t y) {
    const bool neg = is_signed && x < 0;
    const char* fmt = neg ? kBoundsNegFmt[code] : kBoundsFmt[code];
    char buf[192];
    Fmt f{buf, sizeof buf};
    for (const char* p = fmt; *p; ++p) {
        if (p[0] == '%' && p[1] == 'x') {
            if (is_signed)
                f.num(x);
            else
                f.unum(static_cast<uint64_t>(x));
            ++p;
        } else if (p[0] == '%' && p[1] == 'y') {
            f.num(y);
            ++p;
        } else {
            f.ch(*p);
        }
    }
    go_panic(kRuntimeError, buf, f.n);
}

bool str_is(const String* s, const char* c) {
    if (!s) return false;
    size_t n = cstrlen(c);
    if (static_cast<size_t>(s->len) != n) return false;
    for (size_t i = 0; i < n; ++i)
        if (s->ptr[i] != static_cast<uint8_t>(c[i])) return false;
    return true;
}

const char* const kBasicName[] = {"",        "bool",      "int",        "int8",   "int16",  "int32",   "int64",
                                  "uint",    "uint8",     "uint16",     "uint32", "uint64", "uintptr", "float32",
                                  "float64", "complex64", "complex128", "",       "",       "",        "",
                                  "",        "",          "",           "string"};

}  // namespace
}  // namespace goos_rt

using namespace goos_rt;

extern "C" {

#define BOUNDS_PAIR(name, code)                                              \
    void rt_##name(intptr_t x, intptr_t y) GO_SYM("runtime." #name);         \
    void rt_##name(intptr_t x, intptr_t y) {                                 \
        bounds(code, x, true, y);                                            \
    }                                                                        \
    void rt_##name##U(uintptr_t x, intptr_t y) GO_SYM("runtime." #name "U"); \
    void rt_##name##U(uintptr_t x, intptr_t y) {                             \
        bounds(code, static_cast<int64_t>(x), false, y);                     \
    }
BOUNDS_PAIR(goPanicIndex, kIndex)
BOUNDS_PAIR(goPanicSliceAlen, kSliceAlen)
BOUNDS_PAIR(goPanicSliceAcap, kSliceAcap)
BOUNDS_PAIR(goPanicSliceB, kSliceB)
BOUNDS_PAIR(goPanicSlice3Alen, kSlice3Alen)
BOUNDS_PAIR(goPanicSlice3Acap, kSlice3Acap)
BOUNDS_PAIR(goPanicSlice3B, kSlice3B)
BOUNDS_PAIR(goPanicSlice3C, kSlice3C)
#undef BOUNDS_PAIR
void rt_goPanicSliceConvert(intptr_t x, intptr_t y) GO_SYM("runtime.goPanicSliceConvert");
void rt_goPanicSliceConvert(intptr_t x, intptr_t y) {
    bounds(kConvert, x, false, y);
}

void rt_panicdivide() GO_SYM("runtime.panicdivide");
void rt_panicdivide() {
    runtime_error("integer divide by zero");
}
void rt_panicmem() GO_SYM("runtime.panicmem");
void rt_panicmem() {
    runtime_error("invalid memory address or nil pointer dereference");
}
void rt_panicshift() GO_SYM("runtime.panicshift");
void rt_panicshift() {
    runtime_error("negative shift amount");
}

}  // extern "C"

namespace goos_rt {
namespace {

// A float as print shows it.
void float_value(Fmt& f, double v) {
    char buf[kFloatText];
    f.str(reinterpret_cast<const uint8_t*>(buf), static_cast<intptr_t>(float_text(buf, v)));
}

// An unrecovered panic's value as Go's printpanicval shows it, after preprintpanics has
// replaced an error or Stringer by its text: values of basic types print as print does;
// named types of basic kinds as T(v); anything else as (T) address.
void format_panic_value(Fmt& f, Eface e) {
    const Type* t = e.type;
    if (!t) {
        f.str("nil");
        return;
    }
    String text;
    if (go_panic_value_text(e, &text)) {
        f.str(text.ptr, text.len);
        return;
    }
    const uint8_t kind = t->kind & kKindMask;
    const bool basic = kind <= kString && kBasicName[kind][0];
    const bool named = !basic || !str_is(t->string, kBasicName[kind]);
    const void* p = (t->kind & kKindDirectIface) ? &e.data : e.data;
    if (basic && named) {
        type_name(f, t);
        f.ch('(');
    }
    if (basic && named && kind == kString) f.ch('"');
    switch (basic ? kind : 0) {
        case kBool:
            f.str(*static_cast<const bool*>(p) ? "true" : "false");
            break;
        case kInt:
        case kInt64:
            f.num(*static_cast<const int64_t*>(p));
            break;
        case kInt8:
            f.num(*static_cast<const int8_t*>(p));
            break;
        case kInt16:
            f.num(*static_cast<const int16_t*>(p));
            break;
        case kInt32:
            f.num(*static_cast<const int32_t*>(p));
            break;
        case kUint:
        case kUint64:
        case kUintptr:
            f.unum(*static_cast<const uint64_t*>(p));
            break;
        case kUint8:
            f.unum(*static_cast<const uint8_t*>(p));
            break;
        case kUint16:
            f.unum(*static_cast<const uint16_t*>(p));
            break;
        case kUint32:
            f.unum(*static_cast<const uint32_t*>(p));
            break;
        case kString: {
            const String* s = static_cast<const String*>(p);
            f.str(s->ptr, s->len);
            break;
        }
        case 0: {
            f.ch('(');
            type_name(f, t);
            f.str(") 0x");
            char hex[17];
            uint64_t v = reinterpret_cast<uint64_t>(e.data);
            int k = 0;
            do {
                hex[k++] = "0123456789abcdef"[v % 16];
                v /= 16;
            } while (v);
            while (k) f.ch(hex[--k]);
            break;
        }
        case kFloat32:
            float_value(f, *static_cast<const float*>(p));
            break;
        case kFloat64:
            float_value(f, *static_cast<const double*>(p));
            break;
        case kComplex64: {
            const auto* c = static_cast<const float*>(p);
            f.ch('(');
            float_value(f, c[0]);
            float_value(f, c[1]);
            f.str("i)");
            break;
        }
        case kComplex128: {
            const auto* c = static_cast<const double*>(p);
            f.ch('(');
            float_value(f, c[0]);
            float_value(f, c[1]);
            f.str("i)");
            break;
        }
    }
    if (basic && named && kind == kString) f.ch('"');
    if (basic && named) f.ch(')');
}

void format_panics(Fmt& f, const Panic* p) {
    if (p->link) {
        format_panics(f, p->link);
        f.str("\n\tpanic: ");
    }
    format_panic_value(f, p->arg);
    if (p->recovered) f.str(" [recovered]");
}

}  // namespace

// Go's printpanics: the oldest panic first, each newer one on its own line after a tab.
// The kernel prints the first "panic: " and the final newline.
void fatal_panics(const Panic* p) {
    char buf[1024];
    Fmt f{buf, sizeof buf};
    if (!p) fatal_panic("runtime: panic without a value");
    // Printing calls the values' Error and String methods; one that panics ends here, as
    // in Go, rather than printing (and panicking) again.
    G* g = current_g();
    if (g->printing_panic) {
        f.str("fatal error: panic while printing panic value\n");
        sys(GOOS_SYS_console_write, u(buf), f.n);
        sys(GOOS_SYS_exit, 2);
        __builtin_trap();
    }
    g->printing_panic = true;
    format_panics(f, p);
    // Go's line for a panic that a fault made (the newest such).
    for (const Panic* q = p; q; q = q->link) {
        if (!q->fault) continue;
        if (q->fault == 1) {
            f.str("\n[signal SIGSEGV: segmentation violation addr=0x").hex(q->fault_addr).ch(']');
        }
        if (q->fault == 2) f.str("\n[signal SIGFPE: integer divide by zero]");
        break;
    }
    fatal_panic(buf, f.n);
}

}  // namespace goos_rt
