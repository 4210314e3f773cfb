#include "ledger.h"

#include "chanset.h"
#include "kblock.h"
#include "kernel.h"
#include "sched.h"
#include "uaccess.h"

namespace kernel {

namespace {

LedgerStats stats;

// Pages only messages hold (ledger_orphaned), and whether their payers may have changed
// since ledger_settle_orphans last ran.
uint64_t orphaned_pages = 0;
bool orphans_dirty = false;

PageInfo* process_page(uint64_t addr) {
    if (addr % kPageSize || !k.pages.contains(addr)) return nullptr;
    PageInfo& info = k.pages.info(addr);
    return info.use == PageUse::Process ? &info : nullptr;
}

// The page's shared bit (abi.h) after its holders or messages changed: set while anyone
// but its origin holds it (which makes it dirty too).
void refresh(const PageInfo& info, uintptr_t page) {
    const uint64_t origin = info.origin ? 1ULL << info.origin : 0;
    k.pages.set_shared(k.pages.index_of(page), (info.holders & ~origin) != 0 || info.inflight != 0);
}

}  // namespace

// Charges (DESIGN.md, "Charging"): a page is charged to its holders other than its
// origin, split evenly, or to its origin while no one else holds it. A page that only
// messages hold, its origin gone, is charged to no one. The parts of one page add up to
// kChargeUnit exactly (the lowest slot takes what the division leaves).
uint64_t ledger_payers(const PageInfo& info) {
    const uint64_t origin = info.origin ? 1ULL << info.origin : 0;
    const uint64_t others = info.holders & ~origin;
    return others ? others : info.holders & origin;
}

namespace {

void charge(uint64_t who, bool add) {
    each_part(who, kChargeUnit, [add](int slot, uint64_t c) {
        Process* q = k.slots[slot];
        q->charge = add ? q->charge + c : q->charge - c;
    });
}

// What a page only messages hold was charged goes back: it is no longer such a page.
void uncharge_orphan(PageInfo& info) {
    if (!info.orphan_payers) return;
    charge(info.orphan_payers, false);
    info.orphan_payers = 0;
}

// The page's orphaned state went from `was` to what it is now.
void note_orphan(PageInfo& info, bool was) {
    const bool now = ledger_orphaned(info);
    if (was == now) return;
    orphans_dirty = true;
    if (now) {
        ++orphaned_pages;
    } else {
        --orphaned_pages;
        uncharge_orphan(info);
    }
}

// A charge that grows because others let go counts as allocation for pacing (DESIGN.md,
// "Charging, pacing"): each payer that held the page already is granted what its part
// grew by. (A new holder's part came with its grant, which granted_to counts.)
void pace_grown(uint64_t before, uint64_t after, uint64_t held_before) {
    const uint64_t nb = bits_set(before), na = bits_set(after);
    const int lead_before = before ? __builtin_ctzll(before) : -1;
    bool lead = true;
    for (uint64_t w = after; w; w &= w - 1, lead = false) {
        const int slot = __builtin_ctzll(w);
        if (!(held_before >> slot & 1)) continue;
        const uint64_t now = charge_part(na, lead);
        const uint64_t was = before >> slot & 1 ? charge_part(nb, slot == lead_before) : 0;
        if (now > was) k.slots[slot]->granted((now - was) * kPageSize / kChargeUnit);
    }
}

// Every change of a page's holders or origin goes through here: the holders' sets of
// pages follow, and its charge moves from its old payers to its new ones.
void set_holders(PageInfo& info, uint64_t holders, uint8_t origin) {
    if (const uint64_t changed = info.holders ^ holders) {
        const size_t i = k.pages.index_of(info);
        for (uint64_t c = changed; c; c &= c - 1) {
            const int slot = __builtin_ctzll(c);
            if (holders >> slot & 1)
                k.slots[slot]->held.add(i);
            else
                k.slots[slot]->held.remove(i);
        }
    }
    const uint64_t before = ledger_payers(info);
    const uint64_t held_before = info.holders;
    const bool was_orphaned = ledger_orphaned(info);
    info.holders = holders;
    info.origin = origin;
    note_orphan(info, was_orphaned);
    const uint64_t after = ledger_payers(info);
    if (before == after) return;
    charge(before, false);
    charge(after, true);
    pace_grown(before, after, held_before);
}

// A page no one holds and no message touches goes back to the pool; any other is
// refreshed. A page may be named twice by one message; the second time it is already free.
bool settle(PageInfo& info, uintptr_t page) {
    if (info.use != PageUse::Process) return false;
    if (info.holders != 0 || info.inflight != 0) {
        refresh(info, page);
        return false;
    }
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
    auto* x = new (a.mem) Transfer();
    x->self_bytes = a.bytes;
    x->self_npages = a.npages;
    x->self_cls = a.cls;
    x->sender = sender->pid;
    x->payer = sender->pid;
    sender->kernel_bytes += a.bytes;
    k.messages.push_back(x);
    return x;
}

void free_record(Transfer* x) {
    k.messages.remove(x);
    if (Process* payer = process_by_pid(x->payer)) {
        payer->kernel_bytes -= x->self_bytes;
    } else if (!x->payer && x->where) {  // its sender ended: its channel's holders paid
        x->where->orphan_bytes -= x->self_bytes;
        chan_recharge(x->where);
    }
    kblock_free(x->block());
}

// Walks over the pages in use only (the allocator's bitmap), skipping free runs a word at
// a time: the scans below run at every process end and mark, and a pool is mostly free.
size_t first_process_page() {
    return k.pages.next_used(k.pages.first_usable());
}
size_t next_process_page(size_t i) {
    return k.pages.next_used(i + 1);
}

// f(first, last) for the pages each blocked thread of p names: a value it offers, or the
// place a value it waits for will be written. Such a page must stay p's until the wait ends.
template <class F>
void each_waiter_range(Process* p, F f) {
    for (Thread* t = p->threads.front(); t; t = p->threads.next(t)) {
        for (uint32_t i = 0; t->waiters && i < t->nwaiters; ++i) {
            const Waiter& w = t->waiters[i];
            const uint32_t size = w.chan->elem_size;
            if (!w.elem || !size) continue;
            f(reinterpret_cast<uintptr_t>(w.elem) & ~(kPageSize - 1),
              (reinterpret_cast<uintptr_t>(w.elem) + size - 1) & ~(kPageSize - 1));
        }
    }
}

bool named_by_waiter(Process* p, uintptr_t page) {
    bool named = false;
    each_waiter_range(p, [&](uintptr_t first, uintptr_t last) { named |= page >= first && page <= last; });
    return named;
}

// Sets (or clears) PageInfo::reached on every pool page a blocked thread of p names, so that
// a mark's end keeps them at the cost of its waits, not of its waits times its pages.
void flag_waiter_pages(Process* p, uint8_t on) {
    each_waiter_range(p, [on](uintptr_t first, uintptr_t last) {
        for (uintptr_t page = first; page <= last; page += kPageSize)
            if (k.pages.contains(page)) k.pages.info(page).reached = on;
    });
}

// Flags (or clears) Channel::waited on every channel a thread of p waits on (a blocked
// send, receive or select case): a process holds every channel one of its threads waits on.
void flag_waited(Process* p, bool on) {
    for (Thread* t = p->threads.front(); t; t = p->threads.next(t))
        for (uint32_t i = 0; t->waiters && i < t->nwaiters; ++i) t->waiters[i].chan->waited = on;
}

}  // namespace

void ledger_ask(Process* p) {
    if (!p->info) return;  // a built-in program has no collector
    ++p->info->collect_asks;
    if (Thread* t = p->ask_waiter) {
        p->ask_waiter = nullptr;
        wake(t, 0);
    }
}

namespace {
constexpr uint64_t kSilentNs = 100'000'000;

// The pool below an eighth free; p's charge within an eighth of its budget.
bool pool_low() {
    return k.pages.free_pages() < k.pages.npages() / 8;
}
bool near_budget(const Process* p) {
    return p->over_budget(p->page_limit / 8);
}
bool under_pressure(const Process* p) {
    return pool_low() || near_budget(p);
}

// Asks p to collect because memory is short: it must answer (ledger_tick), unless it is
// marking already.
void press(Process* p) {
    if (p->info && !p->pressed && !p->marking) {
        p->pressed = true;
        p->silent_ns = 0;
    }
    ledger_ask(p);
}

// Ends p for the memory it holds: `why`, what it is charged, and what it holds.
void end_for_memory(Process* p, const char* why) {
    uint64_t own = 0, others = 0;
    p->held.each([&](size_t i) { ++(k.pages.info_at(i).origin == p->slot ? own : others); });
    char data[512];
    Buf out(data, sizeof data);
    out.str("goos: process ").unum(p->pid).str(" (").str(p->name).str(") ended: ").str(why);
    out.str(": charged ").unum(p->charged_pages()).str(" pages; it holds ").unum(others);
    out.str(" pages of other programs and ").unum(own).str(" of its own\n");
    out.str("[process ").unum(p->pid).str(" (").str(p->name).str(") exited with status 2]\n");
    process_end(p, 2, out.c_str());
}
}  // namespace

void ledger_tick(Process* p, uint64_t ns) {
    if (!p->pressed || p->marking) return;  // a mark under way is its answer
    if (!under_pressure(p)) {
        p->pressed = false;
        return;
    }
    p->silent_ns += ns;
    if (p->silent_ns < kSilentNs) return;
    char why[160];
    Buf b(why, sizeof why);
    b.str("asked to collect under memory pressure, it began no mark in 100 ms of its run time (budget ");
    b.unum(p->page_limit).str(" pages)");
    end_for_memory(p, b.c_str());
}

// Asks every program to collect when the pool runs low: pages another program holds come
// back to their origin only after the holder's mark let go of them and the origin's next
// sweep, so a program that only receives must be asked. Below an eighth of the pool free,
// once per 1/64 of the pool handed out; and whenever an allocation fails.
static void ask_to_collect(bool failed) {
    const size_t pool = k.pages.npages();
    if (!failed && (!pool_low() || stats.pages_allocated < k.asked_at + pool / 64)) return;
    k.asked_at = stats.pages_allocated;
    for (Process* p = k.processes.front(); p; p = k.processes.next(p)) press(p);
}

namespace {
// q came to hold npages pages and nchans channels it did not make: they count as its
// allocation for pacing (goos_start_info::granted_bytes), and once more than an eighth of
// its budget (at least 64 pages) came so since its last mark began, it is asked to
// collect, so that a program that only holds (a receiver blocked for good, say) lets go
// of what it no longer reaches. So is one whose charge came within an eighth of its
// budget: a mark that leaves it over its budget ends it (ledger_enforce_budget).
void granted_to(Process* q, uint64_t npages, uint64_t nchans) {
    if (!npages && !nchans) return;  // nothing it did not hold already
    q->granted(npages * kPageSize + nchans * kChanHeaderBytes);
    q->granted_pages += npages;
    size_t share = q->page_limit < k.pages.npages() ? q->page_limit : k.pages.npages();
    share = share / 8 > 64 ? share / 8 : 64;
    const bool near = near_budget(q);
    if (!q->asked && (q->granted_pages >= share || near)) {
        q->asked = true;
        if (near)
            press(q);
        else
            ledger_ask(q);
    }
}
}  // namespace

Result<uintptr_t> ledger_page_alloc(Process* p, size_t n) {
    if (n == 0 || n > k.pages.npages()) return Error::BAD_SIZE;
    // A collector may go over its budget by an eighth for its own records while it marks
    // (the mark's end decides whether the program goes on: ledger_enforce_budget), and by
    // no more, so that a mark begun and never ended is no way around the budget.
    if (p->over_budget(n, 0, p->marking ? p->page_limit / 8 : 0)) return Error::NO_MEMORY;
    void* page = k.pages.alloc(n, PageUse::Process, p->slot);
    ask_to_collect(!page);
    if (!page) return Error::NO_MEMORY;
    // A page comes back from whoever had it last: nothing of theirs may reach the next.
    memset(page, 0, n * kPageSize);
    ledger_adopt_pages(p, reinterpret_cast<uintptr_t>(page), n);
    return reinterpret_cast<uintptr_t>(page);
}

void ledger_adopt_pages(Process* p, uintptr_t base, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        set_holders(k.pages.info(base + i * GOOS_PAGE_SIZE), p->bit(), p->slot);
    }
    stats.pages_allocated += n;
    const uint64_t now = stats.pages_allocated - stats.pages_recycled;
    if (now > stats.pages_peak) stats.pages_peak = now;
}

