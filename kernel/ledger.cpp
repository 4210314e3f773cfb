#include "ledger.h"

#include "kblock.h"
#include "kernel.h"
#include "uaccess.h"

namespace kernel {

namespace {

LedgerStats stats;
constexpr uint32_t kMaxObjectsPerPage = kPageSize / 8;

PageInfo* process_page(uint64_t addr) {
    if (addr % kPageSize || !k.pages.contains(addr)) return nullptr;
    PageInfo& info = k.pages.info(addr);
    return info.use == PageUse::Process ? &info : nullptr;
}

uint32_t total_objects(const PageInfo& info) {
    uint32_t n = 0;
    for (uint16_t c : info.owned) n += c;
    return n;
}

// A page no one holds and no message touches goes back to the pool.
// A page may be named twice by one message (moved and touched); the second time it is
// already free.
bool settle(PageInfo& info, uintptr_t page) {
    if (info.use != PageUse::Process || info.holders != 0 || info.inflight != 0) return false;
    if (Process* origin = process_by_slot(info.origin)) --origin->pages;
    k.pages.free(reinterpret_cast<void*>(page), 1);
    ++stats.pages_recycled;
    return true;
}

// Settles a page outside a process exit: counted as settled later.
void settle_addr(uint64_t addr) {
    if (settle(k.pages.info(addr), addr)) ++stats.settled_later;
}

// A message record (kblock.h), charged to its sender while both live.
Transfer* new_record(Process* sender, size_t bytes) {
    if (sender->over_budget(0, kblock_cost(bytes))) return nullptr;
    const KBlock a = kblock_alloc(bytes, PageUse::Buffer);
    if (!a.mem) return nullptr;
    auto* x = static_cast<Transfer*>(a.mem);
    x->self = a;
    x->sender = sender->pid;
    sender->kernel_bytes += a.bytes;
    return x;
}

void free_record(Transfer* x) {
    if (Process* sender = process_by_pid(x->sender)) sender->kernel_bytes -= x->self.bytes;
    kblock_free(x->self);
}

// Walks over the pages in use only (the allocator's bitmap), skipping free runs a word at
// a time: the scans below run at every process end and mark, and a pool is mostly free.
size_t first_process_page() {
    return k.pages.next_used(k.pages.first_usable());
}
size_t next_process_page(size_t i) {
    return k.pages.next_used(i + 1);
}

// Does a blocked thread of p name memory on this page: a value it offers, or the place a
// value it waits for will be written? Such a page must stay p's until the wait ends.
bool named_by_waiter(Process* p, uintptr_t page) {
    for (Thread* t = p->threads.front(); t; t = p->threads.next(t)) {
        for (uint32_t i = 0; t->waiters && i < t->nwaiters; ++i) {
            const Waiter& w = t->waiters[i];
            const uint32_t size = w.chan->elem_size;
            if (!w.elem || !size) continue;
            const auto first = reinterpret_cast<uintptr_t>(w.elem) & ~(kPageSize - 1);
            const auto last = (reinterpret_cast<uintptr_t>(w.elem) + size - 1) & ~(kPageSize - 1);
            if (page >= first && page <= last) return true;
        }
    }
    return false;
}

// Flags (or clears) Channel::waited on every channel a thread of p waits on (a blocked
// send, receive or select case): a process holds every channel one of its threads waits on.
void flag_waited(Process* p, bool on) {
    for (Thread* t = p->threads.front(); t; t = p->threads.next(t))
        for (uint32_t i = 0; t->waiters && i < t->nwaiters; ++i) t->waiters[i].chan->waited = on;
}

}  // namespace

Result<uintptr_t> ledger_page_alloc(Process* p, size_t n) {
    if (n == 0 || n > GOOS_MAX_TRANSFER) return Error::BAD_SIZE;
    if (p->over_budget(n)) return Error::NO_MEMORY;
    void* page = k.pages.alloc(n, PageUse::Process);
    if (!page) return Error::NO_MEMORY;
    ledger_adopt_pages(p, reinterpret_cast<uintptr_t>(page), n);
    return reinterpret_cast<uintptr_t>(page);
}

void ledger_adopt_pages(Process* p, uintptr_t base, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        PageInfo& info = k.pages.info(base + i * GOOS_PAGE_SIZE);
        info.origin = p->slot;
        info.holders = p->bit();
    }
    p->pages += n;
    stats.pages_allocated += n;
    const uint64_t now = stats.pages_allocated - stats.pages_recycled;
    if (now > stats.pages_peak) stats.pages_peak = now;
}

