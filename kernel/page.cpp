#include "page.h"

#include "klib.h"

namespace kernel {

void PageAllocator::init(uintptr_t base, size_t npages, bool zeroed) {
    base_ = base;
    npages_ = npages;
    meta_ = reinterpret_cast<PageInfo*>(base);
    const size_t meta_bytes = npages * sizeof(PageInfo);
    const size_t words = (npages + 63) / 64;
    bitmap_ = reinterpret_cast<uint64_t*>(base + meta_bytes);
    // The layout records (abi.h) follow, page-aligned: the origin's runtime writes them and
    // every program reads them, so they never share a page with the kernel's own records.
    const size_t bits_at = (meta_bytes + words * sizeof(uint64_t) + kPageSize - 1) & ~(kPageSize - 1);
    layout_bits_ = reinterpret_cast<uint64_t*>(base + bits_at);
    const size_t bits_bytes = (npages * kPageSize / 8 * 2 / 8 + kPageSize - 1) & ~(kPageSize - 1);
    layout_heads_ = reinterpret_cast<goos_layout_head*>(base + bits_at + bits_bytes);
    const size_t heads_bytes = (npages * sizeof(goos_layout_head) + kPageSize - 1) & ~(kPageSize - 1);
    // Then the shared and dirty bits (abi.h, GOOS_PAGE_*), which every program reads.
    shared_bits_ = reinterpret_cast<uint64_t*>(base + bits_at + bits_bytes + heads_bytes);
    dirty_bits_ = shared_bits_ + words;
    // Then the walked bits, a bit per word (kPageSize / 8 / 64 words per page).
    walked_bits_ = dirty_bits_ + words;
    constexpr size_t kWalkedWords = kPageSize / 8 / 64;
    const size_t total = bits_at + bits_bytes + heads_bytes + 2 * words * sizeof(uint64_t) +
                         npages * kWalkedWords * sizeof(uint64_t);
    first_ = (total + kPageSize - 1) / kPageSize;
    // Only `use` is read for a free page; alloc() writes the whole record when it hands
    // the page out. (A fuzzer boots the kernel once per input: this is its hot loop.)
    static_assert(static_cast<int>(PageUse::Free) == 0, "a zeroed record is a free page's");
    if (!zeroed) {
        for (size_t i = 0; i < npages; ++i) meta_[i].use = PageUse::Free;
        memset(bitmap_, 0, words * sizeof(uint64_t));
        memset(shared_bits_, 0, 2 * words * sizeof(uint64_t));
    }
    // The records' own pages are marked used in the bitmap only: every walk over pages
    // starts past them (first_usable), and writing their records would commit the records
    // of a large pool's first pages for nothing.
    for (size_t i = 0; i < first_; ++i) set_used(i, true);
    // Pages past the end of the pool in the last bitmap word count as used.
    for (size_t i = npages; i < words * 64; ++i) bitmap_[i / 64] |= 1ULL << (i % 64);
    free_ = npages - first_;
    hint_ = first_;
}

void PageAllocator::set_used(size_t i, bool used) {
    if (used)
        bitmap_[i / 64] |= 1ULL << (i % 64);
    else
        bitmap_[i / 64] &= ~(1ULL << (i % 64));
}

void* PageAllocator::alloc(size_t n, PageUse use) {
    if (n == 0 || n > free_) return nullptr;
    // Single pages: first free bit from the hint, a word at a time.
    const size_t words = (npages_ + 63) / 64;
    size_t start = npages_;
    if (n == 1) {
        for (size_t k = 0; k < words; ++k) {
            const size_t w = (hint_ / 64 + k) % words;
            if (~bitmap_[w]) {
                start = w * 64 + static_cast<size_t>(__builtin_ctzll(~bitmap_[w]));
                break;
            }
        }
    } else {
        // Runs of used pages are skipped a bitmap word at a time: a large pool is mostly
        // free or mostly full, and this search runs for every multi-page allocation.
        size_t runlen = 0;
        for (size_t i = first_; i < npages_;) {
            if (i % 64 == 0 && bitmap_[i / 64] == ~uint64_t{0}) {
                runlen = 0;
                i += 64;
                continue;
            }
            if (!is_free(i)) {
                runlen = 0;
                ++i;
                continue;
            }
            if (++runlen == n) {
                start = i + 1 - n;
                break;
            }
            ++i;
        }
    }
    if (start >= npages_) return nullptr;
    for (size_t i = start; i < start + n; ++i) {
        set_used(i, true);
        meta_[i] = PageInfo();
        meta_[i].use = use;
        layout_heads_[i] = goos_layout_head{};  // no one's layout until its origin writes one
        memset(walked_bits_ + i * (kPageSize / 8 / 64), 0, kPageSize / 8 / 8);  // nothing on it walked
        set_shared(i, false);
        clear_dirty(i);
    }
    meta_[start].run = static_cast<uint16_t>(n > 0xffff ? 0 : n);
    free_ -= n;
    hint_ = start + n;
    return reinterpret_cast<void*>(page_at(start));
}

void PageAllocator::free(void* page, size_t n) {
    const size_t start = index_of(reinterpret_cast<uintptr_t>(page));
    for (size_t i = start; i < start + n; ++i) {
        meta_[i] = PageInfo();
        set_used(i, false);
        set_shared(i, false);
        clear_dirty(i);
    }
    free_ += n;
    if (start < hint_) hint_ = start;
}

}  // namespace kernel
