// The send walk (DESIGN.md, "Sending"): a send hands the receiver holds on every page the
// value reaches and every channel inside it, without copying and without changing who
// frees anything (only a page's origin does, and only once no one else holds the page).
// The walk finds the pages from the value's type and the layout records of what it
// reaches, and describes them to the kernel, which commits the description in one call.
#pragma once

#include "scratch.h"

namespace goos_rt {

// What one send hands over: built by transfer_prepare, alive until the send returns.
struct Outgoing {
    goos_transfer desc;
    ScratchVec<uint64_t, 8> pages;  // pages the receiver will hold
    ScratchVec<uint64_t, 4> chans;  // channels the receiver will hold
};

// The description for sending the value at elem on channel c, or null when it hands over
// nothing (a value without pointers, or a channel whose type this program does not know).
const goos_transfer* transfer_prepare(const void* c, const void* elem, Outgoing* out, bool pause = false);

// The write barrier's slow path (barrier.cpp): the description of what a store makes
// reachable from its destination. n values of type t at v (a typed copy), or one word
// stored at dst, read by dst's layout record.
const goos_transfer* transfer_prepare_values(const Type* t, const void* v, uintptr_t n, Outgoing* out,
                                             bool pause = false);
const goos_transfer* transfer_prepare_word(uintptr_t dst, uintptr_t value, Outgoing* out, bool pause = false);

// Walks are optimistic (DESIGN.md, "Sending"; abi.h, goos_transfer::clock): commit(pause)
// walks, with the program's other threads paused when `pause` (transfer_prepare's
// argument), and makes the syscall that commits; it runs again while the kernel answers
// RETRY, the third time and after with the others paused, so that only another program's
// exposure can make the walk stale. The others are resumed after each paused try. Returns
// the last status.
template <class Commit>
int64_t transfer_retrying(Commit commit) {
    for (int tries = 0;; ++tries) {
        const bool pause = tries >= 2;
        const int64_t r = commit(pause);
        if (pause) sys(GOOS_SYS_pause_others, 0);
        if (r != GOOS_RETRY) return r;
    }
}

}  // namespace goos_rt