Result<void> ledger_page_release(Process* p, uintptr_t page) {
    PageInfo* info = process_page(page);
    if (!info || !(info->holders & p->bit())) return Error::BAD_ADDRESS;
    if (info->origin != p->slot) return Error::NOT_OWNER;
    if (named_by_waiter(p, page)) return Error::BAD_ARGUMENT;
    set_holders(*info, info->holders & ~p->bit(), kKernelSlot);
    settle_addr(page);
    return {};
}

Result<void> ledger_mark_begin(Process* p) {
    p->mark_seq = ++k.ledger_seq;
    p->marking = true;
    p->granted_pages = 0;
    p->asked = false;
    p->pressed = false;  // it answered
    // From here on the page stays clean only if no one else comes to hold it (abi.h).
    p->held.each([p](size_t i) {
        if (k.pages.info_at(i).origin == p->slot && !k.pages.shared(i)) k.pages.clear_dirty(i);
    });
    return {};
}

Result<void> ledger_mark_end(Process* p, const uint64_t* pages, uint32_t n) {
    if (!p->marking) return Error::BAD_ARGUMENT;
    if (!aligned(pages)) return Error::BAD_ADDRESS;
    for (uint32_t i = 0; i < n; ++i)
        if (pages[i] % kPageSize || !k.pages.contains(pages[i])) return Error::BAD_ADDRESS;
    for (uint32_t i = 0; i < n; ++i) k.pages.info(pages[i]).reached = 1;
    flag_waiter_pages(p, 1);
    const uint64_t bit = p->bit();
    p->held.each([p, bit](size_t i) {
        PageInfo& info = k.pages.info_at(i);
        const bool keep = info.reached || info.origin == p->slot || info.grant_seq > p->mark_seq;
        if (keep) return;
        set_holders(info, info.holders & ~bit, info.origin);
        settle_addr(k.pages.page_at(i));
    });
    // Channels are held like pages (DESIGN.md, "Channels"): p stops holding one whose
    // header page the mark did not reach, unless a hold on it was granted since the mark
    // began or one of p's threads waits on it. (A header page holds several channels, so a
    // channel may be kept for a neighbour's sake: a bounded excess.) Those no one holds
    // any more, no name publishes and no message carries are freed.
    bool dropped = false;
    flag_waited(p, true);
    chans_of(p, [&](Channel* c) {
        if (!(c->holders & bit) || c->grant_seq > p->mark_seq || c->waited) return;
        if (k.pages.info(reinterpret_cast<uintptr_t>(c) & ~(kPageSize - 1)).reached) return;
        c->holders &= ~bit;
        chan_maybe_dead(c);
        chan_recharge(c);  // what it cost p goes to its other holders
        dropped = true;
    });
    flag_waited(p, false);
    for (uint32_t i = 0; i < n; ++i) k.pages.info(pages[i]).reached = 0;
    flag_waiter_pages(p, 0);
    if (dropped) {
        ++k.chan_epoch;  // a value a thread checked may now name a freed channel
        chan_collect();
    }
    p->marking = false;
    return {};
}

