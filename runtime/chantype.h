// Channel types across programs (DESIGN.md, "Types mean the same in every program"): each
// channel carries, in word 2, the kernel's tag for its Go type's structure (typeid.h); a
// program finds its own descriptor for the same structure by that tag. Used by makechan,
// by goos.Lookup, and by the transfer walk (transfer.h) to know the type of what is sent.
#pragma once

#include "typeid.h"

namespace goos_rt {

// In a channel type's tag: its values hold pointers.
constexpr uint64_t kChanCarriesPointers = GOOS_TYPE_TAG_POINTERS;
// A channel's word 2: the tag of its type (0 for the kernel's own channels, such as
// Watch's).
inline uint64_t chan_tag(const void* c) {
    uint64_t tag;
    __builtin_memcpy(&tag, static_cast<const uint8_t*>(c) + 16, sizeof tag);
    return tag;
}

// Whether values sent on c may hold pointers (and so objects, channels or interfaces to
// hand over: transfer.h), from the type tag in the channel's word 2 alone. The common
// case, a channel of plain values, skips all of that.
inline bool carries_pointers(const void* c) {
    return c && (chan_tag(c) & kChanCarriesPointers);
}

// Whether the kernel last found channel c local (its word 3; abi.h, GOOS_CHAN_SHARED_WORD).
inline bool chan_local(const void* c) {
    uint64_t shared;
    __builtin_memcpy(&shared, static_cast<const uint8_t*>(c) + GOOS_CHAN_SHARED_WORD * 8, sizeof shared);
    return shared == 0;
}

// An interface's dynamic type: interface{} holds (type, data); one with methods holds
// (method table, data), and a table's first word is the type.
inline const Type* dynamic_type(const InterfaceType* it, const void* const* words) {
    if (!words[0]) return nullptr;
    return it->nmethods ? *static_cast<const Type* const*>(words[0]) : static_cast<const Type*>(words[0]);
}

// After a receive from c into elem: panics on a func value inside the value, or inside
// what it reaches through pointers, slices and interfaces, whose code is another program's
// (DESIGN.md: only data crosses programs). Type words and method tables need nothing: they
// are the type segment's, or tables of stubs (kernel/methods.h).
void check_received(const void* c, void* elem);

// The element type of channel c (the type segment's).
const Type* elem_type_of(const void* c);

}  // namespace goos_rt
