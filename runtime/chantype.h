// Channel types across programs (DESIGN.md, "Ownership"): each channel carries, in word 2,
// the fingerprint of its Go type as its creator's runtime computed it; a program finds
// its own descriptor for the same type by that fingerprint. Used by makechan, by
// goos.Lookup, and by a send to find the channels inside the value it hands over.
#pragma once

#include "rt.h"

namespace goos_rt {

// A fingerprint of a type that two programs compute alike when they declare the same type
// (DESIGN.md's structural fingerprint): its kind, size, pointer layout, the compiler's hash
// of its structure and its string (name and package for a named type). Never 0.
uint64_t type_fingerprint(const Type* t);

// This program's descriptor of the type with the fingerprint, or null when the program
// declares and uses no such type (the compiler lists every type a package uses).
const Type* own_type(uint64_t tag);
const ChanType* own_chan_type(uint64_t tag);

// What a send hands the kernel about the value beyond its bytes: the channels inside it
// (the receiver will hold them), and the pages of this program's image holding the type
// descriptors of its interfaces (the receiver reads them to rebind, so they must outlive
// this program while the message is in flight: DESIGN.md, "Static data"). Objects reached
// through pointers are the transfer walk's, which is not there yet; what is stored
// directly in the value, its struct fields, its array elements and its interfaces is
// found here.
struct SendChannels {
    static constexpr uint32_t kMax = 64;
    goos_transfer desc;
    uint64_t chans[kMax];
    uint64_t touched[kMax];
};
// The transfer for sending the value at elem on channel c, or null when there is nothing
// to hand over. `out` must stay alive until the send returns.
const goos_transfer* channels_in(const void* c, const void* elem, SendChannels* out);

// After a receive from c into elem: every interface inside the value that names another
// program's type is rebound to this program's own descriptor (and method table) for the
// same type, so that type switches and method calls stay in this program. Panics with the
// type's name when this program does not declare it.
void rebind_received(const void* c, void* elem);

// The element type of channel c as this program declares it, or null.
const Type* elem_type_of(const void* c);

}  // namespace goos_rt