void ledger_enforce_budget(Process* p) {
    if (!p->over_budget(0)) return;
    char why[96];
    Buf b(why, sizeof why);
    b.str("over its budget of ").unum(p->page_limit).str(" pages after it collected");
    end_for_memory(p, b.c_str());
}

Result<void> transfer_check(Thread* t, const goos_transfer* d) {
    if (!d) return {};
    if (!aligned(d) || !user_readable(t, d, sizeof *d)) return Error::BAD_ADDRESS;
    if (d->npages > GOOS_MAX_TRANSFER || d->nchans > GOOS_MAX_TRANSFER) return Error::BAD_SIZE;
    if (!aligned(d->pages) || !aligned(d->chans)) return Error::BAD_ADDRESS;
    if (!user_readable(t, d->pages, uint64_t{d->npages} * sizeof(uint64_t)) ||
        !user_readable(t, d->chans, uint64_t{d->nchans} * sizeof(uint64_t)))
        return Error::BAD_ADDRESS;
    return {};
}

// A program hands on (sends, or grants with a store) only pages and channels it holds.
static Result<void> check_holds(Process* p, const goos_transfer* d) {
    for (uint32_t i = 0; i < d->npages; ++i) {
        PageInfo* info = process_page(d->pages[i]);
        if (!info || !(info->holders & p->bit())) return Error::BAD_ADDRESS;
    }
    for (uint32_t i = 0; i < d->nchans; ++i) TRY(chan_from_user(p, d->chans[i]));
    return {};
}

