// The page ledger (DESIGN.md, "Ownership and kernel-assisted garbage collection"): for
// every process page its origin and its holders (the live processes that may hold a
// pointer into it, and the messages in flight that touch it). Only a page's origin frees
// objects on it, and only while no one else held it (the shared and dirty bits, abi.h); a
// page goes back to the pool when no one holds it.
#pragma once

#include <stdint.h>

#include "chan.h"
#include "page.h"
#include "result.h"

namespace kernel {

struct Process;

// n contiguous pages (1 to the pool's size) whose origin and only holder is p, zeroed.
Result<uintptr_t> ledger_page_alloc(Process* p, size_t n = 1);
// Makes p the origin and only holder of n contiguous Process pages that a loader took for
// its image (DESIGN.md: an image's pages follow the same holder rule as its heap's).
void ledger_adopt_pages(Process* p, uintptr_t base, size_t n);
// The origin gives its page up: it stops holding it and is no longer its origin; the
// page goes back to the pool once no one else holds it.
Result<void> ledger_page_release(Process* p, uintptr_t page);
// A mark begins: p's pages no one else holds now stop being dirty.
Result<void> ledger_mark_begin(Process* p);
// The mark that began at mark_begin reached `pages`; p stops holding every other page it
// holds, except its own and those granted to it since.
Result<void> ledger_mark_end(Process* p, const uint64_t* pages, uint32_t n);

// The processes a page is charged to, a bit per slot (DESIGN.md, "Charging"): its
// holders other than its origin, who split it evenly, or else its origin. A page only
// messages hold once its origin let go (ledger_orphaned) goes to PageInfo::orphan_payers.
uint64_t ledger_payers(const PageInfo& info);
// Whether only messages hold the page: no process does, its origin included.
inline bool ledger_orphaned(const PageInfo& info) {
    return info.use == PageUse::Process && !info.holders && info.inflight;
}
// Charges the pages only messages hold to the holders of the channels whose messages
// (buffered or offered) touch them, a page's union split evenly (DESIGN.md, "Charging":
// "else to the holders of the channels whose messages hold it"). Their payers change when
// such a page's messages or those channels' holders do; the kernel settles them before it
// returns to a program and before a process's slot is freed: a scan of the pages in use
// and of the messages, only after such a change.
void ledger_settle_orphans();
// c's holders changed: the pages its messages carry may have new payers.
void ledger_carrier_changed(const Channel* c);

// After p's mark: when its charge is still over its budget (DESIGN.md, "Charging"), it
// ends, with a message naming what it holds. Does not return then.
void ledger_enforce_budget(Process* p);

// The shape of a transfer description from t's program: sizes within the limits, the
// struct and every array it names aligned and readable by t. Checked at the syscall
// boundary, for every case of a select before any is read; ledger_commit trusts it.
Result<void> transfer_check(Thread* t, const goos_transfer* desc);
// After two stale walks (abi.h, walk_join): t's joined message comes to hold the n pages,
// which t's process must hold, and the pages become shared. ledger_join_release: t lets go
// of it (at walk_join(0, 0), and when t ends).
Result<void> ledger_join(Thread* t, const uint64_t* pages, uint32_t n);
void ledger_join_release(Thread* t);
// Sending on `to`: commits t's checked transfer description; the message holds the
// pages and channels it names, and all that t's joined message holds when the walk joined. nullptr with OK status when
// the value carries nothing. CODE_VALUE when the value holds a func value and another program may receive from `to`;
// UNWALKED, before that, when it names a channel that holds unwalked values (abi.h,
// chan_seal); RETRY, before all, when the walk is stale (abi.h, goos_transfer::clock).
Result<Transfer*> ledger_commit(Thread* t, const goos_transfer* desc, const Channel* to);
// The holder of local channels seals their unwalked values before sharing them (abi.h,
// chan_seal): each entry's checked description becomes the message of the next unwalked
// value of its channel. BAD_ARGUMENT unless the entries seal every unwalked value of
// every channel they name and those channels are local; UNWALKED when a description names
// another channel with unwalked values; CODE_VALUE when one holds a func value; RETRY
// when the walks are stale. All or nothing.
Result<void> ledger_seal(Thread* t, const goos_seal* seals, uint32_t n);
// The receiver takes the message: it holds every page and channel the message held.
void ledger_grant(Thread* receiver, Transfer* x);
// The send did not happen (a select took another case, or the channel closed).
void ledger_undo(Process* sender, Transfer* x);
// The message dies (its channel was freed, or its sender died before handing it over).
void ledger_discard(Transfer* x);

// The write barrier's slow path, before p stores into [dst, dst+len): whoever else may read
// the destination (the other holders of its pages, and the messages in flight that touch
// them) comes to hold the pages and channels the description names (DESIGN.md, "Stores
// into shared objects expose"). CODE_VALUE when the value holds a func value and anyone
// else may read the destination. Nothing is granted for a destination no walk reached
// (abi.h, walked_bits): no one else can reach it. The caller makes the store only once
// this returned OK.
Result<void> ledger_expose(Thread* t, uintptr_t dst, uint64_t len, const goos_transfer* desc);

// Asks p's runtime to collect: its start info's collect_asks grows, and its thread waiting
// in collect_wait wakes.
void ledger_ask(Process* p);

// The running process p used another `ns` of run time (a tick): one asked to collect under
// memory pressure that has begun no mark in 100 ms of its run time since ends, with a
// message naming what it holds (DESIGN.md, "Charging, pacing"). Does not return then.
void ledger_tick(Process* p, uint64_t ns);

// A process ended: it holds nothing and is no one's origin; pages no one holds are recycled.
void ledger_process_end(Process* p);

// Is [addr, addr+len) inside pages `p` holds?
bool ledger_range_held(Process* p, uintptr_t addr, uint64_t len);

struct LedgerStats {
    uint64_t pages_allocated = 0;   // process pages handed out since boot
    uint64_t pages_recycled = 0;    // process pages returned to the pool
    uint64_t recycled_at_exit = 0;  // of those, at once when their last holder ended
    uint64_t settled_later = 0;     // of those, after another holder let go
    uint64_t pages_in_use = 0;      // process pages now
    uint64_t pages_peak = 0;        // the most process pages in use at once since boot
    uint64_t pages_dirty = 0;       // of those, held by someone besides the origin
    uint64_t transfers = 0;
    uint64_t pages_sent = 0;   // pages named by those messages
    uint64_t exposures = 0;    // barrier slow paths that granted something
    uint64_t stale_walks = 0;  // commits refused with RETRY
};
LedgerStats ledger_stats();

}  // namespace kernel

namespace kernel {
void ledger_reset();
}
