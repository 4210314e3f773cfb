#include "types.h"

#include "kernel.h"

namespace kernel {

namespace {

// What one process may add to the table: far more than any program's types.
constexpr uint64_t kMaxTypeBytesPerProcess = 16 << 20;

uint64_t tag_of(const TypeTable::Entry& e, uint32_t i) {
    const uint64_t pointers = e.bytes[1] & GOOS_TYPE_ENC_POINTERS ? GOOS_TYPE_TAG_POINTERS : 0;
    return (uint64_t{i} + 1) << 2 | pointers | 1;
}

size_t pages_for(size_t bytes) {
    return (bytes + kPageSize - 1) / kPageSize;
}

// Kernel pages for the table, never returned: a tag stays valid for the kernel's life.
void* table_pages(size_t bytes) {
    return k.pages.alloc(pages_for(bytes), PageUse::Types);
}

bool grow_entries(TypeTable& t) {
    const auto cap =
        static_cast<uint32_t>(t.entry_cap ? size_t{t.entry_cap} * 2 : kPageSize / sizeof(TypeTable::Entry));
    auto* e = static_cast<TypeTable::Entry*>(table_pages(size_t{cap} * sizeof(TypeTable::Entry)));
    if (!e) return false;
    if (t.count) memcpy(e, t.entries, size_t{t.count} * sizeof(TypeTable::Entry));
    if (t.entries) k.pages.free(t.entries, pages_for(size_t{t.entry_cap} * sizeof(TypeTable::Entry)));
    t.entries = e;
    t.entry_cap = cap;
    return true;
}

void index_put(uint32_t* index, uint32_t cap, uint64_t hash, uint32_t i) {
    for (uint32_t s = static_cast<uint32_t>(hash) & (cap - 1);; s = (s + 1) & (cap - 1))
        if (!index[s]) {
            index[s] = i + 1;
            return;
        }
}

bool grow_index(TypeTable& t) {
    const auto cap = static_cast<uint32_t>(t.index_cap ? size_t{t.index_cap} * 2 : kPageSize / sizeof(uint32_t));
    auto* index = static_cast<uint32_t*>(table_pages(size_t{cap} * sizeof(uint32_t)));
    if (!index) return false;
    memset(index, 0, pages_for(size_t{cap} * sizeof(uint32_t)) * kPageSize);
    for (uint32_t i = 0; i < t.count; ++i) index_put(index, cap, t.entries[i].hash, i);
    if (t.index) k.pages.free(t.index, pages_for(size_t{t.index_cap} * sizeof(uint32_t)));
    t.index = index;
    t.index_cap = cap;
    return true;
}

uint8_t* copy_bytes(TypeTable& t, const uint8_t* enc, uint32_t len) {
    if (len > t.bump_left) {
        if (len >= kPageSize / 2) {  // a large encoding gets pages of its own
            auto* own = static_cast<uint8_t*>(table_pages(len));
            if (own) memcpy(own, enc, len);
            return own;
        }
        t.bump = static_cast<uint8_t*>(table_pages(kPageSize));
        if (!t.bump) {
            t.bump_left = 0;
            return nullptr;
        }
        t.bump_left = kPageSize;
    }
    uint8_t* at = t.bump;
    memcpy(at, enc, len);
    t.bump += len;
    t.bump_left -= len;
    return at;
}

}  // namespace

// The caller checked that enc is len readable bytes of its own; they are read once into
// the table and compared from there.
Result<uint64_t> type_intern(Process* p, const uint8_t* enc, uint32_t len) {
    if (len < 2 || len > GOOS_MAX_TYPE_ENCODING) return Error::BAD_SIZE;
    if (enc[0] != GOOS_TYPE_ENC_VERSION) return Error::BAD_ARGUMENT;
    TypeTable& t = k.types;
    const uint64_t hash = goos_type_encoding_hash(enc, len);
    if (t.index_cap) {
        for (uint32_t s = static_cast<uint32_t>(hash) & (t.index_cap - 1); t.index[s];
             s = (s + 1) & (t.index_cap - 1)) {
            const uint32_t i = t.index[s] - 1;
            const TypeTable::Entry& e = t.entries[i];
            if (e.hash == hash && e.len == len && memcmp(e.bytes, enc, len) == 0) return tag_of(e, i);
        }
    }
    // A new type: charged to the process that first asked, against a cap of its own, so a
    // program that makes types without end runs out alone.
    if (p->type_bytes + len > kMaxTypeBytesPerProcess) return Error::NO_MEMORY;
    if (t.count == t.entry_cap && !grow_entries(t)) return Error::NO_MEMORY;
    if ((t.count + 1) * 2 > t.index_cap && !grow_index(t)) return Error::NO_MEMORY;
    const uint8_t* bytes = copy_bytes(t, enc, len);
    if (!bytes) return Error::NO_MEMORY;
    p->type_bytes += len;
    const uint32_t i = t.count++;
    t.entries[i] = TypeTable::Entry{hash, bytes, len, 0};
    index_put(t.index, t.index_cap, hash, i);
    return tag_of(t.entries[i], i);
}

const uint8_t* type_encoding(uint64_t tag, uint32_t* len) {
    if (!(tag & 1)) return nullptr;
    const uint64_t i = (tag >> 2) - 1;
    if ((tag >> 2) == 0 || i >= k.types.count) return nullptr;
    const TypeTable::Entry& e = k.types.entries[i];
    if (tag != tag_of(e, static_cast<uint32_t>(i))) return nullptr;
    *len = e.len;
    return e.bytes;
}

}  // namespace kernel