// A loaded program's walk is optimistic (abi.h, goos_transfer::clock): what it read may
// have changed if another of its threads ran, or any program's store exposed something,
// since it began. A walk that joined its pages (abi.h, walk_join) is never stale: a store
// into what it read was exposed to its thread (Thread::joined_exposed).
static bool stale_walk(const Process* p, const goos_transfer* d) {
    const bool stale = d && p->info && !(d->flags & GOOS_TRANSFER_JOINED) && d->clock != p->info->walk_clock;
    stats.stale_walks += stale;
    return stale;
}

// The channels d names may all become shared by it: none holds values no walk read
// (abi.h, chan_seal), except those `sealing` (ledger_seal's batch).
static Result<void> may_share_all(const goos_transfer* d, bool sealing = false) {
    for (uint32_t i = 0; i < d->nchans; ++i) {
        const Channel* c = k.chans.lookup(k.pages, d->chans[i]);
        if (!(sealing && c->sealing)) TRY_VOID(chan_may_share(c));
    }
    return {};
}

namespace {
// What a commit or a grant names: a checked description and, for a walk that joined its
// pages (abi.h, GOOS_TRANSFER_JOINED), what stores into them exposed meanwhile, which may
// repeat what the description names; for a walk that streamed (GOOS_TRANSFER_STREAMED),
// the pages it joined too, which the description does not repeat.
struct Grant {
    const goos_transfer* d;
    Transfer* streamed = nullptr;
    Transfer* joined = nullptr;
    Grant(Thread* t, const goos_transfer* desc) : d(desc) {
        if (d && (d->flags & GOOS_TRANSFER_JOINED)) joined = t->joined_exposed;
        if (d && (d->flags & GOOS_TRANSFER_STREAMED)) streamed = t->joined;
    }
    uint32_t nstreamed() const { return streamed ? streamed->npages : 0; }
    // Each part is at most GOOS_MAX_TRANSFER, so the sum fits.
    uint32_t npages() const { return d->npages + nstreamed() + (joined ? joined->npages : 0); }
    uint32_t nchans() const { return d->nchans + (joined ? joined->nchans : 0); }
    bool empty() const { return npages() == 0 && nchans() == 0; }
    uint64_t page(uint32_t i) const {
        if (i < d->npages) return d->pages[i];
        i -= d->npages;
        return i < nstreamed() ? streamed->pages()[i] : joined->pages()[i - nstreamed()];
    }
    Channel* chan(uint32_t i) const {
        return i < d->nchans ? k.chans.lookup(k.pages, d->chans[i]) : joined->chans()[i - d->nchans];
    }
};
}  // namespace

// The channels a committed or granted description names may have stopped being local.
static void now_shared_all(const Grant& g) {
    for (uint32_t i = 0; i < g.nchans(); ++i) chan_now_shared(g.chan(i));
}

