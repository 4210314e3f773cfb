// Structural type identity across programs (DESIGN.md, "Types mean the same in every
// program"): a runtime hands the kernel the encoding of a type (runtime/typeid.cpp) and
// gets back its tag; equal encodings, compared in full, get one tag, and different ones
// never share a tag, whatever their hashes. A channel's word 2 is such a tag, so that a
// program that looks up a channel or receives from it finds its own type for the channel
// by structure, never by name. Tags live as long as the kernel.
#pragma once

#include <stdint.h>

#include "abi.h"
#include "result.h"

namespace kernel {

struct Process;

// A tag is the address of the type's descriptor in the type segment (typedesc.h), | 1, and
// | GOOS_TYPE_TAG_POINTERS when the encoding's flags say so: a runtime finds the descriptor
// behind a channel's tag with no call.
Result<uint64_t> type_intern(Process* p, const uint8_t* enc, uint32_t len);
// The encoding behind a tag, or nullptr (len untouched) for a tag the kernel never gave.
const uint8_t* type_encoding(uint64_t tag, uint32_t* len);
// The type segment's one descriptor for the type with the tag (typedesc.h), or nullptr.
const goos_go::Type* type_descriptor(uint64_t tag);
// Whether t is a descriptor of the type segment.
bool type_is_descriptor(const goos_go::Type* t);
// The address every zero-size value has, in the type segment (nullptr when no page can be
// had for it).
const void* type_zero_value();

// The table, in kernel pages; part of the kernel's state so a test can boot again.
class TypeTable {
public:
    TypeTable() = default;
    TypeTable(const TypeTable&) = delete;
    TypeTable& operator=(const TypeTable&) = delete;

    struct Entry {
        uint64_t hash;
        const uint8_t* bytes;
        uint32_t len;
        uint16_t done;  // its descriptor and every one it reaches are built
        uint16_t pad;
        uint32_t run;  // the intern that last queued it to be built
        goos_go::Type* desc;
    };
    Entry* entries = nullptr;  // by index
    uint32_t count = 0;
    uint32_t entry_cap = 0;
    uint32_t* index = nullptr;  // open addressing by hash: index + 1, 0 when empty
    uint32_t index_cap = 0;     // a power of two, at most half full
    uint8_t* bump = nullptr;    // where the next encoding is copied
    uint32_t bump_left = 0;
    uint32_t runs = 0;                 // interns so far, to tell a run's entries
    const void* zero_value = nullptr;  // type_zero_value's word
};

}  // namespace kernel
