// Channel types across programs (DESIGN.md, "Ownership"): each channel carries, in word 2,
// the fingerprint of its Go type as its creator's runtime computed it; a program finds
// its own descriptor for the same type by that fingerprint. Used by makechan, by
// goos.Lookup, and by a send to find the channels inside the value it hands over.
#pragma once

#include "rt.h"

namespace goos_rt {

// A fingerprint of a type that two programs compute alike when they declare the same type:
// its kind, size, the compiler's type hash and its string. Never 0.
uint64_t type_fingerprint(const Type* t);

// This program's descriptor of the channel type with the fingerprint, or null when the
// program uses no such type.
const ChanType* own_chan_type(uint64_t tag);

// What a send hands the kernel about the value beyond its bytes: the channels inside it
// (the receiver will hold them). Objects reached through pointers are the transfer walk's,
// which is not there yet; channels stored directly in the value, its struct fields, its
// array elements and its interfaces are found here.
struct SendChannels {
    static constexpr uint32_t kMax = 64;
    goos_transfer desc;
    uint64_t chans[kMax];
};
// The transfer for sending the value at elem on channel c, or null when the value holds no
// channel. `out` must stay alive until the send returns.
const goos_transfer* channels_in(const void* c, const void* elem, SendChannels* out);

}  // namespace goos_rt