// A record holding the pages and channels g names, each once, charged to s.
static Result<Transfer*> make_record(Process* s, const Grant& g) {
    // The description's own pages as it names them; an extra page (g.joined's) once, and
    // only when the description does not name it. PageInfo::reached is the scratch mark
    // (clear outside a mark's end): 1 named by the description, 2 an extra to add, 3 added.
    const uint32_t own = g.d->npages;
    uint32_t npages = own, nchans = g.d->nchans;
    for (uint32_t i = 0; i < g.npages(); ++i) {
        PageInfo& info = k.pages.info(g.page(i));
        if (i < own) {
            info.reached = 1;
        } else if (!info.reached) {
            info.reached = 2;
            ++npages;
        }
    }
    const auto unmark = [&g] {
        for (uint32_t i = 0; i < g.npages(); ++i) k.pages.info(g.page(i)).reached = 0;
    };
    const auto named = [&g](const Channel* c, uint32_t before) {
        for (uint32_t i = 0; i < before; ++i)
            if (g.chan(i) == c) return true;
        return false;
    };
    for (uint32_t i = g.d->nchans; i < g.nchans(); ++i) nchans += !named(g.chan(i), i);
    const size_t bytes = sizeof(Transfer) + npages * sizeof(uint64_t) +
                         nchans * sizeof(Channel*);  // NOLINT(bugprone-sizeof-expression): pointers are stored
    Transfer* x = new_record(s, bytes);
    if (!x) {
        unmark();
        return Error::NO_MEMORY;
    }
    x->npages = npages;
    x->nchans = nchans;
    for (uint32_t i = 0, n = 0; i < g.npages(); ++i) {
        const uint64_t page = g.page(i);
        PageInfo& info = k.pages.info(page);
        if (i >= own && info.reached != 2) continue;
        if (i >= own) info.reached = 3;
        x->pages()[n++] = page;
        ++info.inflight;
        refresh(info, page);
    }
    unmark();
    for (uint32_t i = 0, n = 0; i < g.nchans(); ++i) {
        Channel* c = g.chan(i);
        if (i >= g.d->nchans && named(c, i)) continue;
        x->chans()[n++] = c;
        ++c->inflight;
    }
    return x;
}

// The message record for a checked grant (null when it names nothing).
static Result<Transfer*> make_message(Process* s, const Grant& g) {
    if (!g.d || g.empty()) return static_cast<Transfer*>(nullptr);
    Transfer* x = TRY(make_record(s, g));
    ++stats.transfers;
    stats.pages_sent += x->npages;
    return x;
}

// A thread's joined pages are pages only, never channels: what stores expose into them
// goes to its joined_exposed record (expose_to_messages), so the record grows at its end.
Result<void> ledger_join(Thread* t, const uint64_t* pages, uint32_t n) {
    Process* p = t->proc;
    goos_transfer named{};
    named.pages = pages;
    named.npages = n;
    TRY_VOID(check_holds(p, &named));
    Transfer* j = t->joined;
    const uint64_t have = j ? j->npages : 0;
    if (have + n > GOOS_MAX_TRANSFER) return Error::BAD_SIZE;
    if (!j || sizeof(Transfer) + (have + n) * sizeof(uint64_t) > j->self_bytes) {
        // Twice what it needs, so that a walk's joins cost amortised constant time a page.
        Transfer* y = new_record(p, sizeof(Transfer) + 2 * (have + n) * sizeof(uint64_t));
        if (!y) return Error::NO_MEMORY;
        y->joined = kJoinedPages;
        if (j) {
            y->npages = j->npages;
            memcpy(y->pages(), j->pages(), have * sizeof(uint64_t));
            free_record(j);
        }
        t->joined = j = y;
    }
    for (uint32_t i = 0; i < n; ++i) {
        j->pages()[have + i] = pages[i];
        PageInfo& info = k.pages.info(pages[i]);
        ++info.inflight;
        refresh(info, pages[i]);
    }
    j->npages += n;
    return {};
}

void ledger_join_release(Thread* t) {
    Transfer* const records[2] = {t->joined, t->joined_exposed};
    t->joined = t->joined_exposed = nullptr;
    for (Transfer* x : records)
        if (x) ledger_discard(x);
}

Result<Transfer*> ledger_commit(Thread* t, const goos_transfer* d, const Channel* to) {
    Process* s = t->proc;
    if (stale_walk(s, d)) return Error::RETRY;
    if (d && (d->flags & GOOS_TRANSFER_FUNCS) && chan_shared(to, s)) return Error::CODE_VALUE;
    const Grant g(t, d);
    if (!d || g.empty()) return static_cast<Transfer*>(nullptr);
    TRY_VOID(check_holds(s, d));
    TRY_VOID(may_share_all(d));
    Transfer* x = TRY(make_message(s, g));
    now_shared_all(g);
    return x;
}

