// Kernel records of any size (message records, channel buffers): up to 2 KiB from the
// record slabs of six size classes (Kernel::records), larger ones whole pages. A small
// record costs its class's bytes, not a page (10,000 buffered messages, or 10,000 timer
// channels, once took 10,000 pages).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "page.h"

namespace kernel {

struct KBlock {
    void* mem = nullptr;  // null: the pool is out
    uint32_t npages = 0;  // whole pages; 0: a slot of record slab `cls`
    uint32_t bytes = 0;   // what it costs: the class's size, or the pages'
    uint8_t cls = 0;
};

// What kblock_alloc(bytes) costs, without taking it (for budget checks first).
size_t kblock_cost(size_t bytes);
// Memory for `bytes` (> 0): a slab slot (zeroed) or whole pages of `use` (not zeroed).
KBlock kblock_alloc(size_t bytes, PageUse use);
void kblock_free(const KBlock& a);

}  // namespace kernel