Result<void> ledger_page_release(Process* p, uintptr_t page) {
    PageInfo* info = process_page(page);
    if (!info || !(info->holders & p->bit())) return Error::BAD_ADDRESS;
    if (info->origin != p->slot) return Error::NOT_OWNER;
    if (info->owned[p->slot]) return Error::BAD_ARGUMENT;  // still has live objects
    if (named_by_waiter(p, page)) return Error::BAD_ARGUMENT;
    info->holders &= ~p->bit();
    settle_addr(page);
    return {};
}

Result<void> ledger_obj_alloc(Process* p, uintptr_t page, uint32_t n) {
    PageInfo* info = process_page(page);
    if (!info || !(info->holders & p->bit())) return Error::BAD_ADDRESS;
    if (info->origin != p->slot) return Error::NOT_OWNER;
    // A freed slot is reused only while its page is clean (DESIGN.md).
    if (info->holders != p->bit() || info->inflight) return Error::BAD_ARGUMENT;
    if (n == 0 || total_objects(*info) + n > kMaxObjectsPerPage) return Error::BAD_SIZE;
    info->owned[p->slot] = static_cast<uint16_t>(info->owned[p->slot] + n);
    return {};
}

Result<void> ledger_obj_free(Process* p, uintptr_t page, uint32_t n) {
    PageInfo* info = process_page(page);
    if (!info || !(info->holders & p->bit())) return Error::BAD_ADDRESS;
    if (n == 0 || info->owned[p->slot] < n) return Error::NOT_OWNER;  // invariant 5
    info->owned[p->slot] = static_cast<uint16_t>(info->owned[p->slot] - n);
    return {};
}

Result<int64_t> ledger_page_state(Process* p, uintptr_t page) {
    const PageInfo* info = process_page(page);
    if (!info || !(info->holders & p->bit())) return Error::BAD_ADDRESS;
    if (info->origin != p->slot) return Error::NOT_OWNER;
    return (info->holders != p->bit() ? GOOS_PAGE_SHARED : 0) | (info->inflight ? GOOS_PAGE_IN_FLIGHT : 0);
}

Result<void> ledger_mark_begin(Process* p) {
    p->mark_seq = ++k.ledger_seq;
    p->marking = true;
    return {};
}

Result<void> ledger_mark_end(Process* p, const uint64_t* pages, uint32_t n) {
    if (!p->marking) return Error::BAD_ARGUMENT;
    if (!aligned(pages)) return Error::BAD_ADDRESS;
    for (uint32_t i = 0; i < n; ++i)
        if (pages[i] % kPageSize || !k.pages.contains(pages[i])) return Error::BAD_ADDRESS;
    for (uint32_t i = 0; i < n; ++i) k.pages.info(pages[i]).reached = 1;
    const uint64_t bit = p->bit();
    for (size_t i = first_process_page(); i < k.pages.npages(); i = next_process_page(i)) {
        PageInfo& info = k.pages.info_at(i);
        if (info.use != PageUse::Process) continue;
        const bool keep = info.reached || !(info.holders & bit) || info.origin == p->slot || info.owned[p->slot] ||
                          info.grant_seq > p->mark_seq;
        if (keep || named_by_waiter(p, k.pages.page_at(i))) continue;
        info.holders &= ~bit;
        settle_addr(k.pages.page_at(i));
    }
    // Channels are held like pages (DESIGN.md, "Channels"): p stops holding one whose
    // header page the mark did not reach, unless a hold on it was granted since the mark
    // began or one of p's threads waits on it. (A header page holds several channels, so a
    // channel may be kept for a neighbour's sake: a bounded excess.) Those no one holds
    // any more, no name publishes and no message carries are freed.
    bool dropped = false;
    flag_waited(p, true);
    for (Channel* c = k.channels.front(); c; c = k.channels.next(c)) {
        if (!(c->holders & bit) || c->grant_seq > p->mark_seq || c->waited) continue;
        if (k.pages.info(reinterpret_cast<uintptr_t>(c) & ~(kPageSize - 1)).reached) continue;
        c->holders &= ~bit;
        dropped = true;
    }
    flag_waited(p, false);
    for (uint32_t i = 0; i < n; ++i) k.pages.info(pages[i]).reached = 0;
    if (dropped) {
        ++k.chan_epoch;  // a value a thread checked may now name a freed channel
        chan_collect();
    }
    p->marking = false;
    return {};
}

Result<void> transfer_check(Thread* t, const goos_transfer* d) {
    if (!d) return {};
    if (!aligned(d) || !user_readable(t, d, sizeof *d)) return Error::BAD_ADDRESS;
    if (d->nmoves > GOOS_MAX_TRANSFER || d->ntouched > GOOS_MAX_TRANSFER || d->nchans > GOOS_MAX_TRANSFER ||
        d->nobjects > GOOS_MAX_OBJECTS)
        return Error::BAD_SIZE;
    if (!aligned(d->moves) || !aligned(d->touched) || !aligned(d->chans) || !aligned(d->objects))
        return Error::BAD_ADDRESS;
    if (!user_readable(t, d->moves, uint64_t{d->nmoves} * sizeof(goos_move)) ||
        !user_readable(t, d->touched, uint64_t{d->ntouched} * sizeof(uint64_t)) ||
        !user_readable(t, d->chans, uint64_t{d->nchans} * sizeof(uint64_t)) ||
        !user_readable(t, d->objects, uint64_t{d->nobjects} * sizeof(goos_object)))
        return Error::BAD_ADDRESS;
    return {};
}

