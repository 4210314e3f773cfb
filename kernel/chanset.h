// The channels a process holds, made or pays for, found through its set of their header
// pages (Process::chans), so that a mark's end, an exit and a collection's roots cost what
// the process has, not every channel (DESIGN.md, "Collectors").
#pragma once

#include "chan.h"
#include "kernel.h"
#include "process.h"

namespace kernel {

// f(c) for every channel p holds, made or pays for, and, being on the same header pages,
// some others (f filters); the header pages of none of them leave p's set.
template <class F>
void chans_of(Process* p, F f) {
    constexpr size_t kSlot = SlabBase::slot_size(sizeof(Channel));
    const uint64_t bit = p->bit();
    p->chans.each([&](size_t i) {
        const PageInfo& info = k.pages.info_at(i);
        bool mine = false;
        if (info.use == PageUse::Slab && info.slab_type == static_cast<uint8_t>(SlabType::Channel)) {
            const uintptr_t page = k.pages.page_at(i);
            for (uintptr_t off = 0; off + kSlot <= kPageSize; off += kSlot) {
                Channel* c = reinterpret_cast<Channel*>(page + off);
                if (c->magic != kChanMagic) continue;  // a free slot (chan_collect clears it)
                // Its buffered messages may be p's to pay for even once p let go of it.
                if (!(c->holders & bit) && c->creator_slot != p->slot &&
                    !((c->header_payers | c->record_payers) & bit) && !c->count)
                    continue;
                mine = true;
                f(c);
            }
        }
        if (!mine) p->chans.remove(i);
    });
}

}  // namespace kernel
