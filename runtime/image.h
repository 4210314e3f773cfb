// The image's writable data as the layout records see it (DESIGN.md, "Layout records":
// image data has records too): each package variable that holds pointers is an object,
// with a record made from the compiler's GC root list, so a send, an exposure or another
// program's mark that reaches one walks what it points to (image.cpp).
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

// The compiler's list of one package's variables that hold pointers (GCCGO.md: called by
// each package's init before its code runs): their records, and the image's variable
// table (abi.h, goos_image_var), which replaces the last one.
void image_register_roots(const void* list);

}  // namespace goos_rt
