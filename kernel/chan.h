// Channels with Go's semantics. A Go `chan` value is the address of a Channel: gccgo
// reads len and cap from its first two words, so `count` and `cap` come first and
// `count` is kept equal to the number of buffered values at every kernel exit.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kblock.h"
#include "list.h"
#include "result.h"
#include "thread.h"

namespace kernel {

struct Process;

// What one send hands over, committed to the kernel when the send starts (DESIGN.md,
// "Sending"): the pages the value reaches and the channels inside it. While it lives the
// message holds them; the receiver holds them once it takes the message. Kept in a
// kblock; a plain-data value carries none.
// The records a thread keeps while its walk joins pages (abi.h, walk_join), in no channel:
// the pages it joined (Thread::joined), and what stores into them exposed meanwhile
// (Thread::joined_exposed), which its commits name as well.
enum JoinedKind : uint8_t { kNotJoined, kJoinedPages, kJoinedExposed };

struct Transfer {
    uint32_t npages = 0;
    uint32_t nchans = 0;
    uint32_t sender = 0;  // pid of the program that sent it
    // pid charged for the record: its sender while it lives, then the payer of the channel
    // it is buffered in (chan_drop_holder); 0: no one.
    uint32_t payer = 0;
    // The kblock the record lives at the start of, but for its address (this), packed so
    // that a message naming one page takes a 64-byte slot.
    uint32_t self_bytes = 0;  // what it costs
    uint32_t self_npages : 22 = 0;
    uint32_t self_cls : 8 = 0;
    uint32_t joined : 2 = 0;  // a thread's record while its walk joins pages (JoinedKind)
    uint64_t exposed = 0;     // scratch: the ledger_expose that last grew the message to this record
    // Every record in Kernel::messages; `where` is the channel it waits in (buffered, or
    // offered by a blocked sender), null while it is in none (an offer unhooked, not yet
    // taken back), so a store's slow path finds the messages that touch a page among the
    // messages, not among every channel (ledger_expose).
    Link msg_link;
    Channel* where = nullptr;
    uint64_t* pages() { return reinterpret_cast<uint64_t*>(this + 1); }
    Channel** chans() { return reinterpret_cast<Channel**>(pages() + npages); }
    KBlock block() { return KBlock{this, self_npages, self_bytes, static_cast<uint8_t>(self_cls)}; }
};
static_assert(sizeof(Transfer) == 56);

struct Slot {  // one buffered message
    Transfer* xfer;
    uint64_t seq : 63;
    uint64_t unwalked : 1;  // sent without a walk on a local channel (abi.h, GOOS_CHAN_SHARED_WORD)
};
static_assert(sizeof(Slot) == 16);

struct Channel {
    int64_t count = 0;  // word 0: len(c)
    int64_t cap = 0;    // word 1: cap(c)
    // Word 2: what its creator said it carries (a Go runtime's fingerprint of the channel
    // type), opaque to the kernel. Any program holding the channel reads it, as it reads
    // len and cap, to find its own descriptor for the type: at Lookup, and at a send
    // that must find the channels inside the value.
    uint64_t type_tag = 0;
    // Word 3: 0 while the kernel last found it local (abi.h, GOOS_CHAN_SHARED_WORD), a hint
    // for the runtime: the kernel checks every send that skipped its walk.
    uint64_t shared = 0;
    uint32_t magic = 0;
    uint32_t id = 0;
    uint32_t elem_size = 0;
    bool closed = false;
    bool marked = false;
    bool waited = false;      // scratch: a thread of the process ending a mark waits on it
    uint8_t* data = nullptr;  // cap * elem_size bytes
    Slot* slots = nullptr;    // cap slots
    KBlock buf;               // slots and data
    uint32_t head = 0;        // index of the oldest buffered value
    List<Waiter, &Waiter::link> sendq;
    List<Waiter, &Waiter::link> recvq;
    uint64_t holders = 0;       // process slots that may use the channel
    uint32_t published = 0;     // registry names for it
    uint32_t inflight = 0;      // in-flight transfers that carry it
    uint32_t unwalked = 0;      // buffered values sent without a walk (only while local)
    uint32_t sealing = 0;       // scratch: ledger_seal's count of its values being sealed
    int64_t seal_pos = 0;       // scratch: ledger_seal's next slot
    uint32_t chk_inflight = 0;  // scratch: the invariant checker's recount
    uint8_t creator_slot = 0;   // 0 once its creator ended
    // Charges (DESIGN.md, "Charging"; chan_recharge): its header and buffer go to its
    // creator while it lives, then are split evenly among its holders; the records of its
    // buffered messages whose senders ended (orphan_bytes) are split among its holders.
    // What was charged last, to whom, so that it can be taken back exactly.
    uint64_t orphan_bytes = 0;
    uint64_t header_payers = 0;  // a bit per slot
    uint64_t record_payers = 0;
    uint64_t records_charged = 0;
    // What a hold granted on it counts as for marks (ledger_mark_end's epoch rule): one
    // past the ledger sequence when a process last came to hold it (made it, looked it up,
    // received it).
    uint64_t grant_seq = 0;
    uint64_t send_seq = 0;  // sequence number of the next message sent
    uint64_t recv_seq = 0;  // sequence number the next receive must deliver
    Link all_link;
    Link watch_link;  // a Watch channel waiting for a process to end
    Link dead_link;   // in Kernel::maybe_dead: it may have become unreachable (chan_collect)
    uint32_t watch_pid = 0;

