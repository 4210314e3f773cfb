// The page ledger (DESIGN.md, "Ownership and kernel-assisted garbage collection"): for
// every process page its origin, its holders, the messages in flight touching it and the
// live objects of each owner; a page goes back to the pool when no one holds it.
#pragma once

#include <stdint.h>

#include "chan.h"
#include "page.h"
#include "result.h"

namespace kernel {

struct Process;

// n contiguous pages (1 to 4096) whose origin and only holder is p.
Result<uintptr_t> ledger_page_alloc(Process* p, size_t n = 1);
Result<void> ledger_page_release(Process* p, uintptr_t page);
// Makes p the origin and only holder of n contiguous Process pages that a loader took for
// its image (DESIGN.md: an image's pages follow the same holder rule as its heap's).
void ledger_adopt_pages(Process* p, uintptr_t base, size_t n);
// The program's allocator put `n` objects on one of its own clean pages, or freed `n` it
// owns (a collector frees only what it owns: anything else is refused).
Result<void> ledger_obj_alloc(Process* p, uintptr_t page, uint32_t n);
Result<void> ledger_obj_free(Process* p, uintptr_t page, uint32_t n);
// Whether another process holds `page`, one of p's own (GOOS_PAGE_SHARED), and whether a
// message in flight touches it (GOOS_PAGE_IN_FLIGHT). A runtime that reports its slots
// once per span asks before it reuses a freed slot of a span whose objects went to other
// programs (DESIGN.md, "Reuse": only while the page is clean), and before it frees an
// object of such a span (a message may still point to it: invariant 1).
Result<int64_t> ledger_page_state(Process* p, uintptr_t page);
Result<void> ledger_mark_begin(Process* p);
// The mark that began at mark_begin reached `pages`; p stops holding every other page it
// holds, except its own, those it still owns objects on, and those granted to it since.
Result<void> ledger_mark_end(Process* p, const uint64_t* pages, uint32_t n);

// The shape of a transfer description from t's program: sizes within the limits, the
// struct and every array it names aligned and readable by t. Checked at the syscall
// boundary, for every case of a select before any is read; ledger_commit trusts it.
Result<void> transfer_check(Thread* t, const goos_transfer* desc);
// Sending: check and commit a program's transfer description (objects move from the
// sender to the kernel). nullptr with OK status when the value carries nothing. With
// moves_as_touched, no object changes owner and the receiver only comes to hold the pages
// (for a select that offers objects already committed by another of its cases).
Result<Transfer*> ledger_commit(Process* sender, const goos_transfer* desc, bool moves_as_touched = false);
// The receiver takes the message: objects become its own, it holds every page touched.
// A message that lists its objects leaves the list with the receiving thread (taken).
void ledger_grant(Thread* receiver, Transfer* x);
// Frees the list a thread was left (ledger_grant), if any.
void ledger_drop_taken(Thread* t);
// The send did not happen (a select took another case): objects go back to the sender.
void ledger_undo(Process* sender, Transfer* x);
// The message dies (its channel was freed, or its sender died before handing it over).
void ledger_discard(Transfer* x);

// A process ended: its objects die, it holds nothing; pages no one holds are recycled.
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
    uint64_t objects_moved = 0;
};
LedgerStats ledger_stats();

}  // namespace kernel

namespace kernel {
void ledger_reset();
}
