// make([]T, len, cap): makeslice and makeslice64 (growslice and the copies are in
// alloc.cpp). Out-of-range sizes panic with Go's runtime errors.
#include "rt.h"

using namespace goos_rt;

namespace {

// The largest allocation a program may ask for; beyond it Go reports the size as out of
// range rather than running out of memory.
constexpr uintptr_t kMaxAlloc = uintptr_t{1} << 40;

void* make_slice(const Type* et, int64_t len, int64_t cap) {
    const uintptr_t size = et->size;
    const bool len_ok = len >= 0 && (size == 0 || static_cast<uint64_t>(len) <= kMaxAlloc / size);
    const bool cap_ok = cap >= len && (size == 0 || static_cast<uint64_t>(cap) <= kMaxAlloc / size);
    if (!len_ok) go_panic(kRuntimeError, "makeslice: len out of range");
    if (!cap_ok) go_panic(kRuntimeError, "makeslice: cap out of range");
    return alloc(size * static_cast<uintptr_t>(cap));
}

}  // namespace

extern "C" {

void* rt_makeslice(const Type* et, intptr_t len, intptr_t cap) GO_SYM("runtime.makeslice");
void* rt_makeslice(const Type* et, intptr_t len, intptr_t cap) {
    return make_slice(et, len, cap);
}

void* rt_makeslice64(const Type* et, int64_t len, int64_t cap) GO_SYM("runtime.makeslice64");
void* rt_makeslice64(const Type* et, int64_t len, int64_t cap) {
    return make_slice(et, len, cap);
}
}
