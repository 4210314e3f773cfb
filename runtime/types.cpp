// What every gccgo program needs from the runtime besides calls: the equality functions
// that type descriptors point to (as func values, "name..f"), the descriptor of
// unsafe.Pointer, registerTypeDescriptors, and the string operations.
#include "rt.h"

using namespace goos_rt;

// A func value is a cell whose first word is the code address.
#define GO_FUNC_VALUE(fn, sym) extern "C" const void* const fn##_f[1] GO_SYM(sym) = {reinterpret_cast<const void*>(&fn)}

namespace {

bool bytes_equal(const void* p, const void* q, uintptr_t n) {
    return p == q || __builtin_memcmp(p, q, n) == 0;
}

}  // namespace

extern "C" {

bool rt_memequal(const void* p, const void* q, uintptr_t n) GO_SYM("runtime.memequal");
bool rt_memequal(const void* p, const void* q, uintptr_t n) {
    return bytes_equal(p, q, n);
}

#define MEMEQUAL(bits)                                                                     \
    bool rt_memequal##bits(const void* p, const void* q) GO_SYM("runtime.memequal" #bits); \
    bool rt_memequal##bits(const void* p, const void* q) {                                 \
        return bytes_equal(p, q, (bits) / 8);                                              \
    }                                                                                      \
    GO_FUNC_VALUE(rt_memequal##bits, "runtime.memequal" #bits "..f");
MEMEQUAL(0)
MEMEQUAL(8)
MEMEQUAL(16)
MEMEQUAL(32)
MEMEQUAL(64)
MEMEQUAL(128)
#undef MEMEQUAL

bool rt_strequal(const String* p, const String* q) GO_SYM("runtime.strequal");
bool rt_strequal(const String* p, const String* q) {
    return p->len == q->len && bytes_equal(p->ptr, q->ptr, static_cast<uintptr_t>(p->len));
}
GO_FUNC_VALUE(rt_strequal, "runtime.strequal..f");

bool rt_f32equal(const float* p, const float* q) GO_SYM("runtime.f32equal");
bool rt_f32equal(const float* p, const float* q) {
    return *p == *q;
}
GO_FUNC_VALUE(rt_f32equal, "runtime.f32equal..f");
bool rt_f64equal(const double* p, const double* q) GO_SYM("runtime.f64equal");
bool rt_f64equal(const double* p, const double* q) {
    return *p == *q;
}
GO_FUNC_VALUE(rt_f64equal, "runtime.f64equal..f");
bool rt_c64equal(const float* p, const float* q) GO_SYM("runtime.c64equal");
bool rt_c64equal(const float* p, const float* q) {
    return p[0] == q[0] && p[1] == q[1];
}
GO_FUNC_VALUE(rt_c64equal, "runtime.c64equal..f");
bool rt_c128equal(const double* p, const double* q) GO_SYM("runtime.c128equal");
bool rt_c128equal(const double* p, const double* q) {
    return p[0] == q[0] && p[1] == q[1];
}
GO_FUNC_VALUE(rt_c128equal, "runtime.c128equal..f");
bool rt_pointerequal(void* const* p, void* const* q) GO_SYM("runtime.pointerequal");
bool rt_pointerequal(void* const* p, void* const* q) {
    return *p == *q;
}
GO_FUNC_VALUE(rt_pointerequal, "runtime.pointerequal..f");

// Interface equality: same dynamic type (one descriptor per type, typeid.h), then that
// type's equality on the values, by the kernel's layout-driven code.
}  // extern "C"

namespace goos_rt {
bool eface_equal(const Type* t, void* x, void* y) {
    if (!t) return true;
    if (t->kind & kKindDirectIface) return x == y;
    return values_equal(t, x, y);
}
}  // namespace goos_rt

