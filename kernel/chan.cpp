#include "chan.h"

#include "chanset.h"
#include "kernel.h"
#include "ledger.h"
#include "sched.h"

namespace kernel {

namespace {

void copy_elem(void* dst, const void* src, uint32_t size) {
    if (!dst || !size) return;
    if (!src) {
        memset(dst, 0, size);
        return;
    }
    // Word-sized values (ints, pointers, channels) are the common case: copied inline
    // rather than through a call.
    switch (size) {
        case 1:
            __builtin_memcpy(dst, src, 1);
            break;
        case 4:
            __builtin_memcpy(dst, src, 4);
            break;
        case 8:
            __builtin_memcpy(dst, src, 8);
            break;
        case 16:
            __builtin_memcpy(dst, src, 16);
            break;
        default:
            memcpy(dst, src, size);
            break;
    }
}

// Takes the number for the next message and checks that delivery keeps channel order
// (invariant 6): messages are numbered when they enter the channel and must leave in
// that order, each once.
void deliver_in_order(Channel* c, uint64_t seq) {
    if (seq != c->recv_seq) ++k.invariant_failures;
    c->recv_seq = seq + 1;
}

// A blocked thread's wait is over: unhook its other cases and let it run.
void complete(Waiter* w, int64_t status) {
    Thread* t = w->thread;
    t->fired = static_cast<int32_t>(w->case_index);
    t->done = true;
    unhook_waiters(t);
    wake(t, status);
}

// Takes the message a blocked sender offers. A select may offer one committed message on
// several cases; once one case hands it over, no other case of that select has it.
Transfer* take_xfer(Waiter* w) {
    Transfer* x = w->xfer;
    Thread* t = w->thread;
    for (uint32_t i = 0; x && t->waiters && i < t->nwaiters; ++i)
        if (t->waiters[i].xfer == x) t->waiters[i].xfer = nullptr;
    w->xfer = nullptr;
    return x;
}

// Blocks t on one channel until a peer completes the wait (or the channel closes).
void wait_on(Thread* t, Channel* c, Waiter* w, void* elem, bool is_send) {
    w->thread = t;
    w->chan = c;
    w->elem = elem;
    w->is_send = is_send;
    (is_send ? c->sendq : c->recvq).push_back(w);
    t->waiters = w;
    t->nwaiters = 1;
    t->done = false;
    block_current(is_send ? WaitKind::Send : WaitKind::Recv, 0);
    t->waiters = nullptr;
    t->nwaiters = 0;
}

void buffer_push(Channel* c, const void* elem, Transfer* xfer, bool unwalked) {
    const uint64_t i = ring_index(c, c->count);
    copy_elem(c->data + static_cast<size_t>(i) * c->elem_size, elem, c->elem_size);
    c->slots[i] = Slot{xfer, c->send_seq++, unwalked};
    if (xfer) xfer->where = c;
    c->unwalked += unwalked;
    ++c->count;
}

// What a channel's payer is charged: its header and buffer.
uint64_t chan_bytes(const Channel* c) {
    return kChanHeaderBytes + c->buf.bytes;
}

}  // namespace

Result<Channel*> chan_make(Process* p, uint64_t elem_size, int64_t cap, uint64_t type_tag) {
    if (elem_size > GOOS_MAX_ELEM || cap < 0 || cap > GOOS_MAX_CAP) return Error::BAD_SIZE;
    // The buffer: a value and a message slot per element, a record of its own (kblock.h).
    // Header and buffer are charged to the creator while it lives.
    const size_t bytes = static_cast<size_t>(cap) * (elem_size + sizeof(Slot));
    const size_t cost = bytes ? kblock_cost(bytes) : 0;
    if (p->over_budget(0, kChanHeaderBytes + cost)) return Error::NO_MEMORY;
    KBlock buf;
    if (bytes) {
        buf = kblock_alloc(bytes, PageUse::Buffer);
        if (!buf.mem) return Error::NO_MEMORY;
    }
    Channel* c = k.chans.create(k.pages);
    if (!c) {
        kblock_free(buf);
        return Error::NO_MEMORY;
    }
    c->magic = kChanMagic;
    c->id = k.next_chan_id++;
    c->cap = cap;
    c->elem_size = static_cast<uint32_t>(elem_size);
    c->type_tag = type_tag;
    c->buf = buf;
    c->slots = static_cast<Slot*>(buf.mem);
    c->data = buf.mem ? static_cast<uint8_t*>(buf.mem) + static_cast<size_t>(cap) * sizeof(Slot) : nullptr;
    c->holders = p->bit();
    c->creator_slot = p->slot;
    c->grant_seq = k.ledger_seq + 1;
    chan_recharge(c);
    note_chan(p, c);
    k.channels.push_back(c);
    trace(TraceKind::ChanMake, k.current ? k.current->id : 0, p->pid, c->id, static_cast<uint64_t>(cap));
    return c;
}

Result<Channel*> chan_from_user(Process* p, uint64_t value) {
    if (value == 0) return Error::NIL_CHANNEL;
    Channel* c = k.chans.lookup(k.pages, value);
    if (!c || c->magic != kChanMagic || !(c->holders & p->bit())) return Error::BAD_HANDLE;
    return c;
}

bool chan_send_ready(const Channel* c) {
    return c->closed || !c->recvq.empty() || c->count < c->cap;
}

bool chan_recv_ready(const Channel* c) {
    return c->count > 0 || !c->sendq.empty() || c->closed;
}

void chan_send_now(Thread* t, Channel* c, const void* elem, Transfer* xfer, bool unwalked) {
    ++k.stats.messages;
    trace(TraceKind::ChanSend, t->id, t->pid, c->id, c->send_seq);
    if (Waiter* w = c->recvq.pop_front()) {
        // A receiver is waiting: the value goes straight to it.
        const uint64_t seq = c->send_seq++;
        deliver_in_order(c, seq);
        copy_elem(w->elem, elem, c->elem_size);
        if (xfer) ledger_grant(w->thread, xfer);
        w->thread->ok = true;
        w->thread->own = unwalked;
        trace(TraceKind::ChanRecv, w->thread->id, w->thread->pid, c->id, seq);
        complete(w, 0);
        return;
    }
    buffer_push(c, elem, xfer, unwalked);
}

bool chan_recv_now(Thread* t, Channel* c, void* elem) {
    if (c->count > 0) {
        Slot& s = c->slots[c->head];
        copy_elem(elem, c->data + static_cast<size_t>(c->head) * c->elem_size, c->elem_size);
        Transfer* xfer = s.xfer;
        t->own = s.unwalked;
        c->unwalked -= s.unwalked;
        deliver_in_order(c, s.seq);
        trace(TraceKind::ChanRecv, t->id, t->pid, c->id, s.seq);
        s = Slot{nullptr, 0, false};
        c->head = static_cast<uint32_t>((c->head + 1) % static_cast<uint64_t>(c->cap));
        --c->count;
        if (xfer) ledger_grant(t, xfer);
        // A space opened: the first blocked sender's value takes it.
        if (Waiter* w = c->sendq.pop_front()) {
            trace(TraceKind::ChanSend, w->thread->id, w->thread->pid, c->id, c->send_seq);
            ++k.stats.messages;
            buffer_push(c, w->elem, take_xfer(w), w->unwalked);
            complete(w, 0);
        }
        return true;
    }
    if (Waiter* w = c->sendq.pop_front()) {
        // Unbuffered: take the value straight from the blocked sender.
        const uint64_t seq = c->send_seq++;
        ++k.stats.messages;
        trace(TraceKind::ChanSend, w->thread->id, w->thread->pid, c->id, seq);
        deliver_in_order(c, seq);
        copy_elem(elem, w->elem, c->elem_size);
        t->own = w->unwalked;
        trace(TraceKind::ChanRecv, t->id, t->pid, c->id, seq);
        if (Transfer* x = take_xfer(w)) ledger_grant(t, x);
        complete(w, 0);
        return true;
    }
    // Closed and drained: the zero value and false.
    copy_elem(elem, nullptr, c->elem_size);
    return false;
}

Result<int64_t> chan_send(Thread* t, Channel* c, const void* elem, const goos_transfer* desc, bool nonblock) {
    if (!c) {
        if (nonblock) return Error::WOULD_BLOCK;
        block_current(WaitKind::Forever, 0);  // a nil channel blocks forever
        return Error::WOULD_BLOCK;
    }
    if (c->closed) return Error::CLOSED;
    if (!chan_send_ready(c) && nonblock) return Error::WOULD_BLOCK;
    const bool unwalked = TRY(chan_check_unwalked(c, t->proc, desc));
    Transfer* xfer = unwalked ? nullptr : TRY(ledger_commit(t, desc, c));
    if (chan_send_ready(c)) {
        chan_send_now(t, c, elem, xfer, unwalked);
        return 0;
    }
    Waiter w;
    w.xfer = xfer;
    if (xfer) xfer->where = c;
    w.unwalked = unwalked;
    // The pages its walk joined (abi.h, walk_join) are named by its offer now, and a store
    // into them from here on grows the offer (ledger_expose): a sender that waits lets go
    // of them rather than pin them while it waits.
    ledger_join_release(t);
    wait_on(t, c, &w, const_cast<void*>(elem), true);
    if (w.xfer) ledger_undo(t->proc, w.xfer);  // closed meanwhile: the message lets go
    if (t->wake_status != 0) return static_cast<Error>(t->wake_status);
    return 0;
}

Result<int64_t> chan_recv(Thread* t, Channel* c, void* elem, bool nonblock) {
    if (!c) {
        if (nonblock) return Error::WOULD_BLOCK;
        block_current(WaitKind::Forever, 0);
        return Error::WOULD_BLOCK;
    }
    const int64_t own = GOOS_RECV_OWN;
    if (chan_recv_ready(c)) return chan_recv_now(t, c, elem) ? 1 | (t->own ? own : 0) : 0;
    if (nonblock) return Error::WOULD_BLOCK;
    Waiter w;
    t->ok = false;
    wait_on(t, c, &w, elem, false);
    return t->ok ? 1 | (t->own ? own : 0) : 0;
}

Result<void> chan_close(Channel* c) {
    if (!c) return Error::NIL_CHANNEL;
    if (c->closed) return Error::CLOSED;
    c->closed = true;
    trace(TraceKind::ChanClose, k.current ? k.current->id : 0, k.current ? k.current->pid : 0, c->id, 0);
    // Receivers get the zero value and false; senders fail (the runtime panics them).
    while (Waiter* w = c->recvq.pop_front()) {
        copy_elem(w->elem, nullptr, c->elem_size);
        w->thread->ok = false;
        w->thread->own = false;
        complete(w, 0);
    }
    // The senders take their uncommitted messages back themselves when they run.
    while (Waiter* w = c->sendq.pop_front()) complete(w, GOOS_CLOSED);
    return {};
}

void release_offers(Thread* t, Process* to) {
    for (uint32_t i = 0; t->waiters && i < t->nwaiters; ++i) {
        Transfer* x = t->waiters[i].xfer;
        if (!x) continue;
        t->waiters[i].xfer = nullptr;  // each case committed its own (select.cpp)
        if (to)
            ledger_undo(to, x);
        else
            ledger_discard(x);
    }
}

void unhook_waiters(Thread* t) {
    for (uint32_t i = 0; i < t->nwaiters; ++i) {
        Waiter& w = t->waiters[i];
        // An offer off its queue is in no channel until its thread takes it back (or the
        // channel's receiver took it): a store's slow path must not grow it (ledger.cpp).
        if (w.xfer) w.xfer->where = nullptr;
        if (!w.link.linked()) continue;
        if (w.is_send)
            w.chan->sendq.remove(&w);
        else
            w.chan->recvq.remove(&w);
    }
}

bool chan_shared(const Channel* c, const Process* p) {
    return (c->holders & ~p->bit()) != 0 || c->published != 0 || c->inflight != 0;
}

namespace {
const uint8_t* value_at(const Channel* c, int64_t i) {
    return c->data + ring_index(c, i) * c->elem_size;
}
}  // namespace

uint64_t chan_peek(const Channel* c, uint8_t* out, uint64_t max) {
    uint64_t n = 0;
    for (int64_t i = 0; i < c->count && n < max; ++i) {
        if (!buffered(c, i).unwalked) continue;
        memcpy(out + n * c->elem_size, value_at(c, i), c->elem_size);
        ++n;
    }
    return c->unwalked;
}

uint64_t chan_roots(Process* p, uint8_t* out, uint64_t max) {
    uint64_t bytes = 0;
    chans_of(p, [&](Channel* c) {
        if (!c->unwalked || !(c->holders & p->bit())) return;
        for (int64_t i = 0; i < c->count; ++i) {
            if (!buffered(c, i).unwalked) continue;
            if (bytes + c->elem_size <= max) memcpy(out + bytes, value_at(c, i), c->elem_size);
            bytes += c->elem_size;
        }
    });
    return bytes;
}

Result<bool> chan_check_unwalked(Channel* c, Process* p, const goos_transfer* desc) {
    const bool shared = chan_shared(c, p);
    c->shared = shared;
    if (!(c->type_tag & GOOS_TYPE_TAG_POINTERS)) return false;
    if (shared) return desc ? Result<bool>(false) : Error::RETRY;
    return true;
}

Result<void> chan_may_share(const Channel* c) {
    if (c->unwalked) return Error::UNWALKED;
    return {};
}

void chan_now_shared(Channel* c) {
    c->shared = 1;
    for (Waiter* w = c->sendq.front(); w;) {
        Waiter* next = c->sendq.next(w);
        // complete() unhooks all of that thread's cases: the next one may be gone too.
        if (w->unwalked) {
            complete(w, GOOS_RETRY);
            next = c->sendq.front();
        }
        w = next;
    }
}

void note_chan(Process* p, const Channel* c) {
    p->chans.add(k.pages.index_of(reinterpret_cast<uintptr_t>(c)));
}

void chan_hold(Channel* c, uint64_t bits) {
    const uint64_t added = bits & ~c->holders;
    if (!added) return;
    for (uint64_t b = added; b; b &= b - 1)
        if (Process* p = process_by_slot(__builtin_ctzll(b))) note_chan(p, c);
    c->holders |= bits;
    chan_recharge(c);
}

namespace {
// `bytes` split evenly among the processes of `who` (a bit per slot), the lowest taking
// what the division leaves; added, or taken back.
void charge_bytes(uint64_t who, uint64_t bytes, bool add) {
    each_part(who, bytes, [add](int slot, uint64_t part) {
        if (Process* q = process_by_slot(slot)) q->kernel_bytes = add ? q->kernel_bytes + part : q->kernel_bytes - part;
    });
}
}  // namespace

void chan_recharge(Channel* c) {
    charge_bytes(c->header_payers, chan_bytes(c), false);
    charge_bytes(c->record_payers, c->records_charged, false);
    c->header_payers = c->creator_slot ? uint64_t{1} << c->creator_slot : c->holders;
    c->record_payers = c->orphan_bytes ? c->holders : 0;
    c->records_charged = c->record_payers ? c->orphan_bytes : 0;
    charge_bytes(c->header_payers, chan_bytes(c), true);
    charge_bytes(c->record_payers, c->records_charged, true);
    ledger_carrier_changed(c);
}

void chan_drop_holder(Process* p) {
    ++k.chan_epoch;
    chans_of(p, [p](Channel* c) {
        if (c->holders & p->bit()) chan_maybe_dead(c);
        c->holders &= ~p->bit();
        if (c->creator_slot == p->slot) c->creator_slot = 0;  // the slot may be reused
        // Its messages still buffered are charged to the channel's holders from here on.
        for (int64_t i = 0; i < c->count; ++i) {
            Transfer* x = buffered(c, i).xfer;
            if (!x || x->payer != p->pid) continue;
            p->kernel_bytes -= x->self_bytes;
            x->payer = 0;
            c->orphan_bytes += x->self_bytes;
        }
        chan_recharge(c);
    });
}

namespace {

// c goes: its buffered messages die (what they carry may become unreachable in turn), then
// the channel.
void free_channel(Channel* c) {
    for (int64_t i = 0; i < c->count; ++i) {
        Slot& s = buffered(c, i);
        if (s.xfer) ledger_discard(s.xfer);
        s.xfer = nullptr;
    }
    if (c->dead_link.linked()) k.maybe_dead.remove(c);
    k.channels.remove(c);
    if (c->watch_link.linked()) k.watches.remove(c);
    c->holders = 0;
    c->creator_slot = 0;
    chan_recharge(c);  // no one pays from here on
    kblock_free(c->buf);
    c->magic = 0;  // a free slot to chans_of()
    k.chans.destroy(c);
    ++k.chan_epoch;
}

// Every channel: those reachable from a holder or a name, through the messages in reachable
// channels (buffered, or offered by a blocked sender), live; the others go.
void collect_all() {
    for (Channel* c = k.channels.front(); c; c = k.channels.next(c)) c->marked = c->holders != 0 || c->published != 0;
    for (bool changed = true; changed;) {
        changed = false;
        const auto mark = [&](Transfer* x) {
            for (uint32_t j = 0; x && j < x->nchans; ++j)
                if (!x->chans()[j]->marked) x->chans()[j]->marked = changed = true;
        };
        for (Channel* c = k.channels.front(); c; c = k.channels.next(c)) {
            if (!c->marked) continue;
            for (int64_t i = 0; i < c->count; ++i) mark(buffered(c, i).xfer);
            for (Waiter* w = c->sendq.front(); w; w = c->sendq.next(w)) mark(w->xfer);
        }
    }
    // Messages in dead channels die first, then the channels, since a message may carry
    // another dead channel.
    for (Channel* c = k.channels.front(); c; c = k.channels.next(c)) {
        if (c->marked) continue;
        for (int64_t i = 0; i < c->count; ++i) {
            Slot& s = buffered(c, i);
            if (s.xfer) ledger_discard(s.xfer);
            s.xfer = nullptr;
        }
    }
    for (Channel* c = k.channels.front(); c;) {
        Channel* next = k.channels.next(c);
        if (!c->marked) free_channel(c);
        c = next;
    }
    while (k.maybe_dead.pop_front()) {
    }
}

}  // namespace

void chan_maybe_dead(Channel* c) {
    if (!c->dead_link.linked()) k.maybe_dead.push_back(c);
}

void chan_collect() {
    bool carried = false;
    while (Channel* c = k.maybe_dead.pop_front()) {
        if (c->holders || c->published) continue;
        if (c->inflight) {
            carried = true;  // by a live message, or by one in a channel that is dead too
            continue;
        }
        free_channel(c);
    }
    if (carried) collect_all();
}

}  // namespace kernel
