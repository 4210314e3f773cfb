// The image's writable data as the layout records see it (DESIGN.md, "Layout records":
// image data has records too): each package variable that holds pointers, type words or
// func values is an object, and so is each static array or object the compiler made for a
// literal, so a send, an exposure or another program's mark that reaches one walks what it
// points to. `goos build` makes their records from the image's DWARF (tools/goos-vars),
// the loader installs them (kernel/loader.cpp), and the program checks them against the
// compiler's own lists before its code runs (image.cpp).
#pragma once

#include "rt.h"

// The image's ELF header, where the linker put it.
extern const uint8_t goos_image_ehdr[] __asm__("__ehdr_start");

namespace goos_rt {

// Calls f(lo, hi) for each writable segment of this program's image (its package
// variables and the runtime's own state), from its ELF program headers.
template <class F>
void image_writable(F f) {
    const uint8_t* image = goos_image_ehdr;
    struct Ehdr {
        uint8_t ident[16];
        uint16_t type, machine;
        uint32_t version;
        uint64_t entry, phoff, shoff;
        uint32_t flags;
        uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
    };
    struct Phdr {
        uint32_t type, flags;
        uint64_t offset, vaddr, paddr, filesz, memsz, align;
    };
    const auto* eh = reinterpret_cast<const Ehdr*>(image);
    const auto* ph = reinterpret_cast<const Phdr*>(image + eh->phoff);
    for (uint16_t i = 0; i < eh->phnum; ++i)
        if (ph[i].type == 1 && (ph[i].flags & 2)) {  // PT_LOAD, PF_W
            const auto lo = reinterpret_cast<uintptr_t>(image) + ph[i].vaddr;
            f(lo, lo + ph[i].memsz);
        }
}

// Whether p lies among the runtime's own variables, on pages of their own (goos build
// links the bounds, tools/goos-rtdata.S): no Go value lives there, so a walk hands none of
// those pages on (a zero-sized object's address points there and reaches nothing).
extern const char goos_rt_data_begin[] __asm__("goos_rt_data_begin") __attribute__((visibility("hidden")));
extern const char goos_rt_data_end[] __asm__("goos_rt_data_end") __attribute__((visibility("hidden")));
extern const char goos_rt_bss_begin[] __asm__("goos_rt_bss_begin") __attribute__((visibility("hidden")));
extern const char goos_rt_bss_end[] __asm__("goos_rt_bss_end") __attribute__((visibility("hidden")));
inline bool in_runtime_state(uintptr_t p) {
    const auto at = [p](const char* lo, const char* hi) {
        return p >= reinterpret_cast<uintptr_t>(lo) && p < reinterpret_cast<uintptr_t>(hi);
    };
    return at(goos_rt_data_begin, goos_rt_data_end) || at(goos_rt_bss_begin, goos_rt_bss_end);
}

// The compiler's list of one package's variables that hold pointers (GCCGO.md: called by
// each package's init before its code runs), checked against their records: each must lie
// in a recorded variable whose non-scalar words are the list's pointer words (the list
// calls type words and func values pointers too). A disagreement is a fatal error, never
// a guess: every program's walks trust the records.
void image_check_roots(const void* list);

}  // namespace goos_rt
