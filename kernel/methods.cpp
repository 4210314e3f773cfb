// Method slots, stubs, the dispatcher and the type segment's method tables (methods.h).
#include "methods.h"

#include "kernel.h"
#include "klib.h"
#include "process.h"

#define GOOS_STRINGIFY_(x) #x
#define GOOS_STRINGIFY(x) GOOS_STRINGIFY_(x)

// Read by the dispatcher's asm by name: kept out of LTO's renaming.
__attribute__((used, externally_visible)) kernel::MethodDispatch goos_method_dispatch_state;

namespace kernel {
namespace {

using goos_go::String;
using goos_go::Type;

uint64_t key_hash(const Type* type, const String& name, const String& pkg, const Type* mtype) {
    uint64_t h = mix64(reinterpret_cast<uintptr_t>(type) ^ mix64(reinterpret_cast<uintptr_t>(mtype)));
    h ^= goos_type_encoding_hash(name.ptr, static_cast<uint64_t>(name.len));
    return mix64(h ^ goos_type_encoding_hash(pkg.ptr, static_cast<uint64_t>(pkg.len)) * 31);
}

bool same(const String* a, const String& b) {
    return a->len == b.len && (b.len == 0 || memcmp(a->ptr, b.ptr, static_cast<size_t>(b.len)) == 0);
}

void* pages(size_t bytes) {
    return k.pages.alloc((bytes + kPageSize - 1) / kPageSize, PageUse::Types);
}
void free_pages(void* p, size_t bytes) {
    if (p) k.pages.free(p, (bytes + kPageSize - 1) / kPageSize);
}

// Memory that lives as long as the kernel: identities' names and the segment's tables.
void* forever(size_t bytes) {
    MethodSlots& m = k.methods;
    bytes = (bytes + 7) & ~size_t{7};
    if (bytes > m.bump_left) {
        if (bytes >= kPageSize / 2) return pages(bytes);
        m.bump = static_cast<uint8_t*>(pages(kPageSize));
        m.bump_left = m.bump ? kPageSize : 0;
        if (!m.bump) return nullptr;
    }
    void* at = m.bump;
    m.bump += bytes;
    m.bump_left -= bytes;
    return at;
}

const String* copy(const String& s) {
    auto* out = static_cast<String*>(forever(sizeof(String) + static_cast<size_t>(s.len)));
    if (!out) return nullptr;
    auto* bytes = reinterpret_cast<uint8_t*>(out + 1);
    if (s.len) memcpy(bytes, s.ptr, static_cast<size_t>(s.len));
    *out = String{bytes, s.len};
    return out;
}

// The slot of an identity, or -1.
int64_t find(const Type* type, const String& name, const String& pkg, const Type* mtype, uint64_t h) {
    const MethodSlots& m = k.methods;
    if (!m.index_cap) return -1;
    for (uint32_t s = static_cast<uint32_t>(h) & (m.index_cap - 1); m.index[s]; s = (s + 1) & (m.index_cap - 1)) {
        const MethodSlots::Entry& e = m.entries[m.index[s] - 1];
        if (e.hash == h && e.type == type && e.mtype == mtype && same(e.name, name) && same(e.pkg, pkg))
            return m.index[s] - 1;
    }
    return -1;
}

bool grow_index(MethodSlots& m) {
    const uint32_t cap = m.index_cap ? m.index_cap * 2 : 1024;
    auto* index = static_cast<uint32_t*>(pages(size_t{cap} * 4));
    if (!index) return false;
    memset(index, 0, size_t{cap} * 4);
    for (uint32_t i = 0; i < m.count; ++i) {
        uint32_t s = static_cast<uint32_t>(m.entries[i].hash) & (cap - 1);
        while (index[s]) s = (s + 1) & (cap - 1);
        index[s] = i + 1;
    }
    free_pages(m.index, size_t{m.index_cap} * 4);
    m.index = index;
    m.index_cap = cap;
    return true;
}

// The slot of an interface method's identity on `type`, or -1.
int64_t imethod_slot(const Type* type, const goos_go::IMethod& want) {
    static const String kNone = {nullptr, 0};
    const String& pkg = want.pkg_path ? *want.pkg_path : kNone;
    return find(type, *want.name, pkg, want.type, key_hash(type, *want.name, pkg, want.type));
}

// The segment's tables, one per (interface, type): open addressing over the pair.
struct TableEntry {
    const Type* inter;
    const Type* type;
    const void* table;
};

uint64_t pair_hash(const Type* inter, const Type* type) {
    return mix64(reinterpret_cast<uintptr_t>(inter) ^ mix64(reinterpret_cast<uintptr_t>(type)));
}

}  // namespace

Result<uint32_t> method_slot(const Type* type, const String& name, const String& pkg, const Type* mtype) {
    MethodSlots& m = k.methods;
    const uint64_t h = key_hash(type, name, pkg, mtype);
    const int64_t found = find(type, name, pkg, mtype, h);
    if (found >= 0) return static_cast<uint32_t>(found);
    if (m.count == kMaxMethodSlots) return Error::NO_MEMORY;
    if (!m.entries) {
        m.entries = static_cast<MethodSlots::Entry*>(pages(kMaxMethodSlots * sizeof(MethodSlots::Entry)));
        if (!m.entries) return Error::NO_MEMORY;
    }
    if ((m.count + 1) * 2 > m.index_cap && !grow_index(m)) return Error::NO_MEMORY;
    const String* n = copy(name);
    const String* p = copy(pkg);
    if (!n || !p) return Error::NO_MEMORY;
    const uint32_t slot = m.count++;
    m.entries[slot] = MethodSlots::Entry{type, mtype, n, p, h};
    uint32_t s = static_cast<uint32_t>(h) & (m.index_cap - 1);
    while (m.index[s]) s = (s + 1) & (m.index_cap - 1);
    m.index[s] = slot + 1;
    return slot;
}

uintptr_t method_stub(uint32_t slot) {
    // The stubs start at the first 16-byte boundary of goos_method_stubs (its asm aligns).
    const uintptr_t base = (reinterpret_cast<uintptr_t>(&goos_method_stubs) + 15) & ~uintptr_t{15};
    return base + uintptr_t{slot} * 16;
}

bool method_identity(uint32_t slot, const Type** type, const String** name, const String** pkg, const Type** mtype) {
    if (slot >= k.methods.count) return false;
    const MethodSlots::Entry& e = k.methods.entries[slot];
    *type = e.type;
    *name = e.name;
    *pkg = e.pkg;
    *mtype = e.mtype;
    return true;
}

Result<void> method_define(Process* p, uint32_t slot, uintptr_t code) {
    if (slot >= p->method_cap) {
        uint32_t cap = p->method_cap ? p->method_cap : 512;
        while (cap <= slot) cap *= 2;
        auto* table = static_cast<uintptr_t*>(pages(size_t{cap} * sizeof(uintptr_t)));
        if (!table) return Error::NO_MEMORY;
        memset(table, 0, size_t{cap} * sizeof(uintptr_t));
        if (p->method_table) memcpy(table, p->method_table, size_t{p->method_cap} * sizeof(uintptr_t));
        free_pages(p->method_table, size_t{p->method_cap} * sizeof(uintptr_t));
        p->method_table = table;
        p->method_cap = cap;
    }
    p->method_table[slot] = code;
    return {};
}

void methods_release(Process* p) {
    free_pages(p->method_table, size_t{p->method_cap} * sizeof(uintptr_t));
    p->method_table = nullptr;
    p->method_cap = 0;
}

void methods_switch(const Process* p) {
    goos_method_dispatch_state =
        p ? MethodDispatch{p->method_table, p->method_cap, p->method_missing} : MethodDispatch{nullptr, 0, 0};
}

Result<const void*> method_table(Process* p, const Type* inter, const Type* type, const String** missing) {
    if ((inter->kind & goos_go::kKindMask) != goos_go::kInterface) return Error::BAD_ARGUMENT;
    const auto* it = reinterpret_cast<const goos_go::InterfaceType*>(inter);
    MethodSlots& m = k.methods;
    // Checked against the caller's own methods: an assertion uses the running program's
    // method set.
    const intptr_t n = it->nmethods;
    if (n < 0) return Error::BAD_ARGUMENT;
    for (intptr_t i = 0; i < n; ++i) {
        const int64_t s = imethod_slot(type, it->methods[i]);
        if (s < 0 || static_cast<uint64_t>(s) >= p->method_cap || !p->method_table[s]) {
            *missing = it->methods[i].name;
            return Error::NOT_FOUND;
        }
    }
    const uint64_t h = pair_hash(inter, type);
    auto* tables = static_cast<TableEntry*>(m.tables);
    if (m.tables_cap) {
        for (uint32_t s = static_cast<uint32_t>(h) & (m.tables_cap - 1); tables[s].inter;
             s = (s + 1) & (m.tables_cap - 1))
            if (tables[s].inter == inter && tables[s].type == type) return tables[s].table;
    }
    if ((m.ntables + 1) * 2 > m.tables_cap) {
        const uint32_t cap = m.tables_cap ? m.tables_cap * 2 : 256;
        auto* fresh = static_cast<TableEntry*>(pages(size_t{cap} * sizeof(TableEntry)));
        if (!fresh) return Error::NO_MEMORY;
        memset(fresh, 0, size_t{cap} * sizeof(TableEntry));
        for (uint32_t i = 0; i < m.tables_cap; ++i) {
            if (!tables[i].inter) continue;
            uint32_t s = static_cast<uint32_t>(pair_hash(tables[i].inter, tables[i].type)) & (cap - 1);
            while (fresh[s].inter) s = (s + 1) & (cap - 1);
            fresh[s] = tables[i];
        }
        free_pages(m.tables, size_t{m.tables_cap} * sizeof(TableEntry));
        m.tables = tables = fresh;
        m.tables_cap = cap;
    }
    auto* table = static_cast<uintptr_t*>(forever(sizeof(uintptr_t) * static_cast<size_t>(n + 1)));
    if (!table) return Error::NO_MEMORY;
    table[0] = reinterpret_cast<uintptr_t>(type);
    for (intptr_t i = 0; i < n; ++i)
        table[i + 1] = method_stub(static_cast<uint32_t>(imethod_slot(type, it->methods[i])));
    uint32_t s = static_cast<uint32_t>(h) & (m.tables_cap - 1);
    while (tables[s].inter) s = (s + 1) & (m.tables_cap - 1);
    tables[s] = TableEntry{inter, type, table};
    ++m.ntables;
    return static_cast<const void*>(table);
}

}  // namespace kernel