Result<Transfer*> ledger_commit(Process* s, const goos_transfer* d, bool moves_as_touched) {
    if (!d || (d->nmoves == 0 && d->ntouched == 0 && d->nchans == 0)) return static_cast<Transfer*>(nullptr);
    for (uint32_t i = 0; i < d->ntouched; ++i) {
        PageInfo* info = process_page(d->touched[i]);
        if (!info || !(info->holders & s->bit())) return Error::BAD_ADDRESS;
    }
    for (uint32_t i = 0; i < d->nchans; ++i) TRY(chan_from_user(s, d->chans[i]));
    // The objects moved must be the sender's; sum per page first (a page may repeat).
    Error bad = Error::OK;
    for (uint32_t i = 0; i < d->nmoves && bad == Error::OK; ++i) {
        PageInfo* info = process_page(d->moves[i].page);
        if (!info || !(info->holders & s->bit()) || d->moves[i].count == 0) {
            bad = Error::BAD_ADDRESS;
        } else if (!moves_as_touched && uint32_t{info->scratch} + d->moves[i].count > info->owned[s->slot]) {
            bad = Error::NOT_OWNER;
        } else {
            info->scratch = static_cast<uint16_t>(info->scratch + d->moves[i].count);
        }
    }
    // A list of the objects must add up to the moves: as many objects starting on each page
    // as the page's moves count (the receiver's collector trusts the list).
    const uint32_t nobjects = moves_as_touched ? 0 : d->nobjects;
    if (bad == Error::OK && nobjects) {
        for (uint32_t i = 0; i < nobjects && bad == Error::OK; ++i) {
            const goos_object& o = d->objects[i];
            PageInfo* info = process_page(o.addr & ~(kPageSize - 1));
            if (!info || info->scratch == 0 || o.size == 0 || o.addr + o.size < o.addr)
                bad = Error::BAD_ARGUMENT;
            else
                --info->scratch;
        }
        for (uint32_t i = 0; i < d->nmoves && bad == Error::OK; ++i)
            if (process_page(d->moves[i].page)->scratch) bad = Error::BAD_ARGUMENT;
    }
    for (uint32_t i = 0; i < d->nmoves; ++i)
        if (PageInfo* info = process_page(d->moves[i].page)) info->scratch = 0;
    if (bad != Error::OK) return bad;

    const uint32_t nmoves = moves_as_touched ? 0 : d->nmoves;
    const uint32_t ntouched = d->ntouched + (moves_as_touched ? d->nmoves : 0);
    const size_t bytes = sizeof(Transfer) + ntouched * sizeof(uint64_t) + nmoves * sizeof(goos_move) +
                         d->nchans * sizeof(Channel*) +  // NOLINT(bugprone-sizeof-expression): pointers are stored
                         size_t{nobjects} * sizeof(goos_object);
    Transfer* x = new_record(s, bytes);
    if (!x) return Error::NO_MEMORY;
    x->nmoves = nmoves;
    x->ntouched = ntouched;
    x->nchans = d->nchans;
    x->nobjects = nobjects;
    if (d->ntouched) memcpy(x->touched(), d->touched, d->ntouched * sizeof(uint64_t));
    if (moves_as_touched)
        for (uint32_t i = 0; i < d->nmoves; ++i) x->touched()[d->ntouched + i] = d->moves[i].page;
    else if (nmoves)
        memcpy(x->moves(), d->moves, nmoves * sizeof(goos_move));
    for (uint32_t i = 0; i < d->nchans; ++i) {
        Channel* c = k.chans.lookup(k.pages, d->chans[i]);
        x->chans()[i] = c;
        ++c->inflight;
    }
    if (nobjects) memcpy(x->objects(), d->objects, size_t{nobjects} * sizeof(goos_object));
    for (uint32_t i = 0; i < x->ntouched; ++i) ++k.pages.info(x->touched()[i]).inflight;
    for (uint32_t i = 0; i < x->nmoves; ++i) {
        PageInfo& info = k.pages.info(x->moves()[i].page);
        const uint32_t n = x->moves()[i].count;
        info.owned[s->slot] = static_cast<uint16_t>(info.owned[s->slot] - n);
        info.owned[kKernelSlot] = static_cast<uint16_t>(info.owned[kKernelSlot] + n);
        ++info.inflight;
        stats.objects_moved += n;
    }
    ++stats.transfers;
    return x;
}