Result<void> ledger_seal(Thread* t, const goos_seal* seals, uint32_t n) {
    Process* p = t->proc;
    if (n == 0) return {};
    const goos_transfer* first = nullptr;
    for (uint32_t i = 0; i < n && !first; ++i) first = seals[i].desc;
    if (stale_walk(p, first)) return Error::RETRY;
    const auto chan = [seals](uint32_t i) { return k.chans.lookup(k.pages, seals[i].chan); };
    // How many of each channel's values the batch seals (scratch: `sealing`), and where
    // the next one lies (`seal_pos`).
    for (uint32_t i = 0; i < n; ++i) chan(i)->sealing = 0;
    for (uint32_t i = 0; i < n; ++i) {
        ++chan(i)->sealing;
        chan(i)->seal_pos = 0;
    }
    Result<void> ok;
    for (uint32_t i = 0; i < n && ok.ok(); ++i) {
        const Channel* c = chan(i);
        const goos_transfer* d = seals[i].desc;
        if (c->sealing != c->unwalked || chan_shared(c, p))
            ok = Error::BAD_ARGUMENT;
        else if (d && (d->flags & GOOS_TRANSFER_FUNCS))
            ok = Error::CODE_VALUE;  // its channel is about to be shared
        else if (d && (ok = check_holds(p, d)).ok())
            ok = may_share_all(d, true);
    }
    // Each record goes into its slot (an unwalked slot's message is null until now), so
    // that running out of memory can undo them all.
    for (uint32_t i = 0; i < n && ok.ok(); ++i) {
        auto x = make_message(p, Grant(t, seals[i].desc));
        if (!x.ok()) {
            ok = x.error();
            break;
        }
        Channel* c = chan(i);
        while (!buffered(c, c->seal_pos).unwalked) ++c->seal_pos;
        buffered(c, c->seal_pos++).xfer = x.value();
        if (x.value()) x.value()->where = c;
    }
    for (uint32_t i = 0; i < n; ++i) {
        Channel* c = chan(i);
        if (!c->sealing) continue;  // done already
        c->sealing = 0;
        for (int64_t j = 0; j < c->count; ++j) {
            Slot& s = buffered(c, j);
            if (!s.unwalked) continue;
            if (ok.ok()) {
                s.unwalked = false;
            } else if (s.xfer) {
                ledger_undo(p, s.xfer);
                s.xfer = nullptr;
            }
        }
        if (ok.ok()) c->unwalked = 0;
    }
    if (!ok.ok()) return ok;
    for (uint32_t i = 0; i < n; ++i)
        if (seals[i].desc) now_shared_all(Grant(t, seals[i].desc));
    return {};
}

namespace {
// The message ends: `to` (nullptr: no one) comes to hold its pages and channels, and the
// message lets go of them. The record is freed.
void finish(Transfer* x, Process* to) {
    const uint64_t bit = to ? to->bit() : 0;
    const uint64_t seq = ++k.ledger_seq;
    uint64_t new_pages = 0, new_chans = 0;  // what `to` did not hold (granted_to)
    for (uint32_t i = 0; i < x->npages; ++i) {
        const uint64_t page = x->pages()[i];
        PageInfo& info = k.pages.info(page);
        const bool was_orphaned = ledger_orphaned(info);
        --info.inflight;
        // Its payers were the union of the holders of the channels whose messages touch it.
        if (was_orphaned) orphans_dirty = true;
        note_orphan(info, was_orphaned);
        new_pages += (bit & ~info.holders) != 0;
#ifdef GOOS_PLANTED_LEDGER_BUG
        // Planted for the fuzz test (fuzz/CMakeLists.txt): a receiver is not recorded as
        // holding the pages of a message.
        if (to && to->pid != x->sender) {
            settle_addr(page);
            continue;
        }
#endif
        set_holders(info, info.holders | bit, info.origin);
        if (to) info.grant_seq = seq;
        settle_addr(page);
    }
    for (uint32_t i = 0; i < x->nchans; ++i) {
        new_chans += (bit & ~x->chans()[i]->holders) != 0;
        --x->chans()[i]->inflight;
        if (!to) chan_maybe_dead(x->chans()[i]);
        chan_hold(x->chans()[i], bit);
        if (to) x->chans()[i]->grant_seq = seq;
    }
    if (to && to->pid != x->sender) granted_to(to, new_pages, new_chans);
    free_record(x);
}
}  // namespace

void ledger_grant(Thread* receiver, Transfer* x) {
    finish(x, receiver->proc);
}
void ledger_undo(Process* sender, Transfer* x) {
    finish(x, sender);
}
void ledger_discard(Transfer* x) {
    finish(x, nullptr);
}

void ledger_carrier_changed(const Channel* c) {
    if (orphaned_pages && (c->count || !c->sendq.empty())) orphans_dirty = true;
}

void ledger_settle_orphans() {
    if (!orphans_dirty) return;
    orphans_dirty = false;
    if (!orphaned_pages) return;  // a page stops being one with its charge taken back
    // What each program was charged: a part that grows counts as allocation for pacing, as
    // when a page's other holders let go (pace_grown).
    uint64_t before[kMaxProcs] = {};
    for (Process* q = k.processes.front(); q; q = k.processes.next(q)) before[q->slot] = q->charge;
    for (size_t i = first_process_page(); i < k.pages.npages(); i = next_process_page(i))
        if (ledger_orphaned(k.pages.info_at(i))) uncharge_orphan(k.pages.info_at(i));
    for (Transfer* x = k.messages.front(); x; x = k.messages.next(x)) {
        if (!x->where) continue;  // a thread's joined record: its thread's program holds the pages
        for (uint32_t i = 0; i < x->npages; ++i) {
            PageInfo& info = k.pages.info(x->pages()[i]);
            if (ledger_orphaned(info)) info.orphan_payers |= x->where->holders;
        }
    }
    for (size_t i = first_process_page(); i < k.pages.npages(); i = next_process_page(i)) {
        const PageInfo& info = k.pages.info_at(i);
        if (ledger_orphaned(info) && info.orphan_payers) charge(info.orphan_payers, true);
    }
    for (Process* q = k.processes.front(); q; q = k.processes.next(q))
        if (q->charge > before[q->slot]) q->granted((q->charge - before[q->slot]) * kPageSize / kChargeUnit);
}

