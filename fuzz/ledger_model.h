// The reference model of the kernel's page ledger and channels that the ownership and
// graphs harnesses share: plain containers, written from DESIGN.md and the rules of
// kernel/ledger.cpp, and compare(), which holds the kernel's records against it.
#pragma once

#include <vector>

#include "oplog.h"

// The room in a modelled transfer description, kept inline (copied with every message): a
// harness that describes larger transfers defines larger values before including this.
// The ownership harness draws up to 6 pages and one channel.
#ifndef FUZZ_MODEL_PAGES
#define FUZZ_MODEL_PAGES 12
#define FUZZ_MODEL_CHANS 2
#endif

namespace {

constexpr int kActors = 4;
constexpr size_t kMaxDrops = 256;  // pages one mark may let go of

// A vector of at most N items kept inline: the model allocates nothing per operation (an
// allocation under ASan costs more than most kernel calls). Overflow is a harness bug.
template <class T, size_t N>
struct Small {
    T items[N];
    size_t n = 0;
    bool empty() const { return n == 0; }
    size_t size() const { return n; }
    T* begin() { return items; }
    T* end() { return items + n; }
    const T* begin() const { return items; }
    const T* end() const { return items + n; }
    T& operator[](size_t i) { return items[i]; }
    const T& operator[](size_t i) const { return items[i]; }
    T& front() { return items[0]; }
    T& back() { return items[n - 1]; }
    void push_back(const T& v) {
        if (n == N) fail("harness: a model queue overflowed");
        items[n++] = v;
    }
    void pop_front() { erase(0); }
    void erase(size_t at) {
        for (size_t i = at + 1; i < n; ++i) items[i - 1] = items[i];
        --n;
    }
    void clear() { n = 0; }
};

struct MXfer {
    Small<uint64_t, FUZZ_MODEL_PAGES> pages;
    Small<uint64_t, FUZZ_MODEL_CHANS> chans;  // channel values
    bool funcs = false;                       // GOOS_TRANSFER_FUNCS
    bool empty() const { return pages.empty() && chans.empty(); }
};

struct MMsg {
    uint64_t value;
    bool has_xfer;
    MXfer x;
    bool unwalked = false;  // sent without a walk on a local channel (abi.h, chan_seal)
};

struct MPage {
    uint64_t addr;
    int origin;        // actor index, -1 once the origin ended or gave it up (slot 0)
    uint32_t holders;  // bit per actor
    uint32_t inflight;
    uint64_t grant_seq;
    bool dirty;  // abi.h: shared since its origin's last mark began
    // abi.h: someone besides the origin holds it, or a message does.
    bool shared() const { return (holders & ~(origin >= 0 ? 1u << origin : 0u)) || inflight; }
};

struct MSender {
    int actor;
    MMsg msg;
};

struct MChan {
    uint64_t value;
    int64_t cap;  // at most 3
    bool closed;
    uint32_t holders;
    uint64_t grant_seq;  // one past seq when an actor last came to hold it
    int published;
    Small<MMsg, 4> buf;
    Small<MSender, kActors> sendq;
    Small<int, kActors> recvq;  // blocked receivers (actors)
};

struct MActor {
    bool alive = true;
    bool blocked = false;
    bool marking = false;
    uint64_t mark_seq = 0;
    int64_t expect = 0;         // result the blocked call must return
    uint64_t expect_value = 0;  // receive: the value it must get
};

struct Model {
    // Vectors reserved once and cleared per input (reset()), so that they keep their room.
    std::vector<MPage> pages;  // live process pages
    std::vector<MChan> chans;  // live channels
    struct Name {
        char name[4];
        uint64_t chan;
        int publisher;
    };
    std::vector<Name> names;
    MActor actors[kActors];
    uint64_t seq = 0;  // mirrors k.ledger_seq
    uint64_t next_value = 1;
    std::vector<uint8_t> marked;  // collect()'s scratch
    std::vector<MPage> saved;     // select's dry run
    // What kernel::ledger_stats() counts since boot.
    struct Stats {
        uint64_t allocated = 0, at_exit = 0, later = 0, transfers = 0, pages_sent = 0;
    } stats;

    void reset() {
        pages.clear();
        chans.clear();
        names.clear();
        marked.clear();
        stats = Stats{};
        for (MActor& a : actors) a = MActor{};
        seq = 0;
        next_value = 1;
    }