namespace {
// Moves a message's objects from the kernel to `to` (nullptr: they die) and lets go of
// the pages and channels it touched; `to` comes to hold them. The record is freed, or
// left with `keeper` when it lists objects.
void finish(Transfer* x, Process* to, Thread* keeper = nullptr) {
    const uint64_t bit = to ? to->bit() : 0;
    const uint64_t seq = ++k.ledger_seq;
    for (uint32_t i = 0; i < x->nmoves; ++i) {
        PageInfo& info = k.pages.info(x->moves()[i].page);
        const uint32_t n = x->moves()[i].count;
        info.owned[kKernelSlot] = static_cast<uint16_t>(info.owned[kKernelSlot] - n);
        if (to) info.owned[to->slot] = static_cast<uint16_t>(info.owned[to->slot] + n);
    }
    for (uint32_t pass = 0; pass < 2; ++pass) {
        const uint32_t n = pass == 0 ? x->ntouched : x->nmoves;
        for (uint32_t i = 0; i < n; ++i) {
            const uint64_t page = pass == 0 ? x->touched()[i] : x->moves()[i].page;
            PageInfo& info = k.pages.info(page);
            --info.inflight;
#ifdef GOOS_PLANTED_LEDGER_BUG
            // Planted for the fuzz test (fuzz/CMakeLists.txt): a receiver is not recorded
            // as holding the pages its message only touched.
            if (pass == 0 && to) continue;
#endif
            info.holders |= bit;
            if (to) info.grant_seq = seq;
        }
    }
    for (uint32_t i = 0; i < x->nchans; ++i) {
        --x->chans()[i]->inflight;
        x->chans()[i]->holders |= bit;
        if (to) x->chans()[i]->grant_seq = seq;
    }
    if (to && to->pid != x->sender)
        to->granted(uint64_t{x->ntouched + x->nmoves} * kPageSize + uint64_t{x->nchans} * kChanHeaderBytes);
    if (!to) {
        for (uint32_t i = 0; i < x->ntouched; ++i) settle_addr(x->touched()[i]);
        for (uint32_t i = 0; i < x->nmoves; ++i) settle_addr(x->moves()[i].page);
    }
    if (keeper && x->nobjects) {
        ledger_drop_taken(keeper);
        keeper->taken = x;
        return;
    }
    free_record(x);
}
}  // namespace

void ledger_grant(Thread* receiver, Transfer* x) {
    finish(x, receiver->proc, receiver);
}

void ledger_drop_taken(Thread* t) {
    if (t->taken) free_record(t->taken);
    t->taken = nullptr;
}
void ledger_undo(Process* sender, Transfer* x) {
    finish(x, sender);
}
void ledger_discard(Transfer* x) {
    finish(x, nullptr);
}

void ledger_process_end(Process* p) {
    const uint64_t bit = p->bit();
    for (size_t i = first_process_page(); i < k.pages.npages(); i = next_process_page(i)) {
        PageInfo& info = k.pages.info_at(i);
        if (info.use != PageUse::Process) continue;
        info.owned[p->slot] = 0;
        if (info.origin == p->slot) info.origin = kKernelSlot;  // the slot may be reused
        if (!(info.holders & bit)) continue;
        info.holders &= ~bit;
        if (settle(info, k.pages.page_at(i))) ++stats.recycled_at_exit;
    }
}

bool ledger_range_held(Process* p, uintptr_t addr, uint64_t len) {
    if (len == 0) return true;
    if (addr + len < addr) return false;
    for (uintptr_t page = addr & ~(kPageSize - 1); page < addr + len; page += kPageSize) {
        PageInfo* info = process_page(page);
        if (!info || !(info->holders & p->bit())) return false;
    }
    return true;
}

// Counts for reports (goos-sim's summary, tests): the ownership fuzzer compares them with
// its model after every step, where coverage instrumentation of this walk (the same edges
// whatever the input) cost more than the walk.
#if defined(__clang__)
__attribute__((no_sanitize("coverage")))
#endif
LedgerStats
ledger_stats() {
    LedgerStats s = stats;
    s.pages_in_use = s.pages_dirty = 0;
    for (size_t i = first_process_page(); i < k.pages.npages(); i = next_process_page(i)) {
        const PageInfo& info = k.pages.info_at(i);
        if (info.use != PageUse::Process) continue;
        ++s.pages_in_use;
        const uint64_t origin_bit = info.origin ? 1ULL << info.origin : 0;
        if ((info.holders & ~origin_bit) || info.inflight) ++s.pages_dirty;
    }
    return s;
}

void ledger_reset() {
    stats = LedgerStats();
}

}  // namespace kernel