    Channel() = default;
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;
};

static_assert(offsetof(Channel, shared) == GOOS_CHAN_SHARED_WORD * 8);

constexpr uint32_t kChanMagic = 0x6368616e;  // "chan"
// What a channel's header costs its creator (its slab slot).
constexpr size_t kChanHeaderBytes = (sizeof(Channel) + 15) & ~size_t{15};

// Where the i-th buffered message, oldest first, lies in the ring of slots and values
// (0 <= i <= count: i == count is where the next one goes).
inline uint64_t ring_index(const Channel* c, int64_t i) {
    return (c->head + static_cast<uint64_t>(i)) % static_cast<uint64_t>(c->cap);
}
// The i-th buffered message, oldest first (0 <= i < count).
inline Slot& buffered(Channel* c, int64_t i) {
    return c->slots[ring_index(c, i)];
}
inline const Slot& buffered(const Channel* c, int64_t i) {
    return c->slots[ring_index(c, i)];
}

Result<Channel*> chan_make(Process* p, uint64_t elem_size, int64_t cap, uint64_t type_tag = 0);
// Checks a channel value from a program: a live channel that `p` holds.
Result<Channel*> chan_from_user(Process* p, uint64_t value);

// Send and receive for thread `t`. `desc` (checked readable) is committed to the ledger
// only when the send goes ahead. With
// nonblock, a send or receive that cannot complete at once returns WOULD_BLOCK and
// commits nothing. A receive returns 1 for a value, 0 for closed-and-drained.
// A send on a channel whose values hold pointers goes unwalked while the channel is local
// to t's process (abi.h, local channels); one with a null description skipped its walk,
// which is RETRY once it is not.
// A receive returns 1 for a value (with GOOS_RECV_OWN when it was sent unwalked), 0 for
// closed-and-drained.
Result<int64_t> chan_send(Thread* t, Channel* c, const void* elem, const goos_transfer* desc, bool nonblock);
Result<int64_t> chan_recv(Thread* t, Channel* c, void* elem, bool nonblock);
Result<void> chan_close(Channel* c);

// Select over validated cases (at most GOOS_MAX_SELECT), with room for a waiter per case.
// Returns the fired case, or GOOS_SELECT_DEFAULT; a fired receive leaves its ok in t->ok.
struct SelectCase {
    Channel* chan;  // nullptr: a nil channel, never ready
    void* elem;
    const goos_transfer* desc;  // send: what the value hands over (checked whole: transfer_check)
    bool is_send;
};
// block: wait for a case when none is ready, until `deadline` (now_ns; 0: no deadline),
// then TIMED_OUT.
Result<int64_t> select(Thread* t, SelectCase* cases, Waiter* ws, uint32_t n, bool block, uint64_t deadline = 0);
// Frees the pages a large select kept its cases and waiters in (syscall.cpp), if any.
void select_release(Thread* t);

// Helpers shared by chan.cpp and select.cpp.
bool chan_send_ready(const Channel* c);
bool chan_recv_ready(const Channel* c);
// Completes a ready send or receive without blocking. A receive leaves in t->own whether
// the value was sent unwalked.
void chan_send_now(Thread* t, Channel* c, const void* elem, Transfer* xfer, bool unwalked);
bool chan_recv_now(Thread* t, Channel* c, void* elem);
// Whether a send of `desc` on c goes unwalked: c's values hold pointers and c is local to
// p, whatever the walk found (a local channel moves nothing); RETRY when the walk was
// skipped (a null description) and c is not local. The hint in c's word 3 is refreshed.
Result<bool> chan_check_unwalked(Channel* c, Process* p, const goos_transfer* desc);
// Removes a blocked thread's waiters from their channel queues.
void unhook_waiters(Thread* t);
// The messages a thread's send cases still offer, each once: back to `to` (the sender), or
// discarded when `to` is null (the sender is dying).
void release_offers(Thread* t, Process* to);

// Frees channels that no live process holds, no name publishes and no message in a live
// channel carries; their buffered messages die with them. It looks at the channels that
// may have become so since it last ran (chan_maybe_dead) and at what their messages carry,
// and at every channel only when one of those is carried by a message (a cycle of
// messages may keep it), so a program's mark does not cost every program's channels.
void chan_collect();
// c lost a holder, a name or a message that carried it: chan_collect looks at it.
void chan_maybe_dead(Channel* c);
void chan_drop_holder(Process* p);
// p now holds, made or pays for c: its header page joins p's set (Process::chans).
void note_chan(Process* p, const Channel* c);
// More processes hold c (and share what it costs once its creator ended).
void chan_hold(Channel* c, uint64_t bits);
// c's holders, creator or orphaned records changed: its charges follow (Channel::
// header_payers). With no holder and no creator, no one pays for it.
void chan_recharge(Channel* c);
// Whether a program other than p may receive from c: another holds it, a name publishes it,
// or a message in flight carries it (DESIGN.md's "local" is the opposite).
bool chan_shared(const Channel* c, const Process* p);
// Something is about to make c shared (a commit or a grant naming it, a publish):
// UNWALKED while values sent without a walk wait in it (abi.h, chan_seal).
Result<void> chan_may_share(const Channel* c);
// Copies up to max of c's unwalked values, oldest first, to out; returns how many it has.
uint64_t chan_peek(const Channel* c, uint8_t* out, uint64_t max);
// Copies the unwalked values of the channels p holds to out, as far as max bytes go;
// returns the bytes they take in all (abi.h, chan_roots).
uint64_t chan_roots(Process* p, uint8_t* out, uint64_t max);
// c may have stopped being local: its hint says so, and its blocked senders whose values
// were not walked wake with RETRY, to walk them.
void chan_now_shared(Channel* c);

}  // namespace kernel
