// A set of pool pages (by index), as a bitmap with a summary bit per bitmap word, on kernel
// pages of its own: what one process holds (DESIGN.md, "Collectors": the kernel keeps, per
// process, the set of pages it holds, so that a mark's end and an exit cost that set, not
// the pool). Walking it skips 4,096 absent pages per summary word.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "klib.h"
#include "page.h"

namespace kernel {

class PageSet {
public:
    PageSet() = default;
    PageSet(const PageSet&) = delete;
    PageSet& operator=(const PageSet&) = delete;
    ~PageSet() { release(); }

    // Room for every page of `pages`, taken from it (zeroed); false when it has none.
    bool init(PageAllocator& pages) {
        pages_ = &pages;
        nwords_ = (pages.npages() + 63) / 64;
        const size_t summary_words = (nwords_ + 63) / 64;
        const size_t bytes = (nwords_ + summary_words) * sizeof(uint64_t);
        npages_ = (bytes + kPageSize - 1) / kPageSize;
        bits_ = static_cast<uint64_t*>(pages.alloc(npages_, PageUse::Buffer));
        if (!bits_) return false;
        memset(bits_, 0, npages_ * kPageSize);
        summary_ = bits_ + nwords_;
        return true;
    }
    void release() {
        if (bits_) pages_->free(bits_, npages_);
        bits_ = nullptr;
    }

    bool has(size_t i) const { return bits_[i / 64] >> (i % 64) & 1; }
    void add(size_t i) {
        bits_[i / 64] |= uint64_t{1} << (i % 64);
        summary_[i / 4096] |= uint64_t{1} << (i / 64 % 64);
    }
    void remove(size_t i) {
        uint64_t& w = bits_[i / 64];
        w &= ~(uint64_t{1} << (i % 64));
        if (!w) summary_[i / 4096] &= ~(uint64_t{1} << (i / 64 % 64));
    }
    // f(i) for each page in the set, in index order; f may remove i (and only i).
    template <class F>
    void each(F f) const {
        for (size_t s = 0; s * 64 < nwords_; ++s)
            for (uint64_t sw = summary_[s]; sw; sw &= sw - 1) {
                const size_t w = s * 64 + static_cast<size_t>(__builtin_ctzll(sw));
                for (uint64_t bits = bits_[w]; bits; bits &= bits - 1)
                    f(w * 64 + static_cast<size_t>(__builtin_ctzll(bits)));
            }
    }

private:
    PageAllocator* pages_ = nullptr;
    uint64_t* bits_ = nullptr;
    uint64_t* summary_ = nullptr;
    size_t nwords_ = 0;
    size_t npages_ = 0;
};

}  // namespace kernel
