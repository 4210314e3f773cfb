// The write barrier (barrier.cpp; DESIGN.md, "Stores into shared objects expose"). The
// runtime's own stores of pointers into heap objects (map entries and headers) go through
// it as the compiler's do.
#pragma once

#include "rt.h"

namespace goos_rt {

// From the start info (start.cpp).
void barrier_init(const goos_start_info* info);
// *dst = value, exposed to whoever else may read *dst.
void barrier_store_word(uintptr_t* dst, uintptr_t value);
// n values of type t from src to dst, as memmove, exposed likewise.
void barrier_copy(const Type* t, void* dst, const void* src, uintptr_t n);

}  // namespace goos_rt
