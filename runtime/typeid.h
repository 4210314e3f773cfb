// Structural type identity (DESIGN.md, "Types mean the same in every program"). Two
// programs' types are one type when their structure is: a type's encoding is its shape
// (kind, size, pointer prefix, alignment, and per kind: fields with names, package paths
// of unexported names, tags, offsets and embedded flags; element, key and parameter types;
// array length; channel direction; variadic flag; an interface's methods), where a named
// type is referenced by package path and name, followed by the shape of every named type
// it reaches, in the order first reached. So recursive types need no recursion, and two
// programs that declare different `main.Win` structs have different encodings.
//
// What crosses programs is the kernel's tag for an encoding (kernel/types.h): equal
// encodings, compared in full, share one tag. A channel's word 2 is its type's tag.
#pragma once

#include "rt.h"

namespace goos_rt {

// The kernel's tag for t's structure (0 for null); a program's own descriptors' tags are
// cached. Panics when the kernel refuses it (out of memory for types).
uint64_t type_tag(const Type* t);
// Whether a and b have one structure (two descriptors of one type, or one type as two
// programs declare it).
bool types_same(const Type* a, const Type* b);
// This program's descriptor for the type with the tag, or null when the program declares
// and uses no such type (the compiler lists every type a package uses).
const Type* own_type(uint64_t tag);
// This program's descriptor with the same structure as another program's descriptor, or
// null.
const Type* own_type_like(const Type* foreign);
// The type behind a tag as Go spells it ("chan *main.Win"), for messages.
void tag_name(Fmt& f, uint64_t tag);

}  // namespace goos_rt
