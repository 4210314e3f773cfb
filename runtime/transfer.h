// The transfer walk (DESIGN.md, "Ownership and kernel-assisted garbage collection"): a
// send hands the receiver every object reachable from the value that this program owns,
// without copying. The walk finds them from the value's type, claims them (so neither
// this program's collector nor another send takes them meanwhile) and describes them to
// the kernel, which commits the description in one call; the claims stay when the value
// was sent and are undone when it was not. A receive takes the kernel's list of what came,
// so that this program's collector knows what it now owns.
#pragma once

#include "scratch.h"

namespace goos_rt {

// What one send hands over: built by transfer_prepare, alive until transfer_settle.
struct Outgoing {
    goos_transfer desc;
    ScratchVec<goos_move, 8> moves;      // objects that change owner, counted per page
    ScratchVec<uint64_t, 8> touched;     // pages the receiver will hold
    ScratchVec<uint64_t, 4> chans;       // channels the receiver will hold
    ScratchVec<goos_object, 8> objects;  // the objects themselves, for the receiver
};

// The description for sending the value at elem on channel c, or null when it hands over
// nothing (a value without pointers, or a channel whose type this program does not know).
const goos_transfer* transfer_prepare(const void* c, const void* elem, Outgoing* out);
// After the send syscall: `sent` keeps the claims (the objects are the receiver's, or the
// kernel's while the message waits); otherwise they are undone.
void transfer_settle(Outgoing* out, bool sent);
// After a receive of a value from c into elem: the objects the message moved become this
// program's (its own come home), and interfaces in the value and in them are rebound.
void transfer_taken(const void* c, void* elem);

}  // namespace goos_rt
