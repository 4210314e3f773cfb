// The goroutine's stack as an unrecovered panic prints it (DESIGN.md: "panics with a stack
// of function names"): libgcc_eh's unwinder walks the frames, the function table the
// kernel's loader handed over (goos_start_info::symbols) names them. Go code only, as Go's
// traceback shows: the runtime's own frames are left out. gccgo leaves no line tables in
// memory, so a frame is its function and the offset into it.
#include <unwind.h>

#include "rt.h"

namespace goos_rt {

namespace {

struct Walk {
    Fmt* out;
    int frames;
};

const char* function_at(uintptr_t pc, uintptr_t* start) {
    const goos_start_info* info = program_info;
    if (!info || !info->symbols || pc < info->image_base) return nullptr;
    const uint64_t off = pc - info->image_base;
    uint64_t lo = 0, hi = info->nsymbols;  // the last symbol starting at or before off
    while (lo < hi) {
        const uint64_t mid = (lo + hi) / 2;
        if (info->symbols[mid].offset <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) return nullptr;
    const goos_symbol& s = info->symbols[lo - 1];
    if (off >= uint64_t{s.offset} + s.size) return nullptr;
    *start = info->image_base + s.offset;
    return info->symbol_names + s.name;
}

bool starts_with(const char* s, const char* prefix) {
    while (*prefix)
        if (*s++ != *prefix++) return false;
    return true;
}

bool contains(const char* s, const char* part) {
    for (; *s; ++s)
        if (starts_with(s, part)) return true;
    return false;
}

// Go's own frames: package-qualified names, not the runtime's (C++ or its Go half).
bool shown(const char* name) {
    if (starts_with(name, "runtime.") || starts_with(name, "_") || starts_with(name, "goos_rt")) return false;
    for (const char* p = name; *p; ++p)
        if (*p == '.') return true;
    return false;
}

_Unwind_Reason_Code frame(_Unwind_Context* ctx, void* arg) {
    auto* walk = static_cast<Walk*>(arg);
    int before = 0;
    const uintptr_t pc = _Unwind_GetIPInfo(ctx, &before);
    uintptr_t start = 0;
    // A return address points after the call; the call itself is what ran.
    const char* name = function_at(before ? pc : pc - 1, &start);
    if (name && shown(name) && !contains(name, "..thunk")) {
        // gccgo's "main.main..func1" is Go's "main.main.func1".
        // gcc's ".cold" part of a function is the function.
        for (const char* p = name; *p && !(starts_with(p, ".cold") && !p[5]); ++p)
            if (!(p[0] == '.' && p[1] == '.' && starts_with(p + 2, "func"))) walk->out->ch(*p);
        walk->out->str("(...)\n\t+0x").hex(pc - start).ch('\n');
        if (++walk->frames == 32) return _URC_END_OF_STACK;
    }
    return _URC_NO_REASON;
}

}  // namespace

size_t traceback(char* buf, size_t cap) {
    Fmt out{buf, cap};
    Walk walk{&out, 0};
    _Unwind_Backtrace(frame, &walk);
    return out.n;
}

}  // namespace goos_rt
