#include "slab.h"

#include "klib.h"

namespace kernel {

void* SlabBase::alloc(PageAllocator& pages) {
    if (!free_) {
        void* page = pages.alloc(1, PageUse::Slab);
        if (!page) return nullptr;
        pages.info(reinterpret_cast<uintptr_t>(page)).slab_type = static_cast<uint8_t>(type_);
        // Zeroed whole: the kernel walks a page's slots (chanset.h), and what a slot never
        // handed out holds must not look like a live object.
        memset(page, 0, kPageSize);
        // A channel value is the address of its header: walks know one by its page's head.
        if (type_ == SlabType::Channel)
            pages.layout_head(reinterpret_cast<uintptr_t>(page)).base_flags = GOOS_LAYOUT_CHANNELS;
        // Freed slots are reused newest first; thread the new page's slots in order.
        char* base = static_cast<char*>(page);
        const size_t n = kPageSize / slot_;
        for (size_t i = n; i-- > 0;) {
            auto* s = reinterpret_cast<FreeSlot*>(base + i * slot_);
            s->next = free_;
            free_ = s;
        }
        if (!free_) return nullptr;  // a slot larger than a page
    }
    FreeSlot* s = free_;
    free_ = s->next;
    ++live_;
    memset(s, 0, slot_);
    return s;
}

void SlabBase::free(void* obj) {
    // Scrub the slot so that a stale pointer finds no live object (magic words are zero).
    memset(obj, 0, slot_);
    auto* s = static_cast<FreeSlot*>(obj);
    s->next = free_;
    free_ = s;
    --live_;
}

}  // namespace kernel
