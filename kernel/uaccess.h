// Checks on memory a program names in a syscall. Programs share one address space with
// the kernel, so every pointer is checked against what the caller may touch: pages it
// holds, its own thread's stack, and (read-only) its program image.
#pragma once

#include <stdint.h>

#include "thread.h"

namespace kernel {

bool user_readable(Thread* t, const void* ptr, uint64_t len);
// Arrays and structs from programs must be naturally aligned: the kernel reads them as such.
template <class T>
bool aligned(const T* p) {
    return reinterpret_cast<uintptr_t>(p) % alignof(T) == 0;
}
bool user_writable(Thread* t, const void* ptr, uint64_t len);

}  // namespace kernel
