// The program loader: a program image (a position-independent ELF64 built by `goos build`) becomes
// a process, on both targets (DESIGN.md, "Programs").
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "process.h"
#include "result.h"

namespace kernel {

// Why an image was refused, as one line of text.
struct LoadError {
    char text[112] = {};
};

// Checks the whole image before anything is allocated, then copies its segments into fresh
// contiguous pages (their origin and only holder is the new process), applies its
// relocations and starts the first thread at the image's entry with a goos_start_info.
// The image bytes are only read, and need not outlive the call.
// Errors: BAD_IMAGE with the reason in *why; NO_MEMORY when the pages, the process or its
// thread cannot be had (also explained in *why).
Result<Process*> process_load(const char* name, const uint8_t* image, size_t size, LoadError* why);

// The largest image the loader accepts, in pages of memory (segments' span).
constexpr size_t kMaxImagePages = 16384;

}  // namespace kernel
