// Canonical type descriptors from type encodings (DESIGN.md, "Types mean the same in every
// program"). An encoding is untrusted input: it is read once, refused unless it is in
// canonical form (the bytes runtime/typeid.cpp's encoder writes for the type it describes)
// and its layout is Go's (sizes, alignments, offsets, pointer prefixes, interface
// directness, no type that holds itself by value), and the descriptor is then derived from
// it alone. A lying encoding is thus refused or describes a type of its own; it cannot
// change a type other programs use.
//
// Encoding (version GOOS_TYPE_ENC_VERSION):
//   encoding := version flags ref { pkgpath name shape }   one entry per named type reached,
//                                                         in the order first reached
//   ref      := 'N' pkgpath name | 'U' shape
//   shape    := kind size ptrdata align fieldalign, then by kind:
//               array: len ref; chan: dir ref; func: variadic nin ref* nout ref*;
//               interface: n (name pkgpath ref)*; map: key elem; ptr, slice: elem;
//               struct: n (name pkgpath ref tag offset<<1|embedded)*
// where strings are a uvarint length and bytes, numbers are uvarints, kind is a byte (the
// Go kind, with GOOS_KIND_DIRECT_IFACE when a value is stored in an interface's data word)
// and align, fieldalign and variadic are bytes.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "result.h"

namespace kernel {

class TypeEncoding {
public:
    // The caller keeps enc readable while the object lives.
    TypeEncoding(const uint8_t* enc, uint32_t len) : p_(enc), n_(len) {}
    ~TypeEncoding();
    TypeEncoding(const TypeEncoding&) = delete;
    TypeEncoding& operator=(const TypeEncoding&) = delete;

    // Reads and checks the whole encoding: BAD_ARGUMENT when it is malformed, not in
    // canonical form or not a layout Go makes; NO_MEMORY when scratch pages cannot be had.
    Result<void> check();

    // The most bytes sub_encoding may write.
    uint32_t sub_capacity() const { return 2 * n_ + 32; }
    // Bytes the descriptor of the root type takes (its kind's descriptor; what it points
    // to is allocated by build).
    size_t descriptor_bytes() const;

    // What build needs from the type table: memory for the descriptor's parts, and the
    // descriptor of another encoding (made if new; its contents may follow later, within
    // the same intern). Both null when memory runs out.
    struct Sink {
        void* (*alloc)(void* ctx, size_t bytes);
        const goos_go::Type* (*type)(void* ctx, const uint8_t* enc, uint32_t len);
        void* ctx;
    };
    // Fills desc (descriptor_bytes() zeroed bytes) with the root type's descriptor. `hash`
    // is the encoding's hash. After check() only.
    Result<void> build(goos_go::Type* desc, uint64_t hash, const Sink& sink);

private:
    struct Named {
        uint32_t name;   // position of its package path, then its name
        uint32_t shape;  // position of its shape
        uint64_t hash;
        uint32_t mark;   // the emit pass that listed it last
        uint16_t depth;  // by-value nesting depth, once known
        uint8_t state;   // 0 unknown, 1 being computed, 2 known
        uint8_t comparable;
    };
    struct Header {
        uint8_t kind;  // with flags
        uint64_t size, ptrdata;
        uint8_t align, field_align;
        uint32_t body;  // position after the header
    };
    struct Facts {
        int depth;
        bool comparable;
    };

    bool byte_at(uint32_t& pos, uint8_t* out) const;
    bool uv_at(uint32_t& pos, uint64_t* out) const;
    bool str_at(uint32_t& pos, uint32_t* start = nullptr, uint32_t* len = nullptr) const;
    bool skip_ref(uint32_t& pos, int depth) const;
    bool skip_shape(uint32_t& pos, int depth) const;
    bool header(uint32_t shape, Header* h) const;
    // The shape a ref names (its inline shape, or the named type's), or UINT32_MAX.
    uint32_t shape_of(uint32_t ref) const;
    int32_t find_named(uint32_t name_pos) const;
    uint32_t name_end(uint32_t name_pos) const;
    // Emits a ref, listing the named types it reaches; the position after it.
    uint32_t emit_ref(uint32_t pos, uint8_t* out, uint32_t* at);
    uint32_t emit_shape(uint32_t pos, uint8_t* out, uint32_t* at);
    uint32_t emit(const uint8_t* prefix, uint32_t prefix_len, uint32_t ref, uint8_t* out);
    uint32_t sub_encoding(uint32_t ref, uint8_t* out) { return emit(nullptr, 0, ref, out); }
    bool pointers_flag(uint32_t ref) const;
    bool check_shape(uint32_t shape, int depth);
    bool facts(uint32_t ref, int depth, Facts* out);
    bool named_facts(uint32_t i, int depth, Facts* out);
    bool shape_facts(uint32_t shape, int depth, Facts* out);
    void mark_pointers(uint32_t ref, uint64_t base, uint64_t limit, uint8_t* bits) const;
    const goos_go::String* copy_string(uint32_t pos, const Sink& sink) const;
    const goos_go::String* print(const Sink& sink) const;
    const goos_go::Type* sub_type(uint32_t ref, const Sink& sink);

    const uint8_t* p_;
    uint32_t n_;
    uint32_t root_ = 2;
    // Scratch, on kernel pages freed by the destructor.
    uint8_t* scratch_ = nullptr;
    size_t scratch_pages_ = 0;
    Named* named_ = nullptr;
    uint32_t nnamed_ = 0;
    uint32_t* index_ = nullptr;  // open addressing by name hash: index + 1
    uint32_t index_cap_ = 0;
    uint32_t* order_ = nullptr;  // emit's list of named types reached
    uint32_t norder_ = 0;
    uint32_t pass_ = 0;
    uint8_t* sub_ = nullptr;  // a sub-encoding being made
};

}  // namespace kernel

// Layout-driven equality and hashing over canonical descriptors (kernel/typecode.cpp): the
// code every program's runtime is to call for `==` on interfaces and for map keys
// (DESIGN.md: "equality and hashing done by layout-driven code in the kernel's shared code
// pages"). It reads only the descriptors and the values, never kernel state.
extern "C" {
// 1 when the values of type t at p and q are equal, 0 when not; -1 with *uncomparable set
// when an interface inside holds a value of a type that cannot be compared.
int goos_type_equal(const goos_go::Type* t, const void* p, const void* q, const goos_go::Type** uncomparable);
// The hash of the value of type t at p; equal values hash equal (+0 and -0 alike). An
// interface inside that holds an unhashable type: *unhashable is set (the hash is then
// meaningless).
uint64_t goos_type_hash(const goos_go::Type* t, const void* p, uint64_t seed, const goos_go::Type** unhashable);

// What a canonical descriptor's `equal` and a map's `hasher` func values call: the Go
// signatures, the descriptor taken from the func value's second word (gccgo passes the
// func value in %r10). An uncomparable value inside faults (ud2): the runtime checks
// before it calls (it calls goos_type_equal itself, to panic with Go's message).
void goos_type_equal_thunk();
void goos_type_hash_thunk();
}
