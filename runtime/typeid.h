// Types across programs (DESIGN.md, "Types mean the same in every program"). The loader
// binds every descriptor the image names to the type segment's one descriptor for its type
// (kernel/typebind.h), so a descriptor's address is its identity in every program: type
// switches, assertions and `==` compare addresses. A channel's word 2, its tag, is its
// type's descriptor address with flags in the low bits (kernel/types.h).
#pragma once

#include "rt.h"

namespace goos_rt {

// The tag of a channel type: its descriptor's address, | 1, | GOOS_TYPE_TAG_POINTERS when
// its values hold pointers (0 for null).
uint64_t type_tag(const Type* t);
// The descriptor behind a tag (null for 0).
inline const Type* tag_type(uint64_t tag) {
    return reinterpret_cast<const Type*>(tag & ~uint64_t{7});
}
// The type behind a tag as Go spells it ("chan *main.Win"), for messages.
void tag_name(Fmt& f, uint64_t tag);
// This program's methods of type t: the uncommon part of its image's own descriptor for t
// (goos_start_info::methods), or t's, which lists none, when the program has no methods
// of t (it does not declare t, or t has none).
const Uncommon* own_methods(const Type* t);

}  // namespace goos_rt
