// The six invariants of DESIGN.md, checked against the kernel's own records by recounting
// everything in flight from the channels themselves.
#include "kernel.h"
#include "ledger.h"

namespace kernel {

namespace {

struct Checker {
    bool verbose;
    bool ok = true;
    void fail(const char* what, uint64_t a, uint64_t b) {
        ok = false;
        ++k.invariant_failures;
        if (verbose) kprintf("invariant violated: %s (%lx, %lu)\n", what, a, b);
    }
};

// Counts what one message in flight holds. Invariant 1: a page a message touches is never
// in the free pool.
void recount(Checker& c, Transfer* x) {
    for (uint32_t i = 0; i < x->npages; ++i) {
        const uint64_t page = x->pages()[i];
        PageInfo& info = k.pages.info(page);
        if (info.use != PageUse::Process) c.fail("a message touches a page not in use", page, 0);
        ++info.chk_inflight;
    }
    for (uint32_t i = 0; i < x->nchans; ++i) ++x->chans()[i]->chk_inflight;
}

// A select may offer one message on several cases: count it at its first case only.
bool first_offer(const Waiter* w) {
    const Thread* t = w->thread;
    for (uint32_t i = 0; t->waiters && i < t->nwaiters; ++i)
        if (t->waiters[i].xfer == w->xfer) return &t->waiters[i] == w;
    return true;
}

// The holders of the channels whose messages (buffered or offered) touch the page.
uint64_t carriers_of(uint64_t page) {
    uint64_t who = 0;
    for (Transfer* x = k.messages.front(); x; x = k.messages.next(x)) {
        if (!x->where) continue;
        for (uint32_t i = 0; i < x->npages; ++i)
            if (x->pages()[i] == page) who |= x->where->holders;
    }
    return who;
}

}  // namespace

bool check_invariants(bool verbose) {
    Checker c{verbose};
    ledger_settle_orphans();  // as before the kernel returns to a program
    uint64_t live_mask = 0;
    for (Process* p = k.processes.front(); p; p = k.processes.next(p)) live_mask |= p->bit();

    // Invariant 5, the kernel's half: every method a process's table dispatches to is its
    // own code, and the table the dispatcher reads is the running process's.
    for (Process* p = k.processes.front(); p; p = k.processes.next(p))
        for (uint32_t s = 0; s < p->method_cap; ++s)
            if (const uintptr_t code = p->method_table[s]; code && (code < p->code_begin || code >= p->code_end))
                c.fail("a method table leads to code not its program's (invariant 5)", p->pid, s);
    const Process* running = k.current ? k.current->proc : nullptr;
    if (running && goos_method_dispatch_state.table != running->method_table)
        c.fail("the dispatcher reads another program's method table (invariant 5)", running->pid, 0);

    // Every message in flight: buffered in a channel, or offered by a blocked sender.
    for (Channel* ch = k.channels.front(); ch; ch = k.channels.next(ch)) ch->chk_inflight = 0;
    for (Channel* ch = k.channels.front(); ch; ch = k.channels.next(ch)) {
        if (ch->count < 0 || ch->count > ch->cap) c.fail("channel count out of range", ch->id, ch->count);
        for (int64_t i = 0; i < ch->count; ++i) {
            const Slot& s = buffered(ch, i);
            // Invariant 6: buffered messages leave in the order they came, each once.
            if (s.seq != ch->recv_seq + static_cast<uint64_t>(i)) c.fail("channel order", ch->id, s.seq);
            if (s.xfer) recount(c, s.xfer);
        }
        if (ch->send_seq != ch->recv_seq + static_cast<uint64_t>(ch->count))
            c.fail("message lost or duplicated", ch->id, ch->send_seq);
        for (int64_t i = 0; i < ch->count; ++i)
            if (const Transfer* x = buffered(ch, i).xfer; x && x->where != ch)
                c.fail("a buffered message does not know its channel", ch->id, 0);
        uint32_t unwalked = 0, unwalked_senders = 0;
        for (int64_t i = 0; i < ch->count; ++i) unwalked += buffered(ch, i).unwalked;
        if (unwalked != ch->unwalked) c.fail("a channel's unwalked count", ch->id, ch->unwalked);
        for (Waiter* w = ch->sendq.front(); w; w = ch->sendq.next(w)) {
            if (w->xfer && first_offer(w)) recount(c, w->xfer);
            unwalked_senders += w->unwalked;
        }
        // Invariant 1 for values sent without a walk: no other program can receive them.
        if ((unwalked || unwalked_senders) && ((ch->holders & (ch->holders - 1)) != 0 || ch->published || ch->inflight))
            c.fail("unwalked values in a channel that is not local", ch->id, unwalked + unwalked_senders);
        if (ch->holders & ~live_mask) c.fail("channel held by a dead process", ch->id, ch->holders);
        // Every process that holds it, made it, pays for it or for a message in it finds
        // it through its set of channel pages (chanset.h).
        const size_t page = k.pages.index_of(reinterpret_cast<uintptr_t>(ch));
        uint64_t finders = (ch->holders & live_mask) | (1ULL << ch->creator_slot);
        for (int64_t i = 0; i < ch->count; ++i)
            if (const Transfer* x = buffered(ch, i).xfer)
                if (const Process* q = process_by_pid(x->payer)) finders |= q->bit();
        for (uint64_t f = finders & ~uint64_t{1}; f; f &= f - 1)
            if (const Process* q = process_by_slot(__builtin_ctzll(f)); q && !q->chans.has(page))
                c.fail("a channel its process cannot find", ch->id, q->pid);
        // Charges: its creator pays for it while it lives, then its holders; its holders pay
        // for the records of its messages whose senders ended, which it recounts.
        uint64_t orphans = 0;
        for (int64_t i = 0; i < ch->count; ++i)
            if (const Transfer* x = buffered(ch, i).xfer; x && !x->payer) orphans += x->self_bytes;
        if (orphans != ch->orphan_bytes) c.fail("a channel's records whose senders ended", ch->id, orphans);
        if (ch->header_payers != (ch->creator_slot ? 1ULL << ch->creator_slot : ch->holders))
            c.fail("who pays for a channel", ch->id, ch->header_payers);
        if (ch->record_payers != (orphans ? ch->holders : 0) ||
            ch->records_charged != (orphans && ch->holders ? orphans : 0))
            c.fail("who pays for a channel's records", ch->id, ch->record_payers);
    }
    // Every record that says it waits in a channel is there, once (ledger.cpp grows and
    // replaces it there); the others are offers off their queues, to be taken back.
    size_t queued = 0, placed = 0;
    for (Channel* ch = k.channels.front(); ch; ch = k.channels.next(ch)) {
        for (int64_t i = 0; i < ch->count; ++i) queued += buffered(ch, i).xfer != nullptr;
        for (Waiter* w = ch->sendq.front(); w; w = ch->sendq.next(w)) {
            queued += w->xfer != nullptr;
            if (w->xfer && w->xfer->where != ch) c.fail("an offer does not know its channel", ch->id, 0);
        }
    }
    // A thread's joined records (chan.h, JoinedKind) wait in no channel.
    size_t joined = 0, joined_records = 0;
    for (Process* p = k.processes.front(); p; p = k.processes.next(p))
        for (Thread* t = p->threads.front(); t; t = p->threads.next(t))
            for (int i = 0; i < 2; ++i) {
                const JoinedKind kind = i == 0 ? kJoinedPages : kJoinedExposed;
                Transfer* x = i == 0 ? t->joined : t->joined_exposed;
                if (!x) continue;
                ++joined;
                recount(c, x);
                if (x->joined != kind || x->where || x->sender != p->pid || (i == 0 && x->nchans))
                    c.fail("a thread's joined record is not marked as its", t->id, kind);
            }
    for (Transfer* x = k.messages.front(); x; x = k.messages.next(x)) {
        placed += x->where != nullptr;
        joined_records += x->joined != kNotJoined;
    }
    if (queued != placed) c.fail("message records placed in channels", queued, placed);
    if (joined != joined_records) c.fail("joined records kept by threads", joined, joined_records);
    for (Channel* ch = k.channels.front(); ch; ch = k.channels.next(ch)) {
        if (ch->chk_inflight != ch->inflight) c.fail("channel in-flight count", ch->id, ch->inflight);
        // Every channel is reachable from a live process, a name or a live message.
        if (!ch->holders && !ch->published && !ch->inflight) c.fail("unreachable channel kept", ch->id, 0);
    }

    size_t process_pages = 0;
    uint64_t charges[kMaxProcs] = {};  // the recount of each slot's charge
    uint64_t held[kMaxProcs] = {};     // and of the pages it holds
    // Arenas (page.h): pages in use recounted an arena at a time, pages in ascending order
    // (the allocator's own pages, below first_usable, counted at once).
    const size_t arena = k.pages.arena_pages(), first = k.pages.first_usable();
    size_t cur_arena = first / arena, in_arena = first % arena;
    const auto arena_done = [&] {
        if (k.pages.arena_used(cur_arena) != in_arena) c.fail("an arena's count of pages in use", cur_arena, in_arena);
    };
    // Free pages are skipped: their records are cleared wholesale when they are freed and
    // again when handed out, and a message touching one was caught by the recount.
    for (size_t i = k.pages.next_used(k.pages.first_usable()); i < k.pages.npages(); i = k.pages.next_used(i + 1)) {
        PageInfo& info = k.pages.info_at(i);
        const uint64_t addr = k.pages.page_at(i);
        if (i / arena != cur_arena) {
            arena_done();
            for (size_t a = cur_arena + 1; a < i / arena; ++a)  // none of its pages in use
                if (k.pages.arena_used(a)) c.fail("an arena's count of pages in use", a, 0);
            cur_arena = i / arena;
            in_arena = 0;
        }
        ++in_arena;
        // A page's arena is its origin's (a process page) or the kernel's; a page whose origin
        // ended or gave it up lies in an arena retired or still its old origin's.
        const int owner = k.pages.arena_owner(cur_arena);
        if (info.use != PageUse::Process) {
            if (owner != kKernelSlot) c.fail("a kernel page outside the kernel's arenas", addr, owner);
            info.chk_inflight = 0;
            continue;
        }
        if (info.origin ? owner != info.origin : owner == kKernelSlot || owner == PageAllocator::kNoOwner)
            c.fail("a process page outside its origin's arenas", addr, owner);
        ++process_pages;
        // Invariant 3: the ledger's records equal the recount, and the bits programs read
        // say what the records say.
        if (info.inflight != info.chk_inflight) c.fail("messages touching the page", addr, info.inflight);
        const uint64_t origin = info.origin ? 1ULL << info.origin : 0;
        const bool shared = (info.holders & ~origin) || info.inflight;
        if (k.pages.shared(i) != shared) c.fail("the page's shared bit", addr, shared);
        if (shared && !k.pages.dirty(i)) c.fail("a shared page not dirty", addr, 0);
        if (info.holders & ~live_mask) c.fail("page held by a dead process", addr, info.holders);
        if (info.origin && !(live_mask & origin)) c.fail("origin is dead", addr, info.origin);
        // Invariant 2's ground: an origin holds its pages while it is their origin.
        if (origin && !(info.holders & origin)) c.fail("origin does not hold its page", addr, info.origin);
        // Invariant 3's sets of held pages: each holder's has the page.
        for (uint64_t h = info.holders & live_mask; h; h &= h - 1) {
            const int slot = __builtin_ctzll(h);
            ++held[slot];
            if (!k.slots[slot]->held.has(i)) c.fail("a holder's set lacks the page", addr, slot);
        }
        // Invariant 3's charges: each payer's part. A page only messages hold is charged
        // to the holders of the channels whose messages touch it.
        if (ledger_orphaned(info) && info.orphan_payers != carriers_of(addr))
            c.fail("the payers of a page only messages hold", addr, info.orphan_payers);
        if (!ledger_orphaned(info) && info.orphan_payers)
            c.fail("a held page charged as one only messages hold", addr, 0);
        uint64_t payers = ledger_orphaned(info) ? info.orphan_payers : ledger_payers(info);
        const auto n = bits_set(payers);
        for (bool lead = true; payers; payers &= payers - 1, lead = false)
            charges[__builtin_ctzll(payers)] += charge_part(n, lead);
        // Invariant 4: a page no one holds goes back to the pool.
        if (!info.holders && !info.inflight) c.fail("page held by no one is not free", addr, 0);
        info.chk_inflight = 0;
    }
    arena_done();
    for (size_t a = cur_arena + 1; a < k.pages.arenas(); ++a)
        if (k.pages.arena_used(a)) c.fail("an arena's count of pages in use", a, 0);
    for (size_t a = first / arena + 1; a < k.pages.arenas(); ++a) {
        const int owner = k.pages.arena_owner(a);
        const uint32_t used = k.pages.arena_used(a);
        if ((owner == PageAllocator::kNoOwner) != (used == 0)) c.fail("an arena in use with no owner", a, used);
        if (owner > kKernelSlot && !k.slots[owner]) c.fail("an arena of an ended process not retired", a, owner);
    }
    for (Process* p = k.processes.front(); p; p = k.processes.next(p)) {
        if (p->charge != charges[p->slot]) c.fail("a process's charge", p->pid, p->charge);
        uint64_t in_set = 0;
        p->held.each([&](size_t) { ++in_set; });
        if (in_set != held[p->slot]) c.fail("a process's set of held pages", p->pid, in_set);
    }
    if (k.processes.empty() && k.channels.empty() && process_pages)
        c.fail("pages in use after every process and channel ended", process_pages, 0);
    if (k.invariant_failures && c.ok) {
        if (verbose) kprintf("invariant violated earlier: %lu delivery errors\n", k.invariant_failures);
        c.ok = false;
    }
    return c.ok;
}

}  // namespace kernel
