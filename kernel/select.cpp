// Go's select: a uniformly random choice among the ready cases; default when none is
// ready; otherwise wait on every case and be woken by the first, unhooked from the rest.
#include "chan.h"
#include "kernel.h"
#include "ledger.h"
#include "sched.h"

namespace kernel {

namespace {
// The blocking path gives up before waiting: the offers its first `hooked` cases
// committed go back to the sender.
void give_back_offers(Thread* t, Waiter* ws, uint32_t hooked) {
    t->waiters = ws;
    t->nwaiters = hooked;
    release_offers(t, t->proc);
    t->waiters = nullptr;
    t->nwaiters = 0;
}
}  // namespace

Result<int64_t> select(Thread* t, SelectCase* cases, Waiter* ws, uint32_t n, bool block, uint64_t deadline) {
    uint32_t nready = 0;
    for (uint32_t i = 0; i < n; ++i) {
        const Channel* c = cases[i].chan;
        if (c && (cases[i].is_send ? chan_send_ready(c) : chan_recv_ready(c))) ++nready;
    }
    if (nready) {
        uint64_t pick = k.rng.below(nready);
        for (uint32_t i = 0; i < n; ++i) {
            SelectCase& sc = cases[i];
            if (!sc.chan || !(sc.is_send ? chan_send_ready(sc.chan) : chan_recv_ready(sc.chan))) continue;
            if (pick--) continue;
            if (sc.is_send) {
                if (sc.chan->closed) return Error::CLOSED;
                const bool unwalked = TRY(chan_check_unwalked(sc.chan, t->proc, sc.desc));
                Transfer* xfer = unwalked ? nullptr : TRY(ledger_commit(t, sc.desc, sc.chan));
                chan_send_now(t, sc.chan, sc.elem, xfer, unwalked);
            } else {
                t->ok = chan_recv_now(t, sc.chan, sc.elem);
            }
            return static_cast<int64_t>(i);
        }
    }
    if (!block) return GOOS_SELECT_DEFAULT;

    // Commit every send case's transfer before hooking in, so that whichever case fires
    // finds its message ready; the others are undone after the wake. Each case commits its
    // own, in one pass (a select may have 65,536 cases).
    uint32_t hooked = 0;
    for (uint32_t i = 0; i < n; ++i) {
        SelectCase& sc = cases[i];
        if (!sc.chan) continue;
        Waiter& w = ws[hooked];
        w.xfer = nullptr;
        w.unwalked = false;
        if (sc.is_send) {
            auto unwalked = chan_check_unwalked(sc.chan, t->proc, sc.desc);
            auto x = !unwalked.ok()     ? Result<Transfer*>(unwalked.error())
                     : unwalked.value() ? Result<Transfer*>(nullptr)
                                        : ledger_commit(t, sc.desc, sc.chan);
            if (!x.ok()) {
                give_back_offers(t, ws, hooked);
                return x.error();
            }
            w.xfer = x.value();
            if (w.xfer) w.xfer->where = sc.chan;
            w.unwalked = unwalked.value();
        }
        w.thread = t;
        w.chan = sc.chan;
        w.elem = sc.elem;
        w.is_send = sc.is_send;
        w.case_index = i;
        ++hooked;
    }
    // A later case's commit may have made an earlier case's channel shared: that case's
    // value, not walked, must not wait there (abi.h, local channels).
    for (uint32_t j = 0; j < hooked; ++j) {
        if (ws[j].is_send && ws[j].unwalked && chan_shared(ws[j].chan, t->proc)) {
            give_back_offers(t, ws, hooked);
            return Error::RETRY;
        }
    }
    if (hooked == 0) {
        block_current(WaitKind::Forever, deadline);  // select {} or only nil channels
        return deadline ? Error::TIMED_OUT : Error::WOULD_BLOCK;
    }
    for (uint32_t j = 0; j < hooked; ++j) {
        if (ws[j].is_send)
            ws[j].chan->sendq.push_back(&ws[j]);
        else
            ws[j].chan->recvq.push_back(&ws[j]);
    }
    t->waiters = ws;
    t->nwaiters = hooked;
    t->done = false;
    t->ok = false;
    t->own = false;
    t->fired = -1;
    ledger_join_release(t);  // as chan_send's sender that waits: its offers name them
    block_current(WaitKind::Select, deadline);
    release_offers(t, t->proc);
    t->waiters = nullptr;
    t->nwaiters = 0;
    if (t->wake_status != 0) return static_cast<Error>(t->wake_status);
    return static_cast<int64_t>(t->fired);
}

void select_release(Thread* t) {
    if (!t->select_pages) return;
    k.pages.free(t->select_pages, t->select_npages);
    if (t->proc) t->proc->kernel_bytes -= uint64_t{t->select_npages} * kPageSize;
    t->select_pages = nullptr;
    t->select_npages = 0;
}

}  // namespace kernel