extern "C" {

// Each stub: the slot in %r11 (movl zero-extends), then the dispatcher; 16 bytes apart.
__attribute__((naked, used, externally_visible)) void goos_method_stubs() {
    __asm__(
        ".balign 16, 0xcc\n"
        ".set goos_stub_slot, 0\n"
        ".rept " GOOS_STRINGIFY(GOOS_METHOD_SLOTS) "\n"
        "movl $goos_stub_slot, %r11d\n"
        "jmp goos_method_dispatch\n"
        ".balign 16, 0xcc\n"
        ".set goos_stub_slot, goos_stub_slot + 1\n"
        ".endr\n");
}

// The running process's method for slot %r11 (its table, through
// goos_method_dispatch_state, which the scheduler rewrites at each switch), the caller's
// arguments untouched; a slot it has no method for goes to its runtime's method_missing
// entry with the slot as its argument, as if the call had been to it.
__attribute__((naked, used, externally_visible)) void goos_method_dispatch() {
    __asm__(
        "movq goos_method_dispatch_state+8(%rip), %rax\n"
        "cmpq %rax, %r11\n"
        "jae 1f\n"
        "movq goos_method_dispatch_state(%rip), %rax\n"
        "movq (%rax,%r11,8), %rax\n"
        "testq %rax, %rax\n"
        "jz 1f\n"
        "jmp *%rax\n"
        "1:\n"
        "movq %r11, %rdi\n"
        "jmp *goos_method_dispatch_state+16(%rip)\n");
}
}
