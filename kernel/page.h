// Page frames: the pool the backend gives, one PageInfo per page, contiguous allocation
// from a bitmap, in arenas that each serve one owner. The PageInfo array lives at the start
// of the pool itself.
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
    // A page only messages hold, its origin gone (ledger_orphaned): the processes charged
    // for it, as of the last ledger_settle_orphans; 0 for any other page.
    uint64_t orphan_payers = 0;
};

// Arenas (DESIGN.md, "Pages, origins, holders"): the pool is cut into arenas of
// arena_pages() pages, aligned from its first page: 2 MiB, or less in a pool too small for
// thirty-two of them, but never less than the 32 pages one page of layout records covers
// (abi.h), so that a record page only ever describes one origin's pages. All pages of an
// arena go to one owner: a process slot's allocator, or the kernel (slot 0). An arena
// with no page in use belongs to no one; one whose owner ended with pages still in use
// (held by others) is retired until its last page is free.
class PageAllocator {
public:
    static constexpr size_t kMaxArenaPages = 512;  // 2 MiB
    static constexpr size_t kMinArenaPages = 32;   // one page of layout records
    // zeroed: the pool reads as zero (hal::Arch::pool_zeroed), so free pages' records are
    // already clear and are left untouched (and uncommitted) until handed out.
    void init(uintptr_t base, size_t npages, bool zeroed);
    // n contiguous pages from the arenas of `owner` (a process slot, or kKernelSlot), or
    // nullptr when there is no such run there and no free arena (or run of them) for it.
    void* alloc(size_t n, PageUse use, int owner = kKernelSlot);
    void free(void* page, size_t n);
    // Slot `owner` ended: its arenas with pages in use are retired, the others free.
    void retire(int owner);
    size_t arena_pages() const { return arena_; }
    size_t arenas() const { return (npages_ + arena_ - 1) / arena_; }
    static constexpr int kNoOwner = -1, kRetired = -2;
    // Arena a's owner (a slot, kNoOwner or kRetired) and its pages in use.
    int arena_owner(size_t a) const {
        const uint8_t o = owner_[a];
        return o == kArenaNone ? kNoOwner : o == kArenaRetired ? kRetired : o - 1;
    }
    uint32_t arena_used(size_t a) const { return used_[a]; }

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
    // The loader writes an image's records (loader.cpp, place_vars): the kind of the word
    // at addr, whose bits are clear; and clearing npages pages' bits from addr.
    void set_layout_kind(uintptr_t addr, uint64_t kind) {
        const size_t w = (addr - base_) / 8;
        layout_bits_[w / 32] |= (kind & 3) << (w % 32 * 2);
    }
    void clear_layout(uintptr_t addr, size_t npages);
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
    static constexpr uint8_t kArenaNone = 0;  // stored owners are slot + 1: a zeroed pool has none
    static constexpr uint8_t kArenaRetired = 0xff;
    static constexpr size_t kNone = ~size_t{0};
    bool is_free(size_t i) const { return (bitmap_[i / 64] >> (i % 64) & 1) == 0; }
    void set_used(size_t i, bool used);
    size_t arena_end(size_t a) const { return (a + 1) * arena_ < npages_ ? (a + 1) * arena_ : npages_; }
    // The first run of n free pages in [lo, hi), or kNone.
    size_t run_in(size_t lo, size_t hi, size_t n) const;
    // A run of n free pages in an arena of `owner`, one it claims, or several free ones.
    size_t find_run(size_t n, uint8_t owner);

    uintptr_t base_ = 0;
    size_t npages_ = 0;
    size_t first_ = 0;  // first page after the metadata
    size_t free_ = 0;
    PageInfo* meta_ = nullptr;
    uint64_t* bitmap_ = nullptr;  // 1 = in use
    uint64_t* layout_bits_ = nullptr;
    goos_layout_head* layout_heads_ = nullptr;
    uint64_t* shared_bits_ = nullptr;
    uint64_t* dirty_bits_ = nullptr;
    uint64_t* walked_bits_ = nullptr;
    size_t arena_ = kMaxArenaPages;
    uint8_t* owner_ = nullptr;     // per arena: its owner's slot + 1, kArenaNone or kArenaRetired
    uint32_t* used_ = nullptr;     // per arena: its pages in use
    size_t hint_[kMaxProcs] = {};  // per owner: the arena it allocated from last
    size_t free_hint_ = 0;         // an arena at or before the first free one
};

}  // namespace kernel
