// The send walk (DESIGN.md, "Sending"): a send hands the receiver holds on every page the
// value reaches and every channel inside it, without copying and without changing who
// frees anything (only a page's origin does, and only once no one else holds the page).
// The walk finds the pages from the value's type and the layout records of what it
// reaches, and describes them to the kernel, which commits the description in one call.
#pragma once

#include "chantype.h"
#include "scratch.h"

namespace goos_rt {

// What one send hands over: built by transfer_prepare, alive until the send returns.
struct Outgoing {
    goos_transfer desc;
    ScratchVec<uint64_t, 8> pages;  // pages the receiver will hold
    ScratchVec<uint64_t, 4> chans;  // channels the receiver will hold
};

// How a walk runs (transfer_retrying): its try, whether it joins each page to the thread's
// joined message before it reads an object on it (abi.h, walk_join), whether it seals the
// unwalked values of the local channels it finds (abi.h, chan_seal), which the kernel asks
// for with UNWALKED before it lets a commit share such a channel, and whether it may
// stream (abi.h, GOOS_TRANSFER_STREAMED): not where several walks commit together (a
// select's send cases), whose joined pages the thread's one joined message mixes.
struct WalkMode {
    int tries = 0;
    bool join = false;
    bool seal = false;
    bool stream = true;
};

// The description for sending the value at elem on channel c: null for a value without
// pointers; empty for a channel whose type this program does not know.
// A walk that finds more pages than one description keeps (kStreamAfter) starts again,
// streaming, and sets mode.join.
const goos_transfer* transfer_prepare(const void* c, const void* elem, Outgoing* out, WalkMode& mode);
// A send's first try on a channel the kernel last found local skips the walk (DESIGN.md,
// "Local channels move nothing"): null, which the kernel refuses with RETRY if the
// channel is no longer local.
inline const goos_transfer* transfer_prepare_send(const void* c, const void* elem, Outgoing* out, WalkMode& mode) {
    if (mode.tries == 0 && chan_local(c)) return nullptr;
    return transfer_prepare(c, elem, out, mode);
}

// The write barrier's slow path (barrier.cpp): the description of what a store makes
// reachable from its destination. n values of type t at v (a typed copy), or one word
// stored at dst, read by dst's layout record.
const goos_transfer* transfer_prepare_values(const Type* t, const void* v, uintptr_t n, Outgoing* out, WalkMode& mode);
const goos_transfer* transfer_prepare_word(uintptr_t dst, uintptr_t value, Outgoing* out, WalkMode& mode);

// Walks are optimistic (DESIGN.md, "Sending"; abi.h, goos_transfer::clock): commit(mode)
// walks as `mode` says (transfer_prepare's argument) and makes the syscall that commits;
// it runs again while the kernel answers RETRY, the third time joining its pages as it
// goes, which the kernel never finds stale (so a program that stores into shared objects
// without pause cannot keep another's walks failing), and sealing from the first
// UNWALKED on (a joining try may still be refused so: a blocked sender whose channel
// stopped being local walks again). A walk that streamed joined, and so do its next
// tries. The joined message is let go of after each try. Returns the last status.
template <class Commit>
int64_t transfer_retrying(Commit commit) {
    WalkMode mode;
    for (;; ++mode.tries) {
        mode.join = mode.join || mode.tries >= 2;
        const int64_t r = commit(mode);
        if (mode.join) sys(GOOS_SYS_walk_join, 0, 0);
        if (r == GOOS_UNWALKED) {
            mode.seal = true;
            continue;
        }
        if (r != GOOS_RETRY) return r;
    }
}

}  // namespace goos_rt
