// Methods stay with their program (DESIGN.md, "Types mean the same in every program").
// A method's identity is (type, name, package path if unexported, method type), the types
// being the type segment's. Each identity any loaded program has gets a slot and a stub:
// code that puts the slot's number in %r11 and jumps to the dispatcher, which jumps to the
// running program's method of that identity (its method table, through a word the
// scheduler rewrites at every switch to another process), or to the program's runtime to
// panic naming the type and the method when the program has none. Every method table a
// value can carry holds stubs: gccgo's static imt../pimt.. tables, which the loader
// rewrites in place, and the tables the runtime asks the kernel for (method_table), which
// lie in the type segment. So a method call through an interface runs the caller's own
// code, whoever made the value.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "result.h"

namespace kernel {

struct Process;

// How many identities the stubs cover (the stubs are in the kernel's code).
#define GOOS_METHOD_SLOTS 16384
constexpr uint32_t kMaxMethodSlots = GOOS_METHOD_SLOTS;

// The kernel's record of identities and of the segment's method tables; part of the
// kernel's state so that a test can boot again.
struct MethodSlots {
    MethodSlots() = default;
    MethodSlots(const MethodSlots&) = delete;
    MethodSlots& operator=(const MethodSlots&) = delete;

    struct Entry {
        const goos_go::Type* type;
        const goos_go::Type* mtype;
        const goos_go::String* name;
        const goos_go::String* pkg;
        uint64_t hash;
    };
    Entry* entries = nullptr;  // by slot
    uint32_t count = 0;
    uint32_t* index = nullptr;  // open addressing by identity: slot + 1
    uint32_t index_cap = 0;
    void* tables = nullptr;  // (interface, type) -> table
    uint32_t tables_cap = 0, ntables = 0;
    uint8_t* bump = nullptr;  // names and tables, kept for the kernel's life
    size_t bump_left = 0;
};

// The slot of an identity, made when new. name and pkg are copied (pkg empty when the
// method is exported). NO_MEMORY when the table or the stubs run out.
Result<uint32_t> method_slot(const goos_go::Type* type, const goos_go::String& name, const goos_go::String& pkg,
                             const goos_go::Type* mtype);
// The code of a slot's stub.
uintptr_t method_stub(uint32_t slot);
// The identity behind a slot, or false for a slot no one made.
bool method_identity(uint32_t slot, const goos_go::Type** type, const goos_go::String** name,
                     const goos_go::String** pkg, const goos_go::Type** mtype);

// p's method table gets `code` for the slot (the loader, for each method of p's image).
Result<void> method_define(Process* p, uint32_t slot, uintptr_t code);
// Frees p's method table (the process ends).
void methods_release(Process* p);
// The scheduler switches to a thread of p (null: the kernel's own).
void methods_switch(const Process* p);

// The type segment's method table of `type` as the interface `inter`: the type, then one
// stub per interface method (the interface's order). BAD_ARGUMENT when inter is not an
// interface of the segment or type not a type of it; NOT_FOUND, with the method's name in
// *missing, when the calling program has no method of that identity (Go's assertion
// fails).
Result<const void*> method_table(Process* p, const goos_go::Type* inter, const goos_go::Type* type,
                                 const goos_go::String** missing);

// What the dispatcher reads: the running process's table and its length, and where a
// missing method goes (its runtime's method_missing entry, which takes the slot).
struct MethodDispatch {
    const uintptr_t* table;
    uint64_t cap;
    uintptr_t missing;
};

}  // namespace kernel

extern "C" {
extern kernel::MethodDispatch goos_method_dispatch_state;
// The stubs, kMaxMethodSlots of them, 16 bytes apart; the dispatcher they jump to.
void goos_method_stubs();
void goos_method_dispatch();
}
