#include "page.h"

#include "klib.h"

namespace kernel {

void PageAllocator::clear_layout(uintptr_t addr, size_t npages) {
    // Two bits per word: a page's bits are kPageSize / 32 bytes, starting on a word.
    memset(&layout_bits_[(addr - base_) / 8 / 32], 0, npages * (kPageSize / 32));
}

void PageAllocator::init(uintptr_t base, size_t npages, bool zeroed) {
    base_ = base;
    npages_ = npages;
    arena_ = kMaxArenaPages;
    while (arena_ > kMinArenaPages && arena_ * 32 > npages) arena_ /= 2;
    const size_t narenas = (npages + arena_ - 1) / arena_;
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
    // Then each arena's owner and count of pages in use (the kernel's alone).
    owner_ = reinterpret_cast<uint8_t*>(walked_bits_ + npages * kWalkedWords);
    used_ = reinterpret_cast<uint32_t*>((reinterpret_cast<uintptr_t>(owner_) + narenas + 3) & ~uintptr_t{3});
    const size_t total = reinterpret_cast<uintptr_t>(used_ + narenas) - base;
    first_ = (total + kPageSize - 1) / kPageSize;
    // Only `use` is read for a free page; alloc() writes the whole record when it hands
    // the page out. (A fuzzer boots the kernel once per input: this is its hot loop.)
    static_assert(static_cast<int>(PageUse::Free) == 0, "a zeroed record is a free page's");
    if (!zeroed) {
        for (size_t i = 0; i < npages; ++i) meta_[i].use = PageUse::Free;
        memset(bitmap_, 0, words * sizeof(uint64_t));
        memset(shared_bits_, 0, 2 * words * sizeof(uint64_t));
        memset(owner_, 0, narenas);
        memset(used_, 0, narenas * sizeof(uint32_t));
    }
    for (size_t& h : hint_) h = 0;
    free_hint_ = 0;
    // The records' own pages are marked used in the bitmap only: every walk over pages
    // starts past them (first_usable), and writing their records would commit the records
    // of a large pool's first pages for nothing.
    for (size_t i = 0; i < first_; ++i) {
        set_used(i, true);
        owner_[i / arena_] = kKernelSlot + 1;
        ++used_[i / arena_];
    }
    // Pages past the end of the pool in the last bitmap word count as used.
    for (size_t i = npages; i < words * 64; ++i) bitmap_[i / 64] |= 1ULL << (i % 64);
    free_ = npages - first_;
}

void PageAllocator::set_used(size_t i, bool used) {
    if (used)
        bitmap_[i / 64] |= 1ULL << (i % 64);
    else
        bitmap_[i / 64] &= ~(1ULL << (i % 64));
}

size_t PageAllocator::run_in(size_t lo, size_t hi, size_t n) const {
    if (n == 1) {  // the first free bit, a bitmap word at a time
        for (size_t i = lo; i < hi; i = (i / 64 + 1) * 64) {
            if (const uint64_t free = ~bitmap_[i / 64] >> (i % 64)) {
                const size_t j = i + static_cast<size_t>(__builtin_ctzll(free));
                return j < hi ? j : kNone;
            }
        }
        return kNone;
    }
    size_t runlen = 0;
    for (size_t i = lo; i < hi;) {
        if (i % 64 == 0 && i + 64 <= hi && bitmap_[i / 64] == ~uint64_t{0}) {
            runlen = 0;
            i += 64;
            continue;
        }
        runlen = is_free(i) ? runlen + 1 : 0;
        ++i;
        if (runlen == n) return i - n;
    }
    return kNone;
}

size_t PageAllocator::find_run(size_t n, uint8_t owner) {
    const size_t na = arenas();
    size_t& hint = hint_[owner - 1];
    if (n <= arena_) {
        // The arena the owner took pages from last, then its others with room, then a free one.
        const auto room = [this](size_t a) { return arena_end(a) - a * arena_ - used_[a]; };
        if (hint < na && owner_[hint] == owner && room(hint) >= n)
            if (const size_t r = run_in(hint * arena_, arena_end(hint), n); r != kNone) return r;
        for (size_t a = 0; a < na; ++a) {
            if (owner_[a] != owner || a == hint || room(a) < n) continue;
            if (const size_t r = run_in(a * arena_, arena_end(a), n); r != kNone) {
                hint = a;
                return r;
            }
        }
        for (size_t a = free_hint_; a < na; ++a) {
            if (owner_[a] != kArenaNone || room(a) < n) continue;
            owner_[a] = owner;
            hint = a;
            free_hint_ = a;
            return a * arena_;
        }
        return kNone;
    }
    // Larger than an arena: consecutive free arenas, all the owner's.
    const size_t k = (n + arena_ - 1) / arena_;
    for (size_t a = free_hint_; a + k <= na; ++a) {
        size_t j = 0;
        while (j < k && owner_[a + j] == kArenaNone) ++j;
        if (j < k) {
            a += j;  // none of the arenas up to a + j can start such a run
            continue;
        }
        if (arena_end(a + k - 1) - a * arena_ < n) return kNone;
        for (j = 0; j < k; ++j) owner_[a + j] = owner;
        hint = a + k - 1;
        return a * arena_;
    }
    return kNone;
}

void* PageAllocator::alloc(size_t n, PageUse use, int owner) {
    if (n == 0 || n > free_ || owner < 0 || owner >= kMaxProcs) return nullptr;
    const size_t start = find_run(n, static_cast<uint8_t>(owner + 1));
    if (start == kNone) return nullptr;
    for (size_t i = start; i < start + n; ++i) {
        set_used(i, true);
        ++used_[i / arena_];
        meta_[i] = PageInfo();
        meta_[i].use = use;
        layout_heads_[i] = goos_layout_head{};  // no one's layout until its origin writes one
        memset(walked_bits_ + i * (kPageSize / 8 / 64), 0, kPageSize / 8 / 8);  // nothing on it walked
        set_shared(i, false);
        clear_dirty(i);
    }
    meta_[start].run = static_cast<uint16_t>(n > 0xffff ? 0 : n);
    free_ -= n;
    return reinterpret_cast<void*>(page_at(start));
}

void PageAllocator::free(void* page, size_t n) {
    const size_t start = index_of(reinterpret_cast<uintptr_t>(page));
    for (size_t i = start; i < start + n; ++i) {
        meta_[i] = PageInfo();
        set_used(i, false);
        set_shared(i, false);
        clear_dirty(i);
        const size_t a = i / arena_;
        if (--used_[a] == 0) {
            owner_[a] = kArenaNone;
            if (a < free_hint_) free_hint_ = a;
        }
    }
    free_ += n;
}

void PageAllocator::retire(int owner) {
    const auto o = static_cast<uint8_t>(owner + 1);
    for (size_t a = 0; a < arenas(); ++a) {
        if (owner_[a] != o) continue;
        owner_[a] = used_[a] ? kArenaRetired : kArenaNone;
        if (!used_[a] && a < free_hint_) free_hint_ = a;
    }
    hint_[owner] = 0;
}

}  // namespace kernel