namespace {

// Whether message x names a page in [first, last].
bool touches(Transfer* x, uintptr_t first, uintptr_t last) {
    for (uint32_t i = 0; i < x->npages; ++i)
        if (x->pages()[i] >= first && x->pages()[i] <= last) return true;
    return false;
}

// The thread whose joined record x is (chan.h, JoinedKind): one of its sender's. (Never
// null: every joined record is a live thread's, which the invariant checker recounts.)
Thread* joiner_of(const Transfer* x) {
    Process* s = process_by_pid(x->sender);
    for (Thread* t = s ? s->threads.front() : nullptr; t; t = s->threads.next(t))
        if (t->joined == x || t->joined_exposed == x) return t;
    return nullptr;
}

// The reference to message x (a buffered slot, or a blocked sender's offer, in the channel
// it waits in, or a thread's joined record) now names y.
void replace_message(Transfer* x, Transfer* y) {
    if (x->joined) {
        y->joined = x->joined;
        if (Thread* t = joiner_of(x)) (x->joined == kJoinedPages ? t->joined : t->joined_exposed) = y;
        return;
    }
    Channel* c = x->where;
    y->where = c;
    for (int64_t i = 0; i < c->count; ++i)
        if (buffered(c, i).xfer == x) buffered(c, i).xfer = y;
    for (Waiter* w = c->sendq.front(); w; w = c->sendq.next(w))
        if (w->xfer == x) w->xfer = y;
}

// A message in flight that touches [first, last] and that this exposure (seq) has not grown
// yet, or null.
Transfer* message_to_grow(uintptr_t first, uintptr_t last, uint64_t seq) {
    for (Transfer* x = k.messages.front(); x; x = k.messages.next(x))
        if ((x->where || x->joined) && x->exposed != seq && touches(x, first, last)) return x;
    return nullptr;
}

bool names_chan(Transfer* x, const Channel* c) {
    for (uint32_t i = 0; i < x->nchans; ++i)
        if (x->chans()[i] == c) return true;
    return false;
}

// Message m comes to hold what g names too: its record is replaced by one naming both (what
// it named already once), charged to `payer`.
Result<void> grow_message(Process* payer, Transfer* m, const Grant& g, uint64_t seq) {
    uint32_t npages = m->npages, nchans = m->nchans;
    for (uint32_t j = 0; j < g.npages(); ++j) npages += !touches(m, g.page(j), g.page(j));
    for (uint32_t j = 0; j < g.nchans(); ++j) nchans += !names_chan(m, g.chan(j));
    if (npages == m->npages && nchans == m->nchans) return {};
    const size_t bytes = sizeof(Transfer) + npages * sizeof(uint64_t) +
                         nchans * sizeof(Channel*);  // NOLINT(bugprone-sizeof-expression): pointers are stored
    Transfer* y = new_record(payer, bytes);
    if (!y) return Error::NO_MEMORY;
    if (m->joined) y->sender = m->sender;  // still its thread's (joiner_of)
    y->npages = npages;
    y->nchans = nchans;
    y->exposed = seq;
    memcpy(y->pages(), m->pages(), m->npages * sizeof(uint64_t));
    for (uint32_t j = 0; j < m->nchans; ++j) y->chans()[j] = m->chans()[j];
    uint32_t np = m->npages, nc = m->nchans;
    for (uint32_t j = 0; j < g.npages(); ++j) {
        const uint64_t page = g.page(j);
        if (touches(m, page, page)) continue;
        y->pages()[np++] = page;
        PageInfo& info = k.pages.info(page);
        ++info.inflight;
        refresh(info, page);
    }
    for (uint32_t j = 0; j < g.nchans(); ++j) {
        Channel* c = g.chan(j);
        if (names_chan(m, c)) continue;
        y->chans()[nc++] = c;
        ++c->inflight;
    }
    Channel* in = m->where;
    replace_message(m, y);
    free_record(m);
    if (in) note_chan(payer, in);  // its exit finds y there (chan_drop_holder)
    return {};
}

// Every message in flight that touches [first, last] comes to hold what g names too, charged
// to p, whose store caused it (so that no one's store fails on another's budget). A
// thread's joined pages do not grow: what is stored there goes to its joined_exposed
// record, which its walk's commits name. Messages are found among Kernel::messages, and
// names compared one by one: the slow path of a store into a page a message touches.
Result<void> expose_to_messages(Process* p, uintptr_t first, uintptr_t last, const Grant& g, uint64_t seq) {
    // What g adds from the storer's own joined_exposed record is in it already (and a
    // record must not be replaced while g reads it).
    if (g.joined) g.joined->exposed = seq;
    while (Transfer* m = message_to_grow(first, last, seq)) {
        m->exposed = seq;
        if (m->joined == kJoinedPages) {
            Thread* t = joiner_of(m);
            if (!t) continue;
            if (!t->joined_exposed) {
                Transfer* e = TRY(make_record(p, g));
                e->joined = kJoinedExposed;
                e->sender = m->sender;  // its thread's (joiner_of)
                e->exposed = seq;
                t->joined_exposed = e;
                continue;
            }
            m = t->joined_exposed;
            if (m->exposed == seq) continue;
            m->exposed = seq;
        }
        TRY_VOID(grow_message(p, m, g, seq));
    }
    return {};
}

// Whether another program may reach an object overlapping [dst, dst+len): a walk reached
// it (its walked bit, at its first word), or it is not a slot of a heap span (image data,
// or a head that contradicts itself), which is taken as reached. So is a range of more
// than 4,096 slots: the heads are the origin's words, and a kernel section must stay short.
bool walked_range(uintptr_t dst, uint64_t len) {
    int slots = 0;
    for (uintptr_t a = dst; a < dst + len; ++slots) {
        if (!k.pages.contains(a) || slots == 4096) return true;
        const goos_layout_head& h = k.pages.layout_head(a);
        const uintptr_t base = h.base_flags & ~GOOS_LAYOUT_FLAGS;
        const uint64_t span = uint64_t{h.span_pages} * kPageSize;
        const uint64_t slot = h.slot_size ? h.slot_size : span;
        if (!(h.base_flags & GOOS_LAYOUT_SPAN) || slot < 8 || a < base || a - base >= span) return true;
        const uintptr_t start = base + (a - base) / slot * slot;
        if (k.pages.walked(start)) return true;
        a = start + slot;
    }
    return false;
}
}  // namespace

