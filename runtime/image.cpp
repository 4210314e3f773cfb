// The compiler's GC root lists against the image's variable records (image.h).
#include "image.h"

#include "heap_internal.h"
#include "layout.h"

namespace goos_rt {
namespace {

// gccgo's root list (GCCGO.md): one package's variables, each with the bitmap of its
// pointer words (lowest bit first) over its first ptrdata bytes.
struct GcRoot {
    uintptr_t decl, size, ptrdata;
    const uint8_t* gcdata;
};
struct GcRootList {
    const GcRootList* next;
    intptr_t count;
    GcRoot roots[1];
};

[[noreturn]] void disagree(const char* what, uintptr_t at) {
    char buf[160];
    Fmt f{buf, sizeof buf};
    f.str("runtime: the image's variable records (goos build) ").str(what).str(" at image offset 0x");
    f.hex(at - program_info->image_base);
    fatal_panic(buf, f.n);
}

}  // namespace

void image_check_roots(const void* roots) {
    const auto* list = static_cast<const GcRootList*>(roots);
    if (!program_info || !in_pool(reinterpret_cast<uintptr_t>(list))) return;  // an image outside the pool
    for (intptr_t i = 0; i < list->count; ++i) {
        const GcRoot& root = list->roots[i];
        if (root.ptrdata == 0) continue;
        uintptr_t start, size;
        bool is_var = false;
        if (!layout_object_at(root.decl, &start, &size, &is_var) || !is_var || root.size > start + size - root.decl)
            disagree("miss a variable that holds pointers", root.decl);
        for (uintptr_t w = 0; w < root.size / 8; ++w) {
            const bool pointer = w < root.ptrdata / 8 && (root.gcdata[w / 8] >> (w % 8) & 1);
            if (pointer != (layout_kind(root.decl + w * 8) != GOOS_LAYOUT_SCALAR))
                disagree("call a word something other than the compiler does", root.decl + w * 8);
        }
    }
}

}  // namespace goos_rt
