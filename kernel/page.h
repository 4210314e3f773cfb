// Page frames: the pool the backend gives, one PageInfo per page, contiguous allocation
// from a bitmap. The PageInfo array lives at the start of the pool itself.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "list.h"
#include "result.h"

namespace kernel {

constexpr size_t kPageSize = GOOS_PAGE_SIZE;
// Process slots. Slot 0 is no process: a page's origin once its origin has gone.
constexpr int kMaxProcs = 64;
constexpr int kKernelSlot = 0;

// Pages below PageAllocator::first_usable() hold the records and the bitmap; they are marked
// used in the bitmap and their own records are never written.
enum class PageUse : uint8_t {
    Free,
    Slab,     // kernel objects of one type (see slab.h)
    Buffer,   // channel buffers and transfer records
    Process,  // handed to a program's allocator
    Types,    // the structural type table (types.h)
};

struct PageInfo {
    PageUse use = PageUse::Free;
    uint8_t origin = 0;         // Process pages: the slot whose allocator asked for it
    uint8_t slab_type = 0;      // Slab pages: which slab
    uint8_t reached = 0;        // scratch: set while a mark is settled
    uint16_t inflight = 0;      // messages in flight (buffered or offered) touching the page
    uint16_t run = 0;           // first page of a multi-page run: its length
    uint16_t chk_inflight = 0;  // scratch: the invariant checker's recount
    uint64_t holders = 0;       // bit per process slot that may hold a pointer into the page
    uint64_t grant_seq = 0;     // ledger sequence number of the last grant touching the page
};

class PageAllocator {
public:
    // zeroed: the pool reads as zero (hal::Arch::pool_zeroed), so free pages' records are
    // already clear and are left untouched (and uncommitted) until handed out.
    void init(uintptr_t base, size_t npages, bool zeroed);
    // n contiguous pages, or nullptr when the pool has no such run.
    void* alloc(size_t n, PageUse use);
    void free(void* page, size_t n);

    bool contains(uintptr_t addr) const { return addr >= base_ && addr < base_ + npages_ * kPageSize; }
    PageInfo& info(uintptr_t addr) { return meta_[(addr - base_) / kPageSize]; }
    PageInfo& info_at(size_t index) { return meta_[index]; }
    uintptr_t page_at(size_t index) const { return base_ + index * kPageSize; }
    size_t index_of(uintptr_t addr) const { return (addr - base_) / kPageSize; }
    size_t index_of(const PageInfo& info) const { return static_cast<size_t>(&info - meta_); }
    size_t npages() const { return npages_; }
    size_t free_pages() const { return free_; }
    size_t first_usable() const { return first_; }
    // The layout records (abi.h), which live among the pages below first_usable().
    uint64_t* layout_bits() const { return layout_bits_; }
    goos_layout_head* layout_heads() const { return layout_heads_; }
    goos_layout_head& layout_head(uintptr_t addr) { return layout_heads_[index_of(addr)]; }
    // The pages' shared and dirty bits (abi.h, goos_start_info::shared_bits), below
    // first_usable() too. Marking a page shared marks it dirty as well.
    const uint64_t* shared_bits() const { return shared_bits_; }
    const uint64_t* dirty_bits() const { return dirty_bits_; }
    // The walked bits (abi.h, goos_start_info::walked_bits): one per word of the pool,
    // below first_usable() too, cleared when a page is handed out.
    uint64_t* walked_bits() const { return walked_bits_; }
    bool walked(uintptr_t addr) const {
        const size_t w = (addr - base_) / 8;
        return walked_bits_[w / 64] >> (w % 64) & 1;
    }
    bool shared(size_t i) const { return shared_bits_[i / 64] >> (i % 64) & 1; }
    bool dirty(size_t i) const { return dirty_bits_[i / 64] >> (i % 64) & 1; }
    void set_shared(size_t i, bool on) {
        const uint64_t bit = uint64_t{1} << (i % 64);
        if (on) {
            shared_bits_[i / 64] |= bit;
            dirty_bits_[i / 64] |= bit;
        } else if (shared_bits_[i / 64] & bit) {
            shared_bits_[i / 64] &= ~bit;
        }
    }
    void clear_dirty(size_t i) {
        const uint64_t bit = uint64_t{1} << (i % 64);
        if (dirty_bits_[i / 64] & bit) dirty_bits_[i / 64] &= ~bit;
    }
    // The first page in use at or after `i` (npages() when none): walks the bitmap a word
    // at a time, so scans over a mostly free pool stay cheap.
    size_t next_used(size_t i) const {
        while (i < npages_) {
            const uint64_t word = bitmap_[i / 64] >> (i % 64);
            if (word) return i + static_cast<size_t>(__builtin_ctzll(word));
            i = (i / 64 + 1) * 64;
        }
        return npages_;
    }

private:
    bool is_free(size_t i) const { return (bitmap_[i / 64] >> (i % 64) & 1) == 0; }
    void set_used(size_t i, bool used);

    uintptr_t base_ = 0;
    size_t npages_ = 0;
    size_t first_ = 0;  // first page after the metadata
    size_t free_ = 0;
    size_t hint_ = 0;
    PageInfo* meta_ = nullptr;
    uint64_t* bitmap_ = nullptr;  // 1 = in use
    uint64_t* layout_bits_ = nullptr;
    goos_layout_head* layout_heads_ = nullptr;
    uint64_t* shared_bits_ = nullptr;
    uint64_t* dirty_bits_ = nullptr;
    uint64_t* walked_bits_ = nullptr;
};

}  // namespace kernel
