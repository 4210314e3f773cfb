#include "types.h"

#include "kernel.h"
#include "typedesc.h"

namespace kernel {

namespace {

// What one process may add to the table: far more than any program's types.
constexpr uint64_t kMaxTypeBytesPerProcess = 16 << 20;

uint64_t tag_of(const TypeTable::Entry& e) {
    const uint64_t pointers = e.bytes[1] & GOOS_TYPE_ENC_POINTERS ? GOOS_TYPE_TAG_POINTERS : 0;
    return reinterpret_cast<uint64_t>(e.desc) | pointers | 1;
}

// The entry behind a tag, or nullptr: the word before a descriptor is its entry's index,
// read only once the address is known to be one of the table's pages.
const TypeTable::Entry* entry_of(uint64_t tag) {
    const uint64_t desc = tag & ~uint64_t{7};
    if (!(tag & 1) || desc < 8 || !k.pages.contains(desc - 8) || !k.pages.contains(desc) ||
        k.pages.info_at(k.pages.index_of(desc - 8)).use != PageUse::Types)
        return nullptr;
    const uint64_t i = *reinterpret_cast<const uint64_t*>(desc - 8);
    if (i >= k.types.count) return nullptr;
    const TypeTable::Entry& e = k.types.entries[i];
    return e.done && tag_of(e) == tag ? &e : nullptr;
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

// Memory for the table's contents, 8-byte aligned: encodings and descriptors with what
// they point to.
uint8_t* table_bytes(TypeTable& t, size_t len) {
    len = (len + 7) & ~size_t{7};
    if (len > t.bump_left) {
        if (len >= kPageSize / 2) return static_cast<uint8_t*>(table_pages(len));  // pages of its own
        t.bump = static_cast<uint8_t*>(table_pages(kPageSize));
        if (!t.bump) {
            t.bump_left = 0;
            return nullptr;
        }
        t.bump_left = kPageSize;
    }
    uint8_t* at = t.bump;
    t.bump += len;
    t.bump_left -= static_cast<uint32_t>(len);
    return at;
}

// One intern: the entries it made or found unfinished, built in turn. A descriptor's parts
// are entries of their own, made when first named and built later in the same run, so
// that recursive types need no recursion; an entry is finished only when the whole run is,
// and a run that fails leaves every entry it touched unfinished, to be built again by the
// next run that needs it.
class Run {
public:
    explicit Run(Process* p) : p_(p), t_(k.types), id_(++k.types.runs) {}
    ~Run() {
        if (queue_) k.pages.free(queue_, queue_pages_);
    }
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;

    // The entry for an encoding: found, or checked and added unfinished.
    Result<uint32_t> entry(const uint8_t* enc, uint32_t len) {
        const uint64_t hash = goos_type_encoding_hash(enc, len);
        if (t_.index_cap) {
            for (uint32_t s = static_cast<uint32_t>(hash) & (t_.index_cap - 1); t_.index[s];
                 s = (s + 1) & (t_.index_cap - 1)) {
                const uint32_t i = t_.index[s] - 1;
                TypeTable::Entry& e = t_.entries[i];
                if (e.hash != hash || e.len != len || memcmp(e.bytes, enc, len) != 0) continue;
                if (!e.done && e.run != id_) TRY_VOID(queue(i));
                return i;
            }
        }
        TypeEncoding te(enc, len);
        TRY_VOID(te.check());
        const size_t desc_bytes = te.descriptor_bytes();
        // A new type: charged to the process that first asked, against a cap of its own,
        // so a program that makes types without end runs out alone.
        if (p_->type_bytes + len + desc_bytes > kMaxTypeBytesPerProcess) return Error::NO_MEMORY;
        if (t_.count == t_.entry_cap && !grow_entries(t_)) return Error::NO_MEMORY;
        if ((t_.count + 1) * 2 > t_.index_cap && !grow_index(t_)) return Error::NO_MEMORY;
        // The descriptor follows its entry's index (entry_of).
        uint8_t* bytes = table_bytes(t_, len);
        auto* head = reinterpret_cast<uint64_t*>(table_bytes(t_, 8 + desc_bytes));
        if (!bytes || !head) return Error::NO_MEMORY;
        memcpy(bytes, enc, len);
        memset(head, 0, 8 + desc_bytes);
        auto* desc = reinterpret_cast<goos_go::Type*>(head + 1);
        p_->type_bytes += len + 8 + desc_bytes;
        const uint32_t i = t_.count++;
        *head = i;
        t_.entries[i] = TypeTable::Entry{hash, bytes, len, 0, 0, 0, desc};
        index_put(t_.index, t_.index_cap, hash, i);
        TRY_VOID(queue(i));
        return i;
    }

    // Builds every queued entry's descriptor; then all are finished, or none is.
    Result<void> finish() {
        for (uint32_t at = 0; at < nqueued_; ++at) {
            TypeTable::Entry& e = t_.entries[queue_[at]];
            TypeEncoding te(e.bytes, e.len);
            Result<void> r = te.check();
            if (r.ok()) r = te.build(e.desc, e.hash, TypeEncoding::Sink{alloc, type, this});
            if (!r.ok()) {
                for (uint32_t i = 0; i < nqueued_; ++i) t_.entries[queue_[i]].run = 0;
                return r.error();
            }
        }
        for (uint32_t i = 0; i < nqueued_; ++i) t_.entries[queue_[i]].done = 1;
        return {};
    }

private:
    Result<void> queue(uint32_t i) {
        if (nqueued_ * sizeof(uint32_t) == queue_pages_ * kPageSize) {
            const size_t pages = queue_pages_ ? queue_pages_ * 2 : 1;
            auto* q = static_cast<uint32_t*>(k.pages.alloc(pages, PageUse::Types));
            if (!q) return Error::NO_MEMORY;
            if (queue_) {
                memcpy(q, queue_, nqueued_ * sizeof(uint32_t));
                k.pages.free(queue_, queue_pages_);
            }
            queue_ = q;
            queue_pages_ = pages;
        }
        t_.entries[i].run = id_;
        queue_[nqueued_++] = i;
        return {};
    }
    static void* alloc(void* ctx, size_t bytes) {
        auto* run = static_cast<Run*>(ctx);
        if (run->p_->type_bytes + bytes > kMaxTypeBytesPerProcess) return nullptr;
        run->p_->type_bytes += bytes;
        return table_bytes(run->t_, bytes);
    }
    static const goos_go::Type* type(void* ctx, const uint8_t* enc, uint32_t len) {
        auto* run = static_cast<Run*>(ctx);
        Result<uint32_t> i = run->entry(enc, len);
        return i.ok() ? run->t_.entries[i.value()].desc : nullptr;
    }

    Process* p_;
    TypeTable& t_;
    uint32_t id_;
    uint32_t* queue_ = nullptr;
    size_t queue_pages_ = 0;
    uint32_t nqueued_ = 0;
};

}  // namespace

// The caller checked that enc is len readable bytes of its own; they are read once into
// the table and compared and decoded from there.
Result<uint64_t> type_intern(Process* p, const uint8_t* enc, uint32_t len) {
    if (len < 2 || len > GOOS_MAX_TYPE_ENCODING) return Error::BAD_SIZE;
    if (enc[0] != GOOS_TYPE_ENC_VERSION) return Error::BAD_ARGUMENT;
    Run run(p);
    const uint32_t i = TRY(run.entry(enc, len));
    TRY_VOID(run.finish());
    return tag_of(k.types.entries[i]);
}

const uint8_t* type_encoding(uint64_t tag, uint32_t* len) {
    const TypeTable::Entry* e = entry_of(tag);
    if (!e) return nullptr;
    *len = e->len;
    return e->bytes;
}

bool type_is_descriptor(const goos_go::Type* t) {
    return entry_of(reinterpret_cast<uint64_t>(t) | 1) != nullptr ||
           entry_of(reinterpret_cast<uint64_t>(t) | 1 | GOOS_TYPE_TAG_POINTERS) != nullptr;
}

const void* type_zero_value() {
    if (!k.types.zero_value) {
        uint8_t* word = table_bytes(k.types, 8);
        if (word) memset(word, 0, 8);
        k.types.zero_value = word;
    }
    return k.types.zero_value;
}

const goos_go::Type* type_descriptor(uint64_t tag) {
    const TypeTable::Entry* e = entry_of(tag);
    return e ? e->desc : nullptr;
}

}  // namespace kernel