extern "C" {

// Two empty interfaces, as (type, data) pairs.
bool rt_efaceeq(const Type* t1, void* x, const Type* t2, void* y) GO_SYM("runtime.efaceeq");
bool rt_efaceeq(const Type* t1, void* x, const Type* t2, void* y) {
    if (!t1 || !t2) return t1 == t2;
    return t1 == t2 && eface_equal(t1, x, y);
}

bool rt_nilinterequal(const Eface* p, const Eface* q) GO_SYM("runtime.nilinterequal");
bool rt_nilinterequal(const Eface* p, const Eface* q) {
    return p->type == q->type && eface_equal(p->type, p->data, q->data);
}
GO_FUNC_VALUE(rt_nilinterequal, "runtime.nilinterequal..f");

// A non-empty interface's first word is its method table, whose first word is the type.
bool rt_interequal(const Eface* p, const Eface* q) GO_SYM("runtime.interequal");
bool rt_interequal(const Eface* p, const Eface* q) {
    if (p->type == q->type) {
        if (!p->type) return true;
        const Type* t = *reinterpret_cast<const Type* const*>(p->type);
        return eface_equal(t, p->data, q->data);
    }
    if (!p->type || !q->type) return false;
    const Type* a = *reinterpret_cast<const Type* const*>(p->type);
    const Type* b = *reinterpret_cast<const Type* const*>(q->type);
    return a == b && eface_equal(a, p->data, q->data);
}
GO_FUNC_VALUE(rt_interequal, "runtime.interequal..f");

// unsafe.Pointer's descriptor is the runtime's to provide.
static const String unsafe_pointer_name = {reinterpret_cast<const uint8_t*>("unsafe.Pointer"), 14};
static const uint8_t one_pointer_mask = 1;
// clang-format off
extern const Type rt_unsafe_pointer_d GO_SYM("unsafe.Pointer..d") = {
    8, 8, 0x4a8f6c1du, 0, 8, 8, kUnsafePointer | kKindDirectIface,
    reinterpret_cast<const void*>(&rt_pointerequal_f), &one_pointer_mask, &unsafe_pointer_name, nullptr, nullptr};
// clang-format on

// Called first by __go_init_main with every package's descriptor list. Kept for the
// collector and for matching types across programs (DESIGN.md, "Interface values").
intptr_t goos_rt_ntype_lists = 0;
void* goos_rt_type_lists = nullptr;
void rt_registerTypeDescriptors(intptr_t n, void* lists) GO_SYM("runtime.registerTypeDescriptors");
void rt_registerTypeDescriptors(intptr_t n, void* lists) {
    goos_rt_ntype_lists = n;
    goos_rt_type_lists = lists;
}

// ---- strings ----

intptr_t rt_cmpstring(String a, String b) GO_SYM("runtime.cmpstring");
intptr_t rt_cmpstring(String a, String b) {
    const intptr_t n = a.len < b.len ? a.len : b.len;
    for (intptr_t i = 0; i < n; ++i)
        if (a.ptr[i] != b.ptr[i]) return a.ptr[i] < b.ptr[i] ? -1 : 1;
    return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

// A temporary buffer the compiler passes when the result does not escape.
constexpr intptr_t kTmpBuf = 32;

static uint8_t* rawstring(uint8_t* buf, intptr_t n) {
    if (buf && n <= kTmpBuf) return buf;
    return static_cast<uint8_t*>(alloc_noscan(static_cast<uintptr_t>(n)));
}

// gccgo passes a slice argument as three words in registers, not as an aggregate.
String rt_concatstrings(uint8_t* buf, const String* s, intptr_t len, intptr_t cap) GO_SYM("runtime.concatstrings");
String rt_concatstrings(uint8_t* buf, const String* s, intptr_t n, intptr_t) {
    intptr_t total = 0, count = 0, idx = 0;
    for (intptr_t i = 0; i < n; ++i) {
        if (s[i].len == 0) continue;
        if (total + s[i].len < total) fatal_panic("string concatenation too long");
        total += s[i].len;
        ++count;
        idx = i;
    }
    if (count == 0) return String{nullptr, 0};
    if (count == 1 && buf) return s[idx];  // cannot point into a dead frame: it does not escape
    uint8_t* p = rawstring(buf, total);
    intptr_t at = 0;
    for (intptr_t i = 0; i < n; ++i) {
        __builtin_memcpy(p + at, s[i].ptr, static_cast<size_t>(s[i].len));
        at += s[i].len;
    }
    return String{p, total};
}

String rt_slicebytetostring(uint8_t* buf, const uint8_t* ptr, intptr_t n) GO_SYM("runtime.slicebytetostring");
String rt_slicebytetostring(uint8_t* buf, const uint8_t* ptr, intptr_t n) {
    if (n == 0) return String{nullptr, 0};
    uint8_t* p = rawstring(buf, n);
    __builtin_memcpy(p, ptr, static_cast<size_t>(n));
    return String{p, n};
}

Slice rt_stringtoslicebyte(uint8_t* buf, String s) GO_SYM("runtime.stringtoslicebyte");
Slice rt_stringtoslicebyte(uint8_t* buf, String s) {
    uint8_t* p;
    intptr_t cap = s.len;
    if (buf && s.len <= kTmpBuf) {
        p = buf;
        cap = kTmpBuf;
        __builtin_memset(buf, 0, kTmpBuf);
    } else {
        cap = static_cast<intptr_t>(goos_rt::roundupsize(static_cast<uintptr_t>(s.len)));
        p = static_cast<uint8_t*>(alloc_noscan(static_cast<uintptr_t>(cap)));
    }
    if (s.len) __builtin_memcpy(p, s.ptr, static_cast<size_t>(s.len));
    return Slice{p, s.len, cap};
}

}  // extern "C"
