// Go's value and type-descriptor layouts as gccgo-12 lays them out (GCCGO.md, "Type
// descriptors"): part of the ABI between the kernel and every runtime, since the kernel's
// type segment holds descriptors in this layout that compiled Go code and the runtime
// read (DESIGN.md, "Types mean the same in every program").
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace goos_go {

// A Go string: two words.
struct String {
    const uint8_t* ptr;
    intptr_t len;
};
// A Go slice: three words (passed in memory, returned through a hidden pointer).
struct Slice {
    void* ptr;
    intptr_t len;
    intptr_t cap;
};
// An empty interface: type descriptor and data word.
struct Type;
struct Eface {
    const Type* type;
    void* data;
};

// The common part of a type descriptor (GCCGO.md, "Type descriptors").
struct Type {
    uintptr_t size;
    uintptr_t ptrdata;
    uint32_t hash;
    uint8_t tflag;
    uint8_t align;
    uint8_t field_align;
    uint8_t kind;
    const void* equal;  // func value: func(p, q unsafe.Pointer) bool
    const uint8_t* gcdata;
    const String* string;
    const void* uncommon;
    const Type* ptr_to_this;
};
static_assert(sizeof(Type) == 64);
struct ChanType {
    Type common;
    const Type* elem;
    uintptr_t dir;
};
// The kinds' descriptors past the common part, as the walks over values read them.
struct StructField {
    const String* name;
    const String* pkg_path;
    const Type* type;
    const String* tag;
    uintptr_t offset_embedded;  // offset << 1 | embedded
};
struct StructType {
    Type common;
    const StructField* fields;
    intptr_t nfields;
    intptr_t cap;
};
struct PtrType {
    Type common;
    const Type* elem;
};
struct SliceType {
    Type common;
    const Type* elem;
};
struct ArrayType {
    Type common;
    const Type* elem;
    const Type* slice;
    uintptr_t len;
};
struct IMethod {  // an entry of an interface type's method list
    const String* name;
    const String* pkg_path;
    const Type* type;
};
struct InterfaceType {
    Type common;
    const IMethod* methods;
    intptr_t nmethods;
    intptr_t cap;
};
struct MapType {
    Type common;
    const Type* key;
    const Type* elem;
    const Type* bucket;
    const void* hasher;  // func value: func(p unsafe.Pointer, seed uintptr) uintptr
    uint8_t keysize, valuesize;
    uint16_t bucketsize;
    uint32_t flags;
};
struct FuncType {
    Type common;
    bool dotdotdot;
    const Type* const* in;
    intptr_t nin, in_cap;
    const Type* const* out;
    intptr_t nout, out_cap;
};
struct Method {  // an entry of a named type's method list
    const String* name;
    const String* pkg_path;  // null for an exported method
    const Type* mtyp;        // the method's type without receiver
    const Type* typ;         // with receiver
    void* tfn;               // code
};
// A descriptor's uncommon part: a named type has a name (and a package path unless it is
// predeclared); an unnamed one may still have methods.
struct Uncommon {
    const String* name;
    const String* pkg_path;
    const Method* methods;
    intptr_t nmethods, cap;
};

// Kinds (low 5 bits of Type::kind).
// clang-format off
enum Kind : uint8_t {
    kBool = 1, kInt, kInt8, kInt16, kInt32, kInt64, kUint, kUint8, kUint16, kUint32, kUint64,
    kUintptr, kFloat32, kFloat64, kComplex64, kComplex128, kArray, kChan, kFunc, kInterface,
    kMap, kPtr, kSlice, kString, kStruct, kUnsafePointer
};
// clang-format on
constexpr uint8_t kKindMask = 0x1f;
constexpr uint8_t kKindDirectIface = 0x20;

}  // namespace goos_go