    MPage* page(uint64_t addr) {
        for (MPage& p : pages)
            if (p.addr == addr) return &p;
        return nullptr;
    }
    MChan* chan(uint64_t value) {
        for (MChan& c : chans)
            if (c.value == value) return &c;
        return nullptr;
    }
    const MChan* chan(uint64_t value) const { return const_cast<Model*>(this)->chan(value); }
    MChan* held_chan(int a, uint64_t value) {
        MChan* c = chan(value);
        return c && (c->holders >> a & 1) ? c : nullptr;
    }
    // ledger.cpp settle(): a page nobody holds and no message touches goes back; any other
    // is dirty once shared.
    void settle(uint64_t addr) {
        for (size_t i = 0; i < pages.size(); ++i) {
            if (pages[i].addr != addr) continue;
            if (pages[i].holders == 0 && pages[i].inflight == 0) {
                pages.erase(pages.begin() + static_cast<long>(i));
                ++stats.later;
            } else {
                pages[i].dirty |= pages[i].shared();
            }
            return;
        }
    }
    // chan_shared(): another actor holds c, a name publishes it, or a message in a live
    // channel (buffered, or offered by a blocked sender) carries it.
    bool shared(const MChan& c, int a) const {
        if ((c.holders & ~(1u << a)) || c.published) return true;
        auto carries = [&](const MMsg& m) {
            for (uint64_t v : m.x.chans)
                if (m.has_xfer && v == c.value) return true;
            return false;
        };
        for (const MChan& d : chans) {
            for (const MMsg& m : d.buf)
                if (carries(m)) return true;
            for (const MSender& s : d.sendq)
                if (carries(s.msg)) return true;
        }
        for (size_t i = 0; i < npending; ++i)  // committed by earlier cases of this select
            for (uint64_t v : pending[i].chans)
                if (v == c.value) return true;
        return false;
    }
    // chan_may_share(): values sent unwalked wait in c.
    static bool has_unwalked(const MChan& c) {
        for (const MMsg& m : c.buf)
            if (m.unwalked) return true;
        return false;
    }
    // A commit or grant naming a channel with unwalked values is refused (abi.h, chan_seal).
    int64_t may_share_all(const MXfer& x) const {
        for (uint64_t c : x.chans)
            if (const MChan* ch = chan(c); ch && has_unwalked(*ch)) return GOOS_UNWALKED;
        return GOOS_OK;
    }
    const MXfer* pending = nullptr;  // select_commits' offers so far
    size_t npending = 0;
    // ledger_commit's checks, in its order: a func value only on a channel no one else may
    // receive from; the sender holds every page and every channel.
    int64_t commit_check(int a, const MXfer& x, const MChan* to) {
        if (x.funcs && to && shared(*to, a)) return GOOS_CODE_VALUE;
        for (uint64_t t : x.pages) {
            MPage* p = page(t);
            if (!p || !(p->holders >> a & 1)) return GOOS_BAD_ADDRESS;
        }
        for (uint64_t c : x.chans)
            if (!held_chan(a, c)) return c ? GOOS_BAD_HANDLE : GOOS_NIL_CHANNEL;
        return x.empty() ? GOOS_OK : may_share_all(x);
    }
    void commit(int, const MXfer& x) {
        ++stats.transfers;
        stats.pages_sent += x.pages.size();
        for (uint64_t t : x.pages) {
            MPage* p = page(t);
            ++p->inflight;
            p->dirty = true;
        }
    }
    // select.cpp's blocking path when no case is ready: the send cases' transfers are
    // committed in case order, each its own; the first refusal undoes the commits made so
    // far, in order, and is the select's result. Returns that refusal, with the model
    // updated, or OK with the model as it was when every commit would go (the select would
    // then block).
    int64_t select_commits(int a, const goos_select_case* cases, const MXfer* xs, int n);
    // ledger.cpp finish(): to = receiver, sender (undo) or -1 (the message dies).
    void finish(const MXfer& x, int to) {
        const uint64_t s = ++seq;
        for (uint64_t addr : x.pages) {
            MPage* p = page(addr);
            if (!p) continue;  // named twice: freed the first time
            --p->inflight;
            if (to >= 0) {
                p->holders |= 1u << to;
                p->grant_seq = s;
            }
            settle(addr);
        }
        for (uint64_t c : x.chans)
            if (MChan* ch = chan(c); ch && to >= 0) {
                ch->holders |= 1u << to;
                ch->grant_seq = s;
            }
    }
    // ledger_expose(): a stores into an object on dst_page a value whose walk is x (has:
    // the runtime described it). The expected status; applied when OK: the other holders
    // of the page come to hold what x names, and every message in flight that touches the
    // page comes to name it too.
    int64_t expose(int a, uint64_t dst_page, const MXfer& x, bool has) {
        const MPage* d = page(dst_page);
        const uint32_t others = d ? d->holders & ~(1u << a) : 0;
        const bool messages = d && d->inflight;
        if (!has || (!others && !messages)) return GOOS_OK;
        if (x.funcs) return GOOS_CODE_VALUE;
        if (x.empty()) return GOOS_OK;
        for (uint64_t t : x.pages) {
            const MPage* p = page(t);
            if (!p || !(p->holders >> a & 1)) return GOOS_BAD_ADDRESS;
        }
        for (uint64_t c : x.chans)
            if (!held_chan(a, c)) return c ? GOOS_BAD_HANDLE : GOOS_NIL_CHANNEL;
        if (may_share_all(x) != GOOS_OK) return GOOS_UNWALKED;
        const uint64_t s = ++seq;
        const auto grow = [&](MMsg& m) {
            bool touches = false;
            for (uint64_t t : m.x.pages) touches |= t == dst_page;
            if (!m.has_xfer || !touches) return;
            // What it names already it names once (the walk names each page and channel once).
            const MXfer before = m.x;
            const auto named = [](const auto& v, uint64_t x) {
                for (uint64_t y : v)
                    if (y == x) return true;
                return false;
            };
            for (uint64_t t : x.pages) {
                if (named(before.pages, t)) continue;
                m.x.pages.push_back(t);
                MPage* p = page(t);
                ++p->inflight;
                p->dirty = true;
            }
            for (uint64_t c : x.chans)
                if (!named(before.chans, c)) m.x.chans.push_back(c);
        };
        if (messages)
            for (MChan& c : chans) {
                for (MMsg& m : c.buf) grow(m);
                for (MSender& w : c.sendq) grow(w.msg);
            }
        if (others) {
            for (uint64_t t : x.pages) {
                MPage* p = page(t);
                p->holders |= others;
                p->grant_seq = s;
                p->dirty |= p->shared();
            }
            for (uint64_t c : x.chans) {
                MChan* ch = chan(c);
                ch->holders |= others;
                ch->grant_seq = s;
            }
        }
        return GOOS_OK;
    }
    void deliver(const MMsg& m, int to) {
        if (m.has_xfer) finish(m.x, to);
    }
    // chan_collect(): channels no live process holds, no name publishes and no message in
    // a live channel carries are freed; their buffered messages die first.
    void collect() {
        marked.assign(chans.size(), 0);
        for (size_t i = 0; i < chans.size(); ++i) marked[i] = chans[i].holders || chans[i].published;
        auto mark = [&](const MMsg& m, bool& changed) {
            if (!m.has_xfer) return;
            for (uint64_t v : m.x.chans)
                for (size_t j = 0; j < chans.size(); ++j)
                    if (chans[j].value == v && !marked[j]) marked[j] = changed = true;
        };
        for (bool changed = true; changed;) {
            changed = false;
            for (size_t i = 0; i < chans.size(); ++i) {
                if (!marked[i]) continue;
                for (const MMsg& m : chans[i].buf) mark(m, changed);
                for (const MSender& s : chans[i].sendq) mark(s.msg, changed);
            }
        }
        for (size_t i = 0; i < chans.size(); ++i)
            if (!marked[i])
                for (const MMsg& m : chans[i].buf) deliver(m, -1);
        size_t kept = 0;  // in place, in order
        for (size_t i = 0; i < chans.size(); ++i)
            if (marked[i]) chans[kept++] = chans[i];
        chans.resize(kept);
    }
    // page_alloc(): a page (or each page of a run) the actor is origin and holder of.
    void page_alloc(int a, uint64_t addr) {
        MPage p{};
        p.addr = addr;
        p.origin = a;
        p.holders = 1u << a;
        pages.push_back(p);
        ++stats.allocated;
    }
    // page_release(): the expected status; applied when OK: the origin lets go of the
    // page and is no longer its origin.
    int64_t page_release(int a, uint64_t addr) {
        MPage* p = page(addr);
        int64_t want = GOOS_OK;
        if (!p || !(p->holders >> a & 1))
            want = GOOS_BAD_ADDRESS;
        else if (p->origin != a)
            want = GOOS_NOT_OWNER;
        if (want == GOOS_OK) {
            p->holders &= ~(1u << a);
            p->origin = -1;
            settle(addr);
        }
        return want;
    }
    // mark_begin(): the actor's pages no one else holds now stop being dirty.
    void mark_begin(int a) {
        actors[a].marking = true;
        actors[a].mark_seq = ++seq;
        for (MPage& p : pages)
            if (p.origin == a && !p.shared()) p.dirty = false;
    }
    // mark_end() with the pages the mark reached (`bad`: one of them is not a page of the
    // pool): the expected status; ledger_mark_end's keep rule applied when OK.
    int64_t mark_end(int a, const uint64_t* reached, uint32_t n, bool bad) {
        MActor& me = actors[a];
        const int64_t want = !me.marking ? GOOS_BAD_ARGUMENT : bad ? GOOS_BAD_ADDRESS : GOOS_OK;
        if (want != GOOS_OK) return want;
        Small<uint64_t, kMaxDrops> drop;
        for (MPage& p : pages) {
            bool hit = false;
            for (uint32_t i = 0; i < n; ++i) hit |= reached[i] == p.addr;
            const bool keep = hit || !(p.holders >> a & 1) || p.origin == a || p.grant_seq > me.mark_seq;
            if (keep) continue;
            p.holders &= ~(1u << a);
            drop.push_back(p.addr);
        }
        for (uint64_t addr : drop) settle(addr);
        // ledger_mark_end's rule for channels: a channel whose header page the mark did
        // not reach is let go, unless granted since the mark began or the actor waits on it.
        bool dropped = false;
        for (MChan& c : chans) {
            if (!(c.holders >> a & 1) || c.grant_seq > me.mark_seq) continue;
            bool hit = false;
            for (uint32_t i = 0; i < n; ++i) hit |= reached[i] == (c.value & ~uint64_t{4095});
            if (hit || waits_on(a, c)) continue;
            c.holders &= ~(1u << a);
            dropped = true;
        }
        if (dropped) collect();
        me.marking = false;
        return want;
    }
    // Whether the actor is blocked sending or receiving on c (the harnesses block one
    // operation per actor at most).
    bool waits_on(int a, const MChan& c) const {
        if (!actors[a].blocked) return false;
        for (const MSender& s : c.sendq)
            if (s.actor == a) return true;
        for (int r : c.recvq)
            if (r == a) return true;
        return false;
    }
    Name* name(const char* n) {
        for (Name& e : names)
            if (strcmp(e.name, n) == 0) return &e;
        return nullptr;
    }
    // publish(): the expected status; applied when OK.
    int64_t publish(int a, const char* n, uint64_t ch) {
        MChan* c = held_chan(a, ch);
        const int64_t want = !c                 ? GOOS_BAD_HANDLE
                             : name(n)          ? GOOS_NAME_TAKEN
                             : has_unwalked(*c) ? GOOS_UNWALKED
                                                : GOOS_OK;
        if (want == GOOS_OK) {
            Name e{{}, ch, a};
            memcpy(e.name, n, sizeof e.name);
            names.push_back(e);
            ++c->published;
        }
        return want;
    }
    // lookup() without waiting: the channel, or NOT_FOUND; the actor holds what it found.
    int64_t lookup(int a, const char* n) {
        Name* found = name(n);
        if (!found) return GOOS_NOT_FOUND;
        chan(found->chan)->holders |= 1u << a;
        chan(found->chan)->grant_seq = seq + 1;
        return static_cast<int64_t>(found->chan);
    }
    void chan_make(int a, uint64_t value, int64_t cap) {
        MChan c{};
        c.value = value;
        c.cap = cap;
        c.holders = 1u << a;
        c.grant_seq = seq + 1;
        chans.push_back(std::move(c));
    }
    // process_end(): it holds nothing and is no one's origin, its names go.
    void end_actor(int a) {
        actors[a].alive = false;
        for (size_t i = 0; i < names.size();) {
            if (names[i].publisher == a) {
                if (MChan* c = chan(names[i].chan)) --c->published;
                names.erase(names.begin() + static_cast<long>(i));
            } else {
                ++i;
            }
        }
        for (MChan& c : chans) c.holders &= ~(1u << a);
        // settle() every page the actor held, in one pass and in order.
        size_t kept = 0;
        for (size_t i = 0; i < pages.size(); ++i) {
            MPage& p = pages[i];
            if (p.origin == a) p.origin = -1;
            const bool held = p.holders >> a & 1;
            p.holders &= ~(1u << a);
            p.dirty |= p.shared();
            if (!held || p.holders != 0 || p.inflight != 0) pages[kept++] = p;
        }
        stats.at_exit += pages.size() - kept;
        pages.resize(kept);
        collect();
    }
};

// Go's readiness of a channel for a send and a receive.
inline bool send_ready(const MChan& c) {
    return c.closed || !c.recvq.empty() || static_cast<int64_t>(c.buf.size()) < c.cap;
}
inline bool recv_ready(const MChan& c) {
    return !c.buf.empty() || !c.sendq.empty() || c.closed;
}

// The model's actor bits as kernel slot bits: actor i runs in slot i + 1.
uint64_t slot_bits(uint32_t actor_bits) {
    return uint64_t{actor_bits} << 1;
}

// Compares every page and channel record with the model, and the kernel's own checks.
// Reads the kernel's records and the model's after every step: not instrumented by the
// sanitizers (like page_census), which check the kernel's code, not this loop's loads.
__attribute__((no_sanitize("address", "undefined"))) void compare(const Model& m, bool check_allocator) {
    using namespace kernel;
    const PageCensus census = page_census();
    expect_eq("number of process pages", static_cast<int64_t>(census.process), static_cast<int64_t>(m.pages.size()));
    const PageInfo* const records = &k.pages.info_at(0);
    const uint64_t pool = k.pages.page_at(0);
    for (const MPage& p : m.pages) {
        const PageInfo& info = records[(p.addr - pool) / GOOS_PAGE_SIZE];
        // Every field at once; the field by field comparison below, which names what
        // differs, runs only when something does (this runs after every step).
        const size_t index = (p.addr - pool) / GOOS_PAGE_SIZE;
        const bool same = info.use == PageUse::Process && info.origin == p.origin + 1 &&
                          info.holders == slot_bits(p.holders) && info.inflight == p.inflight &&
                          info.grant_seq == p.grant_seq && k.pages.shared(index) == p.shared() &&
                          k.pages.dirty(index) == p.dirty;
        if (same) continue;
        auto check = [&](const char* field, int64_t got, int64_t want) {
            if (got == want) return;
            char what[96];
            snprintf(what, sizeof what, "page %#llx %s", static_cast<unsigned long long>(p.addr), field);
            expect_eq(what, got, want);
        };
        check("use", static_cast<int64_t>(info.use), static_cast<int64_t>(PageUse::Process));
        check("origin", info.origin, p.origin + 1);
        check("holders", static_cast<int64_t>(info.holders), static_cast<int64_t>(slot_bits(p.holders)));
        check("inflight", info.inflight, p.inflight);
        check("grant_seq", static_cast<int64_t>(info.grant_seq), static_cast<int64_t>(p.grant_seq));
        check("shared bit", k.pages.shared(index), p.shared());
        check("dirty bit", k.pages.dirty(index), p.dirty);
    }
    expect_eq("ledger sequence", static_cast<int64_t>(k.ledger_seq), static_cast<int64_t>(m.seq));
    // The ledger's own counts (what goos-sim reports) against the model's.
    const LedgerStats st = ledger_stats();
    const Model::Stats& ms = m.stats;
    uint64_t dirty = 0;
    for (const MPage& p : m.pages) dirty += p.shared();
    expect_eq("ledger_stats pages_allocated", static_cast<int64_t>(st.pages_allocated),
              static_cast<int64_t>(ms.allocated));
    expect_eq("ledger_stats pages_recycled", static_cast<int64_t>(st.pages_recycled),
              static_cast<int64_t>(ms.at_exit + ms.later));
    expect_eq("ledger_stats recycled_at_exit", static_cast<int64_t>(st.recycled_at_exit),
              static_cast<int64_t>(ms.at_exit));
    expect_eq("ledger_stats settled_later", static_cast<int64_t>(st.settled_later), static_cast<int64_t>(ms.later));
    expect_eq("ledger_stats pages_in_use", static_cast<int64_t>(st.pages_in_use), static_cast<int64_t>(m.pages.size()));
    expect_eq("ledger_stats pages_dirty", static_cast<int64_t>(st.pages_dirty), static_cast<int64_t>(dirty));
    expect_eq("ledger_stats transfers", static_cast<int64_t>(st.transfers), static_cast<int64_t>(ms.transfers));
    expect_eq("ledger_stats pages_sent", static_cast<int64_t>(st.pages_sent), static_cast<int64_t>(ms.pages_sent));
    // As many channels on each side, and every kernel channel is a distinct model channel:
    // the two sets are equal.
    expect_eq("number of channels", static_cast<int64_t>(k.channels.size()), static_cast<int64_t>(m.chans.size()));
    for (Channel* kc = k.channels.front(); kc; kc = k.channels.next(kc)) {
        const MChan* found = m.chan(reinterpret_cast<uint64_t>(kc));
        if (!found) fail("a live channel of the model is gone from the kernel (another is there instead)");
        const MChan& c = *found;
        expect_eq("channel count", kc->count, static_cast<int64_t>(c.buf.size()));
        expect_eq("channel closed", kc->closed, c.closed);
        expect_eq("channel holders", static_cast<int64_t>(kc->holders), static_cast<int64_t>(slot_bits(c.holders)));
        expect_eq("channel names", kc->published, c.published);
        int64_t unwalked = 0;
        for (const MMsg& msg : c.buf) unwalked += msg.unwalked;
        expect_eq("channel unwalked values", kc->unwalked, unwalked);
        int64_t senders = 0;
        for (const Waiter* w = kc->sendq.front(); w; w = kc->sendq.next(const_cast<Waiter*>(w))) ++senders;
        expect_eq("channel blocked senders", senders, static_cast<int64_t>(c.sendq.size()));
    }
    // DESIGN.md's charging rule worked out from the model's pages (a page is charged to its
    // holders other than its origin, split evenly, the lowest taking what the division
    // leaves, or else to its origin, or else, when only messages hold it, to the holders of
    // the channels whose messages touch it), against each live actor's charge; and each
    // one's set of held pages against the model's holders.
    const auto carriers = [&](uint64_t page) {
        uint32_t who = 0;
        const auto touches = [page](const MMsg& msg) {
            if (!msg.has_xfer) return false;
            for (uint64_t q : msg.x.pages)
                if (q == page) return true;
            return false;
        };
        for (const MChan& c : m.chans) {
            for (const MMsg& msg : c.buf)
                if (touches(msg)) who |= c.holders;
            for (const MSender& s : c.sendq)
                if (touches(s.msg)) who |= c.holders;
        }
        return who;
    };
    uint64_t charge[kActors] = {};
    int64_t held[kActors] = {};
    for (const MPage& p : m.pages) {
        const size_t index = (p.addr - pool) / GOOS_PAGE_SIZE;
        const uint32_t origin = p.origin >= 0 ? 1u << p.origin : 0u;
        const uint32_t payers = (p.holders & ~origin) ? p.holders & ~origin
                                : p.holders           ? p.holders & origin
                                : p.inflight          ? carriers(p.addr)
                                                      : 0u;
        const auto n = static_cast<uint64_t>(__builtin_popcount(payers));
        bool lead = true;
        for (int a = 0; a < kActors; ++a) {
            if (p.holders >> a & 1) {
                ++held[a];
                if (!k.slots[a + 1]->held.has(index)) expect_eq("a holder's set has the page", 0, 1);
            }
            if (payers >> a & 1) {
                charge[a] += kChargeUnit / n + (lead ? kChargeUnit % n : 0);
                lead = false;
            }
        }
    }
    for (int a = 0; a < kActors; ++a) {
        if (!m.actors[a].alive || !k.slots[a + 1]) continue;
        const Process* q = k.slots[a + 1];
        expect_eq("an actor's charge", static_cast<int64_t>(q->charge), static_cast<int64_t>(charge[a]));
        int64_t in_set = 0;
        q->held.each([&](size_t) { ++in_set; });
        expect_eq("an actor's number of held pages", in_set, held[a]);
    }
    if (check_allocator && !allocator_consistent(census))
        expect_eq("page allocator free count (records vs counter)", static_cast<int64_t>(k.pages.free_pages()),
                  static_cast<int64_t>(census.free));
    if (!check_invariants(false)) {
        check_invariants(true);
        fail("kernel::check_invariants");
    }
}

}  // namespace
