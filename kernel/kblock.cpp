#include "kblock.h"

#include "kernel.h"

namespace kernel {

namespace {

size_t class_of(size_t bytes) {
    size_t cls = 0;
    while (cls < Kernel::kRecordClasses && (size_t{64} << cls) < bytes) ++cls;
    return cls;
}

}  // namespace

size_t kblock_cost(size_t bytes) {
    const size_t cls = class_of(bytes);
    return cls < Kernel::kRecordClasses ? size_t{64} << cls : (bytes + kPageSize - 1) / kPageSize * kPageSize;
}

KBlock kblock_alloc(size_t bytes, PageUse use) {
    KBlock a;
    const size_t cls = class_of(bytes);
    a.bytes = static_cast<uint32_t>(kblock_cost(bytes));
    if (cls < Kernel::kRecordClasses) {
        a.mem = k.records[cls].alloc(k.pages);  // zeroed by the slab
        a.cls = static_cast<uint8_t>(cls);
    } else {
        a.npages = a.bytes / kPageSize;
        a.mem = k.pages.alloc(a.npages, use);  // not zeroed: its users write before they read
    }
    return a;
}

void kblock_free(const KBlock& a) {
    if (!a.mem) return;
    if (a.npages)
        k.pages.free(a.mem, a.npages);
    else
        k.records[a.cls].free(a.mem);
}

}  // namespace kernel
