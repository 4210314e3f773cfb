// Select fuzzer: the input decodes into channel states (buffered counts, closed, peers
// blocked sending or receiving on them) and one select over random cases (nil included),
// blocking or not. A model of Go's rules predicts which cases are ready:
// - the fired case must have been ready, and a receive gets the right value and ok;
// - default (non-blocking) only when no case was ready;
// - a blocking select with nothing ready waits, and wakes on a case of the channel that a
//   waker thread then makes ready (a send to it, a receive from it, or a close).
// Send cases may carry objects (the ownership transfer of the value sent): one committed
// message shared by every send case, a distinct object per case, or cases that all claim
// the same objects (the later ones then hand over holds only). Whichever case fires,
// kernel::check_invariants must hold right after the select, and every page and channel
// must be freed at the end.
//
// Processes: the selector (process 1) makes, fills, publishes and closes the channels and
// runs the select; the peer (process 2) looks them up and runs one thread per blocked
// operation plus the waker. Phases in a shared struct keep the order deterministic; the
// selector reads the channels' wait queues (one address space) to know that peers blocked.
#include <kernel/chan.h>

#include "harness.h"

namespace {
using namespace fuzz;

constexpr int kMaxChans = 4;
constexpr int kMaxCases = 6;

enum class Peer : uint8_t { None, BlockSend, BlockRecv };
// What the select's send cases carry.
// Overlapping was "more objects than one case owns"; with pages named, not objects, it is Distinct.
enum class Objects : uint8_t { None, Shared, Distinct, Overlapping };
enum class Wake : uint8_t { None, Close, Send, Recv };

struct PlanChan {
    int64_t cap;
    int fill;       // values buffered before the select
    bool closed;
    Peer peer;
};
struct PlanCase {
    int chan;       // -1: nil
    bool send;
};

struct State {
    // The plan, decoded before the kernel boots.
    int nchans = 0;
    PlanChan chans[kMaxChans];
    int ncases = 0;
    PlanCase cases[kMaxCases];
    bool block = false;
    Objects objects = Objects::None;
    bool ready[kMaxCases] = {};
    bool any_ready = false;
    Wake wake = Wake::None;
    int wake_chan = -1;
    // Run time. Plain fields: one host thread runs every GOOS thread, and each wait loop
    // calls goos_syscall (opaque to the compiler), so every read sees the latest write.
    uint64_t values[kMaxChans] = {};      // channel values
    int phase = 0;                        // 1: published, 2: select about to block, 3: done
    int peers_done = 0;
    bool looked_up = false;               // the peer holds every channel
    uint64_t peer_got[kMaxChans] = {};    // what a blocked peer receiver got
    int64_t peer_status[kMaxChans] = {};
    uint64_t waker_got = 0;
    int64_t waker_status = 0;
    bool waker_done = false;
    size_t queued_before = 0;             // waiters on the waker's channel before the select
    int spins = 0;                        // yields in wait loops, bounded by spin()
};
State g;

[[noreturn]] void fail(const char* what, long long a = 0, long long b = 0);

// One step of a wait loop. libFuzzer's -timeout cannot catch a hang here (its SIGALRM is
// the hosted HAL's tick signal), so every wait is bounded and a hang is a finding.
void spin(const char* what) {
    if (++g.spins > 100000) {
        fprintf(stderr, "select fuzzer: hang in %s (phase %d, looked_up %d, waker_done %d, peers_done %d)\n", what, g.phase, g.looked_up, g.waker_done, g.peers_done);
        for (int i = 0; i < g.nchans; ++i) fprintf(stderr, "  chan %d: count %lld sendq %zu recvq %zu closed %d\n", i, (long long)reinterpret_cast<kernel::Channel*>(g.values[i])->count, reinterpret_cast<kernel::Channel*>(g.values[i])->sendq.size(), reinterpret_cast<kernel::Channel*>(g.values[i])->recvq.size(), reinterpret_cast<kernel::Channel*>(g.values[i])->closed);
        fprintf(stderr, "  waker status %lld got %llu\n", (long long)g.waker_status, (unsigned long long)g.waker_got);
        fail("hang: a wait never ended");
    }
    goos_syscall(GOOS_SYS_yield, 0, 0, 0, 0);
}


int64_t sys(uint64_t nr, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0) {
    return goos_syscall(nr, a0, a1, a2, a3);
}
template <class T>
uint64_t u(T* p) {
    return reinterpret_cast<uint64_t>(p);
}

[[noreturn]] void fail(const char* what, long long a, long long b) {
    fprintf(stderr, "select fuzzer: %s (%lld, %lld)\nplan: %d channels:", what, a, b, g.nchans);
    static const char* const peer[] = {"-", "peer blocked sending", "peer blocked receiving"};
    for (int i = 0; i < g.nchans; ++i)
        fprintf(stderr, "\n  chan %d: cap %lld, %d buffered%s, %s", i, static_cast<long long>(g.chans[i].cap),
                g.chans[i].fill, g.chans[i].closed ? ", closed" : "", peer[static_cast<int>(g.chans[i].peer)]);
    fprintf(stderr, "\nselect (%s):", g.block ? "blocking" : "non-blocking");
    for (int i = 0; i < g.ncases; ++i)
        fprintf(stderr, " [%d: %s chan %d%s]", i, g.cases[i].send ? "send" : "recv", g.cases[i].chan,
                g.ready[i] ? " ready" : "");
    static const char* const wake[] = {"none", "close", "send", "recv"};
    fprintf(stderr, "\nwaker: %s on chan %d\n", wake[static_cast<int>(g.wake)], g.wake_chan);
    die();
}

uint64_t fill_value(int c, int k) { return 1000 * static_cast<uint64_t>(c + 1) + static_cast<uint64_t>(k); }
uint64_t peer_value(int c) { return 5000 + static_cast<uint64_t>(c); }
uint64_t case_value(int i) { return 9000 + static_cast<uint64_t>(i); }
constexpr uint64_t kWakerValue = 7777;

kernel::Channel* kchan(int c) { return reinterpret_cast<kernel::Channel*>(g.values[c]); }
size_t waiters(int c) { return kchan(c)->sendq.size() + kchan(c)->recvq.size(); }

// Go's readiness, from the plan (the state the channels are in when the select runs).
bool ready(const PlanCase& pc) {
    if (pc.chan < 0) return false;
    const PlanChan& c = g.chans[pc.chan];
    if (pc.send) return c.closed || c.peer == Peer::BlockRecv || c.fill < c.cap;
    return c.fill > 0 || c.peer == Peer::BlockSend || c.closed;
}

void decode(Bytes& in) {
    g.nchans = 1 + in.u8() % kMaxChans;
    for (int i = 0; i < g.nchans; ++i) {
        const uint8_t b = in.u8();
        PlanChan& c = g.chans[i];
        c.cap = b % 4;
        c.fill = static_cast<int>((b >> 2) % (c.cap + 1));
        c.closed = (b >> 4) % 4 == 0;
        const int peer = (b >> 6) % 3;
        c.peer = Peer::None;
        if (!c.closed && peer == 1 && c.fill == c.cap) c.peer = Peer::BlockSend;
        if (!c.closed && peer == 2 && c.fill == 0) c.peer = Peer::BlockRecv;
    }
    g.ncases = 1 + in.u8() % kMaxCases;
    bool any_chan = false;
    for (int i = 0; i < g.ncases; ++i) {
        const uint8_t b = in.u8();
        g.cases[i].chan = b % (g.nchans + 1) == static_cast<uint8_t>(g.nchans) ? -1 : b % (g.nchans + 1);
        g.cases[i].send = b & 0x80;
        g.ready[i] = ready(g.cases[i]);
        g.any_ready |= g.ready[i];
        any_chan |= g.cases[i].chan >= 0;
    }
    const uint8_t b = in.u8();
    g.block = (b & 1) && any_chan;  // select {} over nil channels would block for ever
    g.objects = static_cast<Objects>((b >> 5) & 3);
    if (!g.block || g.any_ready) return;
    // Nothing is ready: choose what wakes the select, among the actions that must wake it.
    int j = (b >> 1) % g.ncases;
    while (g.cases[j].chan < 0) j = (j + 1) % g.ncases;
    const int c = g.cases[j].chan;
    g.wake_chan = c;
    g.wake = Wake::Close;
    if ((b >> 4) & 1) {
        // A send reaches the select only if no peer receiver is queued ahead of it; a
        // receive frees the select's send only if no peer sender is queued ahead.
        if (!g.cases[j].send && g.chans[c].peer != Peer::BlockRecv) g.wake = Wake::Send;
        if (g.cases[j].send && g.chans[c].peer != Peer::BlockSend) g.wake = Wake::Recv;
    }
}

// ---------------------------------------------------------------- peer process

void peer_thread(uint64_t c) {
    uint64_t v = peer_value(static_cast<int>(c));
    if (g.chans[c].peer == Peer::BlockSend) {
        g.peer_status[c] = sys(GOOS_SYS_chan_send, g.values[c], u(&v), 0, 0);
    } else {
        uint64_t got = 0;
        g.peer_status[c] = sys(GOOS_SYS_chan_recv, g.values[c], u(&got), 0);
        g.peer_got[c] = got;
    }
    ++g.peers_done;
}

void waker(uint64_t) {
    const int c = g.wake_chan;
    // Wait until the select has hooked itself onto the channel.
    while (g.phase < 2 || waiters(c) == g.queued_before) spin(__func__);
    uint64_t v = kWakerValue, got = 0;  // on the stack: the kernel writes only there
    switch (g.wake) {
        case Wake::Close: g.waker_status = sys(GOOS_SYS_chan_close, g.values[c]); break;
        case Wake::Send: g.waker_status = sys(GOOS_SYS_chan_send, g.values[c], u(&v), 0, GOOS_NONBLOCK); break;
        case Wake::Recv: g.waker_status = sys(GOOS_SYS_chan_recv, g.values[c], u(&got), GOOS_NONBLOCK); break;
        case Wake::None: break;
    }
    g.waker_got = got;
    if (g.waker_status < 0) fail("the waker's call failed", g.waker_status);
    g.waker_done = true;
}

void peer(uint64_t) {
    while (g.phase < 1) spin(__func__);
    for (int i = 0; i < g.nchans; ++i) {
        char name[3] = {'c', static_cast<char>('0' + i), 0};
        const int64_t r = sys(GOOS_SYS_lookup, u(name), 2, 0);
        if (r != static_cast<int64_t>(g.values[i])) fail("lookup", i, r);
        if (g.chans[i].peer != Peer::None) sys(GOOS_SYS_thread_spawn, u(&peer_thread), static_cast<uint64_t>(i));
    }
    if (g.wake != Wake::None) sys(GOOS_SYS_thread_spawn, u(&waker), 0);
    g.looked_up = true;
    while (g.phase < 3) spin(__func__);
}

// ---------------------------------------------------------------- selector process

void selector(uint64_t) {
    int npeers = 0;
    for (int i = 0; i < g.nchans; ++i) {
        const int64_t v = sys(GOOS_SYS_chan_make, 8, static_cast<uint64_t>(g.chans[i].cap));
        if (v <= 0) fail("chan_make", v);
        g.values[i] = static_cast<uint64_t>(v);
        for (int k = 0; k < g.chans[i].fill; ++k) {
            uint64_t x = fill_value(i, k);
            if (sys(GOOS_SYS_chan_send, g.values[i], u(&x), 0, GOOS_NONBLOCK) != 0) fail("filling a channel", i, k);
        }
        if (g.chans[i].closed && sys(GOOS_SYS_chan_close, g.values[i]) != 0) fail("close", i);
        char name[3] = {'c', static_cast<char>('0' + i), 0};
        if (sys(GOOS_SYS_publish, u(name), 2, g.values[i]) != 0) fail("publish", i);
        npeers += g.chans[i].peer != Peer::None;
    }
    g.phase = 1;
    // Wait for the peer to hold the channels and for every planned peer thread to block.
    for (bool all = false; !all;) {
        spin(__func__);
        all = g.looked_up;
        for (int i = 0; i < g.nchans; ++i) {
            if (g.chans[i].peer == Peer::BlockSend && reinterpret_cast<kernel::Channel*>(g.values[i])->sendq.empty()) all = false;
            if (g.chans[i].peer == Peer::BlockRecv && reinterpret_cast<kernel::Channel*>(g.values[i])->recvq.empty()) all = false;
        }
    }
    goos_select_case cases[kMaxCases] = {};
    uint64_t vals[kMaxCases];
    // The pages the send cases hand over: one of the selector's, shared by every case or
    // one each.
    uint64_t pages[kMaxCases] = {};
    goos_transfer xfers[kMaxCases] = {};
    uint64_t page = 0;
    if (g.objects != Objects::None) page = static_cast<uint64_t>(sys(GOOS_SYS_page_alloc));
    for (int i = 0; i < g.ncases; ++i) {
        vals[i] = g.cases[i].send ? case_value(i) : 0;
        cases[i].chan = g.cases[i].chan < 0 ? 0 : g.values[g.cases[i].chan];
        cases[i].elem = &vals[i];
        cases[i].dir = g.cases[i].send;
        cases[i].ok = 2;  // neither 0 nor 1: shows whether the kernel wrote it
        if (g.objects == Objects::None || !g.cases[i].send) continue;
        const int x = g.objects == Objects::Shared ? 0 : i;
        pages[x] = page;
        xfers[x].pages = &pages[x];
        xfers[x].npages = 1;
        cases[i].transfer = &xfers[x];
    }
    if (g.wake != Wake::None) g.queued_before = waiters(g.wake_chan);
    g.phase = 2;
    const int64_t r = sys(GOOS_SYS_select, u(cases), static_cast<uint64_t>(g.ncases), g.block ? GOOS_SELECT_BLOCK : 0);
    // Whichever case fired, the objects are where the ledger says, each with one owner.
    if (page && !kernel::check_invariants(false)) {
        kernel::check_invariants(true);
        fail("kernel::check_invariants right after a select carrying objects", r);
    }

    // Which channel fired, and what it must have given.
    if (!g.any_ready && !g.block) {
        if (r != GOOS_SELECT_DEFAULT) fail("non-blocking select with no ready case did not take default", r);
    } else if (g.any_ready) {
        if (r == GOOS_CLOSED) {
            bool ok = false;
            for (int i = 0; i < g.ncases; ++i) ok |= g.ready[i] && g.cases[i].send && g.chans[g.cases[i].chan].closed;
            if (!ok) fail("select returned CLOSED without a ready send on a closed channel");
        } else {
            if (r < 0 || r >= g.ncases) fail("select returned no case", r);
            if (!g.ready[r]) fail("select fired a case that was not ready", r);
            const PlanCase& pc = g.cases[r];
            const PlanChan& c = g.chans[pc.chan];
            if (pc.send) {
                if (c.closed) fail("a send on a closed channel fired instead of failing", r);
            } else {
                const bool has = c.fill > 0 || c.peer == Peer::BlockSend;
                const uint64_t want = c.fill > 0 ? fill_value(pc.chan, 0) : has ? peer_value(pc.chan) : 0;
                if (cases[r].ok != (has ? 1u : 0u)) fail("select receive's ok", cases[r].ok, has);
                if (vals[r] != want) fail("select receive's value", static_cast<long long>(vals[r]), static_cast<long long>(want));
            }
        }
    } else {
        // Blocked, then woken by the waker.
        const int c = g.wake_chan;
        if (r == GOOS_CLOSED) {
            if (g.wake != Wake::Close) fail("blocked select failed with CLOSED but nothing closed");
            bool ok = false;
            for (int i = 0; i < g.ncases; ++i) ok |= g.cases[i].chan == c && g.cases[i].send;
            if (!ok) fail("blocked select: CLOSED without a send case on the closed channel");
        } else {
            if (r < 0 || r >= g.ncases) fail("blocked select returned no case", r);
            if (g.cases[r].chan != c) fail("blocked select woke on a channel nobody touched", r, g.cases[r].chan);
            if (g.wake == Wake::Send && (g.cases[r].send || vals[r] != kWakerValue || cases[r].ok != 1))
                fail("blocked select: the waker's value", static_cast<long long>(vals[r]), cases[r].ok);
            if (g.wake == Wake::Recv && !g.cases[r].send) fail("blocked select: a receive woke on a receive", r);
            if (g.wake == Wake::Close && (g.cases[r].send || cases[r].ok != 0))
                fail("blocked select: close must fire a receive with ok=0", r, cases[r].ok);
        }
        while (!g.waker_done) spin(__func__);
        if (g.waker_status < 0) fail("the waker's call failed", g.waker_status);
        if (g.wake == Wake::Recv) {
            const uint64_t want = g.chans[c].cap > 0 ? fill_value(c, 0) : case_value(static_cast<int>(r));
            if (g.waker_got != want) fail("the waker received", static_cast<long long>(g.waker_got), static_cast<long long>(want));
        }
    }
    // A fired send to a blocked peer receiver: the peer got exactly that value.
    if (r >= 0 && r < g.ncases && g.cases[r].send && g.chans[g.cases[r].chan].peer == Peer::BlockRecv) {
        while (g.peer_status[g.cases[r].chan] == 0 && g.peer_got[g.cases[r].chan] == 0) spin(__func__);
        if (g.peer_got[g.cases[r].chan] != case_value(static_cast<int>(r)))
            fail("the peer receiver got", static_cast<long long>(g.peer_got[g.cases[r].chan]));
    }
    // Tear down: closing wakes every blocked peer; then everyone ends.
    for (int i = 0; i < g.nchans; ++i) sys(GOOS_SYS_chan_close, g.values[i]);
    while (g.peers_done < npeers) spin(__func__);
    g.phase = 3;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    g.~State();
    new (&g) State();
    Bytes in{data, size};
    const uint64_t seed = in.u8();
    decode(in);
    boot(seed + 1);
    spawn("selector", selector, 0);
    spawn("peer", peer, 0);
    const kernel::RunResult run = kernel::run();
    if (run.deadlock) fail("the run deadlocked");
    if (!kernel::check_invariants(false)) {
        kernel::check_invariants(true);
        fail("kernel::check_invariants after the run");
    }
    size_t process_pages = 0;
    for (size_t i = kernel::k.pages.first_usable(); i < kernel::k.pages.npages(); ++i)
        if (kernel::k.pages.info_at(i).use == kernel::PageUse::Process) ++process_pages;
    if (process_pages || !kernel::k.channels.empty()) fail("pages or channels left", static_cast<long long>(process_pages));
    return 0;
}
