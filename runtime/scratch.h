// Growable arrays and address sets for the runtime's own bookkeeping (the transfer walk,
// the received-object table, the collector's reached pages). They start in place and
// grow onto whole pages from the kernel (page_alloc), never onto the Go heap, so they can
// be used while the heap is locked or being collected. Pages go back when they shrink
// away (release) or the owner is destroyed.
#pragma once

#include "rt.h"

namespace goos_rt {

// n contiguous pages from the kernel, or a fatal panic naming `what`.
inline void* scratch_pages(uintptr_t n, const char* what) {
    const int64_t r = sys(GOOS_SYS_page_alloc, n);
    if (r <= 0) fatal_panic(what);
    return reinterpret_cast<void*>(r);
}
inline void scratch_release(void* p, uintptr_t n) {
    for (uintptr_t i = 0; i < n; ++i) sys(GOOS_SYS_page_release, reinterpret_cast<uintptr_t>(p) + i * GOOS_PAGE_SIZE);
}

template <class T, uint32_t N>
class ScratchVec {
public:
    ScratchVec() = default;
    ScratchVec(const ScratchVec&) = delete;
    ScratchVec& operator=(const ScratchVec&) = delete;
    ~ScratchVec() { release(); }

    void push(const T& v) {
        if (n_ == cap_) grow(n_ + 1);
        data_[n_++] = v;
    }
    // Room for at least n elements (the contents are kept).
    void reserve(uint32_t n) {
        if (n > cap_) grow(n);
    }
    T& operator[](uint32_t i) { return data_[i]; }
    const T& operator[](uint32_t i) const { return data_[i]; }
    T* data() { return data_; }
    uint32_t size() const { return n_; }
    void resize(uint32_t n) { n_ = n; }  // n <= capacity
    void clear() { n_ = 0; }
    // Back to the in-place storage, empty.
    void release() {
        if (pages_) scratch_release(data_, pages_);
        data_ = inline_;
        cap_ = N;
        pages_ = 0;
        n_ = 0;
    }

private:
    void grow(uint32_t need) {
        uint64_t cap = cap_ * 2ULL;
        while (cap < need) cap *= 2;
        const uintptr_t pages = (cap * sizeof(T) + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE;
        auto* data = static_cast<T*>(scratch_pages(pages, "runtime: out of memory for a transfer or a collection"));
        __builtin_memcpy(static_cast<void*>(data), data_, n_ * sizeof(T));
        if (pages_) scratch_release(data_, pages_);
        data_ = data;
        cap_ = static_cast<uint32_t>(pages * GOOS_PAGE_SIZE / sizeof(T));
        pages_ = pages;
    }
    T inline_[N];
    T* data_ = inline_;
    uint32_t n_ = 0;
    uint32_t cap_ = N;
    uintptr_t pages_ = 0;
};

// A set of nonzero 64-bit keys (addresses), each with a 32-bit value: open addressing,
// linear probing, at most half full.
template <uint32_t N>
class AddrMap {
    static_assert((N & (N - 1)) == 0, "a power of two");

public:
    struct Entry {
        uint64_t key;
        uint32_t value;
        uint32_t pad;
    };
    AddrMap() { clear(); }
    AddrMap(const AddrMap&) = delete;
    AddrMap& operator=(const AddrMap&) = delete;
    ~AddrMap() {
        if (pages_) scratch_release(table_, pages_);
    }

    // The entry for key, inserted with value `v` when missing (`*added` says which).
    Entry& insert(uint64_t key, uint32_t v, bool* added) {
        if ((n_ + 1) * 2 > cap_) grow();
        Entry& e = slot(key);
        *added = e.key == 0;
        if (*added) {
            e.key = key;
            e.value = v;
            ++n_;
        }
        return e;
    }
    const Entry* find(uint64_t key) const {
        const Entry& e = const_cast<AddrMap*>(this)->slot(key);
        return e.key ? &e : nullptr;
    }
    uint32_t size() const { return n_; }
    void clear() {
        __builtin_memset(static_cast<void*>(table_), 0, cap_ * sizeof(Entry));
        n_ = 0;
    }
    // Empty for reuse: keeps the room it grew to unless that is far more than it held, so
    // that clearing costs about what was put in.
    void reuse() {
        if (pages_ && cap_ > 4 * (n_ > N ? n_ : N)) {
            scratch_release(table_, pages_);
            table_ = inline_;
            cap_ = N;
            pages_ = 0;
        }
        clear();
    }
    template <class F>
    void each(F f) const {
        for (uint32_t i = 0; i < cap_; ++i)
            if (table_[i].key) f(table_[i]);
    }

private:
    Entry& slot(uint64_t key) {
        uint64_t h = key * 0x9e3779b97f4a7c15ULL;
        for (uint32_t i = static_cast<uint32_t>(h >> 32) & (cap_ - 1);; i = (i + 1) & (cap_ - 1))
            if (table_[i].key == key || table_[i].key == 0) return table_[i];
    }
    void grow() {
        Entry* old = table_;
        const uint32_t old_cap = cap_;
        const uintptr_t old_pages = pages_;
        cap_ *= 2;
        pages_ = (cap_ * sizeof(Entry) + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE;
        table_ = static_cast<Entry*>(scratch_pages(pages_, "runtime: out of memory for a transfer or a collection"));
        __builtin_memset(static_cast<void*>(table_), 0, cap_ * sizeof(Entry));
        n_ = 0;
        for (uint32_t i = 0; i < old_cap; ++i)
            if (old[i].key) {
                bool added;
                insert(old[i].key, old[i].value, &added);
            }
        if (old_pages) scratch_release(old, old_pages);
    }
    Entry inline_[N];
    Entry* table_ = inline_;
    uint32_t cap_ = N;
    uint32_t n_ = 0;
    uintptr_t pages_ = 0;
};

}  // namespace goos_rt