Result<void> ledger_expose(Thread* t, uintptr_t dst, uint64_t len, const goos_transfer* d) {
    Process* p = t->proc;
    if (len == 0 || !walked_range(dst, len)) return {};
    const uintptr_t first = dst & ~(kPageSize - 1), last = (dst + len - 1) & ~(kPageSize - 1);
    uint64_t others = 0;
    bool messages = false;
    for (uintptr_t page = first; page <= last; page += kPageSize) {
        if (const PageInfo* info = process_page(page)) {
            others |= info->holders & ~p->bit();
            messages |= info->inflight != 0;
        }
    }
    if (!d || (!others && !messages)) return {};
    if (stale_walk(p, d)) return Error::RETRY;
    if (d->flags & GOOS_TRANSFER_FUNCS) return Error::CODE_VALUE;
    const Grant g(t, d);
    if (g.empty()) return {};
    TRY_VOID(check_holds(p, d));
    TRY_VOID(may_share_all(d));
    const uint64_t seq = ++k.ledger_seq;
    if (messages) {
        // Messages grown before running out of memory carry g's channels already.
        if (auto grown = expose_to_messages(p, first, last, g, seq); !grown.ok()) {
            now_shared_all(g);
            return grown;
        }
    }
    if (others) {
        // What each holder came to hold that it did not: a store that grants again what it
        // granted before (a loop that stores the same few objects) is no allocation.
        uint32_t new_pages[kMaxProcs] = {}, new_chans[kMaxProcs] = {};
        for (uint32_t i = 0; i < g.npages(); ++i) {
            PageInfo& info = k.pages.info(g.page(i));
            for (uint64_t w = others & ~info.holders; w; w &= w - 1) ++new_pages[__builtin_ctzll(w)];
            set_holders(info, info.holders | others, info.origin);
            info.grant_seq = seq;
            refresh(info, g.page(i));
        }
        for (uint32_t i = 0; i < g.nchans(); ++i) {
            Channel* c = g.chan(i);
            for (uint64_t w = others & ~c->holders; w; w &= w - 1) ++new_chans[__builtin_ctzll(w)];
            chan_hold(c, others);
            c->grant_seq = seq;
        }
        for (Process* q = k.processes.front(); q; q = k.processes.next(q))
            if (others & q->bit()) granted_to(q, new_pages[q->slot], new_chans[q->slot]);
    }
    now_shared_all(g);
    ++stats.exposures;
    // What other programs' walks read may have changed.
    for (Process* q = k.processes.front(); q; q = k.processes.next(q))
        if (q->info) ++q->info->walk_clock;
    return {};
}

void ledger_process_end(Process* p) {
    const uint64_t bit = p->bit();
    // An origin holds its pages (ledger_page_release ends both at once), so p's set has
    // every page it is the origin of.
    p->held.each([p, bit](size_t i) {
        PageInfo& info = k.pages.info_at(i);
        // The slot may be reused: a page of p's has no origin from here on.
        set_holders(info, info.holders & ~bit, info.origin == p->slot ? kKernelSlot : info.origin);
        if (settle(info, k.pages.page_at(i))) ++stats.recycled_at_exit;
    });
    // Its arenas serve no one from here on (the slot may be reused); those others still
    // hold pages in stay apart until their last page is free.
    k.pages.retire(p->slot);
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
        if (k.pages.shared(i)) ++s.pages_dirty;
    }
    return s;
}

void ledger_reset() {
    stats = LedgerStats();
}

}  // namespace kernel

// For built-in programs (sim/programs/user.h), which have no start info.
extern "C" bool goos_page_shared(uint64_t page) {
    return kernel::k.pages.contains(page) && kernel::k.pages.shared(kernel::k.pages.index_of(page));
}
