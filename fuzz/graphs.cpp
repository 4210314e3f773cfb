// Graphs fuzzer: the ownership harness's object half on the real runtime (DESIGN.md: fuzzers
// drive the real pieces). Four actor processes, each loaded from a program image by the
// kernel's loader (actor_image()), each run a program built from the runtime's heap,
// layout records, collector, send walk and channel calls (graph_program.cpp, one copy per
// actor). The input is a script of operations on Go values of type Node (graph_api.h: its
// fields A, B *Node, C chan *Node, S []*Node, M map[int64]*Node, K map[int64]chan *Node)
// held in each program's root variables or in its image's package variables G:
// allocate, take &G[i], link, follow a pointer, drop a root, make and close channels, put
// a channel in a node, make slices and maps (of nodes and of channels) and store into
// them, send a root over a channel and receive one (as select with a default case), send
// one from a goroutine that waits until it is taken (a second thread of the program),
// publish and look up channels, forget the channels kept, collect, exit, crash.
//
// The reference model is the ownership harness's ledger model (ledger_model.h, holders per
// page) under an object map: every node, the fields the program wrote into it and the
// program whose span holds it (its origin, the only one that may free it). Every syscall a
// program makes passes through this harness on its way to the kernel, which checks it
// against the model:
// - a send's description equals what the model says the walk must find: the pages of
//   every object reachable from the value, whoever's they are, and the channels in them;
// - a store into an object takes the write barrier's slow path exactly when the object's
//   page is shared, describing the stored value as a send would, and its grant to the
//   page's other holders and messages is the model's (Model::expose);
// - the result of every ledger and channel call is the one the model predicts;
// - a collection's mark_end names every page outside the program's spans that the model
//   says its roots reach (through other programs' objects too);
// - a collection frees only slots of its own, none on a page that was dirty when its mark
//   began, and none that a live program or a message in a live channel reaches
//   (invariants 1 and 2, against the model's own reachability, not the kernel's records);
// - after every operation the kernel's ledger and channels equal the model (compare()),
//   every program's heap still holds every object of its own the model says is there,
//   nothing a program or a live message reaches lies on a free page, and a slot is handed
//   out only on a page no one else holds.
#include <dlfcn.h>
#include <link.h>
#include <string.h>

#include <vector>

#define FUZZ_MODEL_PAGES 128  // a message grows with every store into what it carries
#define FUZZ_MODEL_CHANS 8
#include <kernel/barrier.h>
#include <kernel/loader.h>
#include <kernel/typebind.h>
#include <kernel/typedesc.h>
#include <kernel/types.h>
#include <tests/image_builder.h>
// The fast paths' hook between test and store (kernel/barrier.cpp), which boot sets.
extern "C" uint64_t (*goos_barrier_hook)();
#include "graph_api.h"
#include "ledger_model.h"

namespace {

using graphs::kRoots;
constexpr int kMaxOps = 48;
constexpr size_t kMaxChans = FUZZ_MODEL_CHANS;  // made per input: a walk can name them all
constexpr uint64_t kPageMask = ~(GOOS_PAGE_SIZE - 1);

// ---------------------------------------------------------------- the object model

constexpr int kMap = -2;      // Obj::n of a map of nodes
constexpr int kChanMap = -3;  // Obj::n of a map of channels
constexpr int kMapKeys = 4;
static_assert(kMapKeys <= graphs::kMaxSlice);

// A node, the array of a node's S (an object of the unnamed type [n]*Node), or a node's M
// or K (a map's header; its tables, map.cpp's, are read from it: graphs::MapTables).
struct Obj {
    uint64_t addr;
    int origin;                              // the actor whose span holds it
    uint64_t f[2];                           // A and B as the programs wrote them (addresses)
    uint64_t ch;                             // C
    bool freed;                              // its origin's sweep freed the slot (which may now hold another)
    bool walked = false;                     // a send's or store's walk reached it (abi.h, walked_bits)
    uint64_t arr = 0;                        // S's array
    uint64_t map = 0;                        // M
    uint64_t kmap = 0;                       // K
    int n = -1;                              // an array's length; -1 for a node, kMap or kChanMap
    uint64_t elems[graphs::kMaxSlice] = {};  // an array's elements; a map's values by key
    uint8_t keys = 0;                        // a map's keys (bits)
    uint64_t table = 0;                      // a package variable's: its image's variable table

    bool is_map() const { return n == kMap || n == kChanMap; }
    // The objects it points to: a node's A, B, S's array, M and K, an array's elements, a
    // map of nodes' values.
    template <class F>
    void each_edge(F f) const {
        if (n == -1) {
            f(this->f[0]);
            f(this->f[1]);
            f(arr);
            f(map);
            f(kmap);
        } else if (n == kMap) {
            for (int k = 0; k < kMapKeys; ++k)
                if (keys >> k & 1) f(elems[k]);
        } else if (n == kChanMap) {
        } else {
            for (int i = 0; i < n; ++i) f(elems[i]);
        }
    }
    // The channels it holds: a node's C, a map of channels' values.
    template <class F>
    void each_chan(F f) const {
        if (n == -1 && ch) f(ch);
        if (n == kChanMap)
            for (int k = 0; k < kMapKeys; ++k)
                if ((keys >> k & 1) && elems[k]) f(elems[k]);
    }
};

struct GMsg {
    uint64_t chan;
    uint64_t node;  // the value sent
    bool live;      // still in a channel
};

// The program's syscalls in flight, as the harness expects them.
struct Expect {
    bool panic = false;  // the operation must end the program with a panic
    // A send: the value and the description the walk must give.
    bool send = false;
    uint64_t node = 0;
    MXfer x;
    // A store into a shared object: the description its slow path must give, and the page
    // it stores into.
    bool store = false;
    uint64_t store_page = 0;
    uint64_t store_obj = 0;
    // An assignment to a map (op_map_put): its header, and which of its stores took the
    // slow path (map.cpp: a new entry array and index into the header, then the value
    // into its entry).
    uint64_t map = 0;
    bool saw_entries = false, saw_index = false, saw_value = false;
    // A receive: the value it must deliver (checked after the call).
    bool recv = false;
    uint32_t message = 0;
    // A collection: the pages outside the program's spans its roots reach, and its pages
    // that were dirty when its mark began (nothing on them may be freed).
    bool collect = false;
    std::vector<uint64_t> required_pages;
    std::vector<uint64_t> dirty_at_mark;
};

struct State {
    Bytes in{nullptr, 0};
    Model m;
    const graphs::Program* prog[kActors] = {};
    std::vector<Obj> objs;
    std::vector<GMsg> msgs;
    uint64_t roots[kActors][kRoots] = {};
    uint64_t vars[kActors][graphs::kVars] = {};  // &G[i] in each actor's image
    uint64_t goroutine_entry[kActors] = {};      // its image's code that starts goroutine()
    std::vector<uint64_t> all_chans;
    std::vector<uint64_t> variant_chans;  // made by the variant actor: of its Node's type
    std::vector<uint64_t> walked_tables;  // maps' entry arrays a walk reached (their walked bits)

    int ops = 0;
    bool need_check = false;
    bool done = false;
    int turn = -1;
    int running = -1;  // the actor whose operation is running: the caller of every hooked syscall
    long spins = 0;
    Expect ex;
    // Commits of each actor's walks to find stale (kStale): as if another thread of it had
    // run during the walk (abi.h, goos_transfer::clock).
    int stale[kActors] = {};
    goos_start_info* info[kActors] = {};  // each actor's start info (actor())
    // The store the running operation makes (expect_store), and each actor's armed
    // preemption inside the barrier (kPreempt, barrier_preemption()).
    struct StoreTarget {
        uint64_t obj = 0, value = 0;
        bool chan = false, known = false;
    } store_target;
    struct Preempt {
        bool armed = false;
        uint64_t chan = 0;
        int slot = 0;
    } preempt[kActors];
    // The pages in the record of joined pages each thread keeps (0 the main thread, 1 its
    // goroutine), empty when it keeps none.
    std::vector<uint64_t> joined_pages[kActors][2];
    // Each actor's goroutine (kGoSend): at most one at a time, on a thread of its own that
    // the operation starts, which sends one value and ends. Blocked (kBlocked), the kernel
    // completes its send (wake_goroutine()); it then runs (kRunning) before any other
    // operation or check (pending_wakes), until it is done or blocks again.
    struct Goroutine {
        enum Phase : uint8_t { kNone, kStarting, kBlocked, kWoken, kRunning } phase = kNone;
        uint64_t ch = 0, node = 0;
        int slot = 0;
        int64_t expect = 0;  // what its blocked send returns when it wakes
        const kernel::Thread* thread = nullptr;
        MMsg offer{};  // a walked offer a close hands back (ledger_undo when it runs)
    } gor[kActors];
    int pending_wakes = 0;

    void reset(const uint8_t* data, size_t size) {
        in = Bytes{data, size};
        m.reset();
        objs.clear();
        msgs.clear();
        for (auto& r : roots)
            for (uint64_t& v : r) v = 0;
        for (auto& r : vars)
            for (uint64_t& v : r) v = 0;
        all_chans.clear();
        variant_chans.clear();
        walked_tables.clear();

        ops = 0;
        need_check = done = false;
        turn = running = -1;
        spins = 0;
        ex = Expect{};
        for (int& n : stale) n = 0;
        for (auto& threads : joined_pages)
            for (auto& j : threads) j.clear();
        store_target = StoreTarget{};
        for (Preempt& p : preempt) p = Preempt{};
        for (Goroutine& r : gor) r = Goroutine{};
        pending_wakes = 0;
    }
    // The object a pointer to addr reaches now: the live incarnation of that slot.
    Obj* at(uint64_t addr) {
        if (!addr) return nullptr;
        for (Obj& o : objs)
            if (o.addr == addr && !o.freed) return &o;
        return nullptr;
    }
};
State g;

bool alive(int a) {
    return g.m.actors[a].alive;
}

// The thread of actor a that makes the running call: 1 for its goroutine while that runs,
// else 0 (its main thread).
int caller_thread(int a) {
    const auto phase = g.gor[a].phase;
    return phase == State::Goroutine::kStarting || phase == State::Goroutine::kRunning;
}

// A thread's record of joined pages ends (ledger_join_release: the record is discarded,
// ledger.cpp finish()).
void release_joined(int a, int thread) {
    if (g.joined_pages[a][thread].empty()) return;
    g.joined_pages[a][thread].clear();
    ++g.m.seq;
}

template <class Vec>
bool contains(const Vec& v, uint64_t x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}
bool contains(const uint64_t* begin, const uint64_t* end, uint64_t x) {
    return std::find(begin, end, x) != end;
}
template <class Vec>
void push_unique(Vec& v, uint64_t x) {
    if (!contains(v, x)) v.push_back(x);
}

// Whether page is part of one of a's heap spans: a's page (it is its origin) whose layout
// head (written by a's runtime) says so.
bool span_page(int a, uint64_t page) {
    const MPage* p = g.m.page(page);
    return p && p->origin == a && (kernel::k.pages.layout_head(page).base_flags & GOOS_LAYOUT_SPAN);
}
// Whether o is a slot of a's own heap.
bool own_slot(const Obj* o, int a) {
    return o && o->origin == a && span_page(a, o->addr & kPageMask);
}

// The model's graph walks: visits every nonzero address reachable from from[0..n), once
// each, going on through the fields of the object visit() returns (none: the walk stops
// there). Its scratch vectors keep their room between walks (they run after every step,
// and an allocation under ASan costs more than the walk); visit() must not start another.
template <class Visit>
void walk_from(const uint64_t* from, size_t n, Visit visit) {
    static std::vector<uint64_t> stack, seen;
    stack.assign(from, from + n);
    seen.clear();
    while (!stack.empty()) {
        const uint64_t addr = stack.back();
        stack.pop_back();
        if (!addr || contains(seen, addr)) continue;
        seen.push_back(addr);
        if (const Obj* o = visit(addr)) o->each_edge([](uint64_t e) { stack.push_back(e); });
    }
}

// A map's tables as its header names them (any program reads them alike).
graphs::MapTables tables_of(const Obj* o) {
    return g.prog[0]->map_tables(o->addr);
}
// f(address) for each table of a map (its entry array and index, once it has them).
template <class F>
void each_table(const Obj* o, F f) {
    if (!o || !o->is_map()) return;
    const graphs::MapTables t = tables_of(o);
    if (t.entries) f(t.entries);
    if (t.index) f(t.index);
}

// Everything a live program or a message in a live channel reaches: roots and messages'
// values, through every live object.
void reached_by_anyone(std::vector<uint64_t>* out) {
    static std::vector<uint64_t> from;
    from.clear();
    for (int a = 0; a < kActors; ++a)
        if (alive(a)) {
            for (uint64_t r : g.roots[a]) from.push_back(r);
            for (uint64_t v : g.vars[a]) from.push_back(v);
            if (g.gor[a].phase != State::Goroutine::kNone) from.push_back(g.gor[a].node);
        }
    for (const GMsg& msg : g.msgs)
        if (msg.live) from.push_back(msg.node);
    out->clear();
    walk_from(from.data(), from.size(), [&](uint64_t addr) -> const Obj* {
        out->push_back(addr);
        const Obj* o = g.at(addr);
        each_table(o, [&](uint64_t table) { out->push_back(table); });
        if (o && o->table) out->push_back(o->table);
        return o;
    });
}

// ---------------------------------------------------------------- what the runtime must do

// transfer.cpp's walk as the model sees it: from the value, every object reachable, the
// sender's or another's; the receiver will hold each one's page and the channels in them.
void predict_walk(int a, uint64_t value, MXfer* x) {
    walk_from(&value, 1, [&](uint64_t addr) -> const Obj* {
        const Obj* o = g.at(addr);
        if (!o) {
            if (span_page(a, addr & kPageMask)) return nullptr;  // a free slot of its own: nothing there
            fail("a program reaches an address where no object lives");
        }
        push_unique(x->pages, addr & kPageMask);
        if (o->table) push_unique(x->pages, o->table);  // a variable's readers rely on it
        o->each_chan([&](uint64_t ch) { push_unique(x->chans, ch); });
        each_table(o, [&](uint64_t table) { push_unique(x->pages, table & kPageMask); });
        return o;
    });
}

// The walk sets the walked bit of every object it reaches (transfer.cpp).
void mark_walked(uint64_t value) {
    walk_from(&value, 1, [&](uint64_t addr) -> const Obj* {
        Obj* o = g.at(addr);
        if (o) o->walked = true;
        if (o && o->is_map())
            if (const uint64_t entries = tables_of(o).entries) push_unique(g.walked_tables, entries);
        return o;
    });
}

// gc.cpp's mark as the model sees it, from the actor's roots alone: the pages outside its
// spans it reaches (it marks through other programs' objects, by their layout records).
void predict_mark(int a, std::vector<uint64_t>* pages) {
    // Its roots: its root variables and G, its goroutine's value (graph_program.cpp keeps it
    // in a variable), and the values it sent unwalked into channels it holds. Its own G too
    // is read by its layout records (the program is a library outside the pool, so the
    // variables in the image the harness loaded are not "its own image" to the runtime):
    // their pages and their table are named like another program's.
    static std::vector<uint64_t> from;
    from.assign(g.roots[a], g.roots[a] + kRoots);
    from.insert(from.end(), g.vars[a], g.vars[a] + graphs::kVars);
    if (g.gor[a].phase != State::Goroutine::kNone) from.push_back(g.gor[a].node);
    for (const MChan& c : g.m.chans)
        if (c.holders >> a & 1)
            for (const MMsg& m : c.buf)
                if (m.unwalked) from.push_back(g.msgs[m.value].node);
    walk_from(from.data(), from.size(), [&](uint64_t addr) -> const Obj* {
        const Obj* o = g.at(addr);
        const uint64_t page = addr & kPageMask;
        if (!own_slot(o, a) && !span_page(a, page)) push_unique(*pages, page);
        if (o && o->table) push_unique(*pages, o->table);
        each_table(o, [&](uint64_t table) {
            if (!span_page(a, table & kPageMask)) push_unique(*pages, table & kPageMask);
        });
        return o;
    });
}

// A message that died in a channel the kernel freed.
void forget_dead_messages() {
    for (GMsg& msg : g.msgs)
        if (msg.live && !g.m.chan(msg.chan)) msg.live = false;
}

// ---------------------------------------------------------------- goroutines

using Goroutine = State::Goroutine;
void spin();

// The running operation sends `node` (a root of actor a): its walk must give what the
// model's does (hooked_send).
void expect_send(int a, uint64_t node) {
    g.ex.send = true;
    g.ex.node = node;
    g.ex.x = MXfer{};
    predict_walk(a, node, &g.ex.x);
}

// The kernel completed the blocked send of a's goroutine: the send returns `result` when
// its thread runs.
void wake_goroutine(int a, int64_t result) {
    Goroutine& r = g.gor[a];
    if (r.phase != Goroutine::kBlocked) fail("harness: the model woke a goroutine that does not wait");
    r.phase = Goroutine::kWoken;
    r.expect = result;
    g.m.actors[a].blocked = false;
    ++g.pending_wakes;
}

// A sender leaves c's queue: its message as it waited there.
MMsg take_sender(MChan& c, size_t i, int* actor) {
    const MSender s = c.sendq[i];
    c.sendq.erase(i);
    g.msgs[s.msg.value].live = false;
    *actor = s.actor;
    return s.msg;
}
// Every sender of c's queue that `which` chooses leaves it, in queue order: taken(actor,
// its message) for each.
template <class Which, class Taken>
void take_senders(MChan& c, Which which, Taken taken) {
    for (size_t i = 0; i < c.sendq.size();) {
        if (!which(c.sendq[i])) {
            ++i;
            continue;
        }
        int actor;
        const MMsg msg = take_sender(c, i, &actor);
        taken(actor, msg);
    }
}

// chan_now_shared(): a commit or grant that names a channel, or its publication, wakes the
// senders waiting in it with values no walk read, with RETRY: they walk them and send again.
void now_shared(uint64_t ch) {
    MChan* c = g.m.chan(ch);
    if (!c) return;
    take_senders(
        *c, [](const MSender& s) { return s.msg.unwalked; },
        [](int actor, const MMsg&) {
            logf("  (a channel stopped being local: actor %d's goroutine walks its value)\n", actor);
            wake_goroutine(actor, GOOS_RETRY);
        });
}
void now_shared(const MXfer& x) {
    for (uint64_t ch : x.chans) now_shared(ch);
}

// A goroutine's blocked send returned: the goroutine runs once the model has woken it and
// the operation that woke it is over, alone (nothing else runs while pending_wakes).
void resume_goroutine(int a) {
    Goroutine& r = g.gor[a];
    if (r.phase == Goroutine::kBlocked) fail("the kernel completed a goroutine's send that the model says still waits");
    while (r.phase != Goroutine::kWoken || g.running >= 0) spin();
    r.phase = Goroutine::kRunning;
    g.running = a;
}
// A goroutine that ran after a wake is done or waits again: the operations go on.
void goroutine_settles(int a) {
    if (g.gor[a].phase != Goroutine::kRunning) return;
    --g.pending_wakes;
    g.running = -1;
    g.need_check = true;
}

// The goroutine's thread: one send, then the thread ends.
void goroutine(uint64_t arg) {
    const int a = static_cast<int>(arg);
    g.gor[a].thread = kernel::k.current;
    g.prog[a]->go_send(g.gor[a].ch, g.gor[a].slot);
    goroutine_settles(a);
    g.gor[a].phase = Goroutine::kNone;
}

// The actor ends (exit, crash, or a panic): the kernel's side is the ledger model's; its
// objects stay while others hold their pages.
void end_actor(int a) {
    // process_end() ends its threads first: its goroutine's walked offer dies untaken.
    for (MChan& c : g.m.chans)
        take_senders(
            c, [a](const MSender& s) { return s.actor == a; },
            [](int, const MMsg& offer) {
                if (offer.has_xfer) g.m.finish(offer.x, -1);
            });
    release_joined(a, 1);
    release_joined(a, 0);
    if (g.gor[a].phase == Goroutine::kWoken) --g.pending_wakes;  // it will not run now
    goroutine_settles(a);
    g.gor[a] = Goroutine{};
    g.m.actors[a].blocked = false;
    g.m.end_actor(a);
    for (uint64_t& r : g.roots[a]) r = 0;
    forget_dead_messages();
}

void step_done() {
    ++g.ops;
    g.need_check = true;
    g.turn = -1;
    g.running = -1;
    int n = 0;
    for (int a = 0; a < kActors; ++a) n += alive(a);
    if (g.ops >= kMaxOps || g.in.empty() || n == 0) g.done = true;
}

template <class Small>
bool same_set(const Small& want, const uint64_t* got, uint32_t n) {
    if (want.size() != n) return false;
    for (uint32_t i = 0; i < n; ++i)
        if (!contains(want, got[i])) return false;
    return true;
}

// The send's description against the walk the model predicts. A streamed description
// (abi.h, GOOS_TRANSFER_STREAMED) leaves out what its thread joined, which the commit names
// too: the model's walk is then what both name, and so is what the model commits.
void check_description(const goos_transfer* t) {
    Expect& ex = g.ex;
    if (!t) {
        if (!ex.x.empty()) fail("the runtime sent without a description; the model's walk finds pages or channels");
        return;
    }
    logf("  description: %u pages, %u channels%s\n", t->npages, t->nchans,
         t->flags & GOOS_TRANSFER_STREAMED ? " (streamed)" : "");
    if (t->flags & GOOS_TRANSFER_STREAMED) {
        static std::vector<uint64_t> named;
        const std::vector<uint64_t>& joined = g.joined_pages[g.running][caller_thread(g.running)];
        named.assign(t->pages, t->pages + t->npages);
        for (uint64_t page : joined) {
            if (contains(named.data(), named.data() + t->npages, page))
                fail("a streamed description repeats a page its thread joined");
            push_unique(ex.x.pages, page);  // a seal's walk may have joined pages of its own
            push_unique(named, page);
        }
        if (!same_set(ex.x.pages, named.data(), static_cast<uint32_t>(named.size())))
            fail("the walk's pages and the pages it joined differ from the model's");
    } else if (!same_set(ex.x.pages, t->pages, t->npages)) {
        fail("the walk's pages differ from the model's");
    }
    if (!same_set(ex.x.chans, t->chans, t->nchans)) {
        for (uint64_t c : ex.x.chans)
            logf("  model channel %#llx: its page's layout flags %#llx\n", static_cast<unsigned long long>(c),
                 static_cast<unsigned long long>(kernel::k.pages.layout_head(c & kPageMask).base_flags));
        const uint64_t w = (ex.node - kernel::k.pages.page_at(0)) / 8;
        logf("  the value's layout record word %#llx\n",
             static_cast<unsigned long long>(kernel::k.pages.layout_bits()[w / 32] >> (w % 32 * 2)));
        fail("the walk's channels differ from the model's");
    }
}

// ---------------------------------------------------------------- the programs' syscalls

int64_t kernel_call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3) {
    return goos_syscall(nr, a0, a1, a2, a3);
}

// Whether the harness makes this commit stale (kStale): it moves the actor's walk clock, so
// that the kernel refuses the walk with RETRY. A walk that joined its pages is never stale.
bool stale_now(int a, const goos_transfer* t) {
    if (!t || (t->flags & GOOS_TRANSFER_JOINED) || g.stale[a] == 0) return false;
    --g.stale[a];
    ++kernel::k.current->proc->info->walk_clock;
    return true;
}

// A send: walked (a description), or not (null: the runtime's first try on a channel the
// kernel last found local, DESIGN.md "Local channels move nothing"), which the kernel
// refuses with RETRY unless the model says the channel is local; the send is then walked.
// A walked send naming a channel that holds unwalked values is refused with UNWALKED, and
// walked again after the runtime sealed them (hooked_seal). Only a goroutine's send
// blocks: it waits in the channel's queue, walked or not, until the kernel completes it.
int64_t hooked_send(int a, uint64_t ch, uint64_t elem, uint64_t xfer, uint64_t flags) {
    const auto* t = reinterpret_cast<const goos_transfer*>(xfer);
    if (!g.ex.send) fail("a program sent where the operation does not");
    Goroutine& gr = g.gor[a];
    const bool goroutine = caller_thread(a) == 1;
    if (!(flags & GOOS_NONBLOCK) && !goroutine) fail("a program's main thread made a blocking send");
    MChan* c = g.m.held_chan(a, ch);
    // On a local channel nothing is walked, whatever the runtime describes.
    const bool unwalked = c && (!t || !g.m.shared(*c, a));
    // A channel value it does not hold (a stale one, say) tells the runtime no type, so
    // nothing is described; the kernel refuses the value.
    if (c && t) {
        check_description(t);
        mark_walked(g.ex.node);  // the walk set them, whatever the kernel answers
    }
    int64_t want = GOOS_OK;
    if (!c)
        want = GOOS_BAD_HANDLE;
    else if (c->closed)
        want = GOOS_CLOSED;
    else if (!send_ready(*c) && (flags & GOOS_NONBLOCK))
        want = GOOS_WOULD_BLOCK;
    else if (!t && g.m.shared(*c, a))
        want = GOOS_RETRY;
    else if (unwalked)
        want = GOOS_OK;
    else if (!goroutine && stale_now(a, t))  // the kernel checks the clock of a start info
        want = GOOS_RETRY;
    else
        want = g.m.commit_check(a, g.ex.x, c);
    const bool waits = want == GOOS_OK && !send_ready(*c);
    logf("  send%s -> %lld%s\n",
         !t         ? " (no walk)"
         : unwalked ? " (local)"
                    : "",
         static_cast<long long>(want), waits ? " (the goroutine waits)" : "");
    if (want == GOOS_OK) {
        const bool has = !unwalked && !g.ex.x.empty();
        if (has) {
            g.m.commit(a, g.ex.x);
            now_shared(g.ex.x);
        }
        const auto serial = static_cast<uint32_t>(g.msgs.size());
        g.msgs.push_back(GMsg{ch, g.ex.node, true});
        const MMsg msg{serial, has, has ? g.ex.x : MXfer{}, unwalked};
        if (waits)
            c->sendq.push_back(MSender{a, msg});
        else
            c->buf.push_back(msg);
    } else if (want != GOOS_WOULD_BLOCK && want != GOOS_RETRY && want != GOOS_UNWALKED) {
        g.ex.panic = true;  // chan.cpp: send on a closed channel, or one it does not hold
    }
    if (want != GOOS_RETRY && want != GOOS_UNWALKED) g.ex.send = false;
    if (!waits) {
        expect_eq("send", kernel_call(GOOS_SYS_chan_send, ch, elem, xfer, flags), want);
        return want;
    }
    release_joined(a, 1);  // chan_send(): a sender that waits lets go of its joined pages
    goroutine_settles(a);  // one that ran after a wake and waits again
    gr.phase = Goroutine::kBlocked;
    g.m.actors[a].blocked = true;
    const int64_t r = kernel_call(GOOS_SYS_chan_send, ch, elem, xfer, flags);
    resume_goroutine(a);
    logf("  [actor %d's goroutine resumes: send -> %lld]\n", a, static_cast<long long>(r));
    expect_eq("a goroutine's blocked send", r, gr.expect);
    g.ex = Expect{};
    if (r == GOOS_RETRY) {
        // Its channel stopped being local: it walks the value now.
        expect_send(a, gr.node);
    } else if (r == GOOS_CLOSED) {
        // chan_send(): a walked offer goes back to its sender; then Go's panic.
        if (gr.offer.has_xfer) g.m.finish(gr.offer.x, a);
        g.ex.panic = true;
    }
    return r;
}

// The runtime asks how many unwalked values a channel holds, and copies them.
int64_t hooked_peek(int a, uint64_t ch, uint64_t out, uint64_t max) {
    const MChan* c = g.m.held_chan(a, ch);
    if (!c) fail("chan_peek on a channel the program does not hold");
    Small<uint64_t, 4> values;
    for (const MMsg& m : c->buf)
        if (m.unwalked) values.push_back(g.msgs[m.value].node);
    const int64_t r = kernel_call(GOOS_SYS_chan_peek, ch, out, max, 0);
    expect_eq("chan_peek", r, static_cast<int64_t>(values.size()));
    for (uint64_t i = 0; i < max && i < values.size(); ++i)
        expect_eq("a peeked value", static_cast<int64_t>(reinterpret_cast<const uint64_t*>(out)[i]),
                  static_cast<int64_t>(values[i]));
    return r;
}

// The runtime seals the unwalked values of the channels a commit would share: each entry
// the walk of the next one of its channel, as the model predicts it.
int64_t hooked_seal(int a, uint64_t list, uint64_t n) {
    const auto* seals = reinterpret_cast<const goos_seal*>(list);
    struct Entry {
        MMsg* msg;
        MXfer x;
    };
    static std::vector<Entry> entries;
    entries.clear();
    int64_t want = GOOS_OK;
    for (uint64_t i = 0; i < n; ++i) {
        MChan* c = g.m.held_chan(a, seals[i].chan);
        if (!c) fail("chan_seal names a channel the program does not hold");
        MMsg* msg = nullptr;
        size_t seen = 0;
        for (const Entry& e : entries) seen += e.msg && g.m.chan(g.msgs[e.msg->value].chan) == c;
        for (MMsg& m : c->buf)
            if (m.unwalked && seen-- == 0) {
                msg = &m;
                break;
            }
        if (!msg) fail("chan_seal names more values than the channel holds unwalked");
        if (g.m.shared(*c, a)) fail("chan_seal of a channel that is not local");
        MXfer x;
        predict_walk(a, g.msgs[msg->value].node, &x);
        const goos_transfer* t = seals[i].desc;
        if (!t) fail("chan_seal without a description");
        const MXfer outer = g.ex.x;  // what the commit that asked for the seal must name
        g.ex.x = x;
        check_description(t);
        g.ex.x = outer;
        entries.push_back(Entry{msg, x});
    }
    for (MChan& c : g.m.chans) {  // every unwalked value of every channel named, once
        size_t named = 0, unwalked = 0;
        for (const Entry& e : entries) named += g.m.chan(g.msgs[e.msg->value].chan) == &c;
        for (const MMsg& m : c.buf) unwalked += m.unwalked;
        if (named && named != unwalked) fail("chan_seal leaves unwalked values of a channel it names");
    }
    // Channels named by the walks must have no unwalked value left, or be sealed here.
    for (const Entry& e : entries)
        for (uint64_t ch : e.x.chans) {
            const MChan* d = g.m.chan(ch);
            bool sealed = false;
            for (const Entry& f : entries) sealed |= g.m.chan(g.msgs[f.msg->value].chan) == d;
            if (d && Model::has_unwalked(*d) && !sealed) want = GOOS_UNWALKED;
        }
    logf("  chan_seal of %llu values -> %lld\n", static_cast<unsigned long long>(n), static_cast<long long>(want));
    if (want == GOOS_OK)
        for (Entry& e : entries) {
            e.msg->unwalked = false;
            e.msg->has_xfer = !e.x.empty();
            e.msg->x = e.x;
            if (e.msg->has_xfer) g.m.commit(a, e.x);
            mark_walked(g.msgs[e.msg->value].node);
        }
    if (want == GOOS_OK)
        for (const Entry& e : entries) now_shared(e.x);
    expect_eq("chan_seal", kernel_call(GOOS_SYS_chan_seal, list, n, 0, 0), want);
    return want;
}

// After two stale tries a walk joins its pages before it reads them (abi.h, walk_join):
// only pages the actor holds; a joined page is shared, and so dirty from then on (ledger.cpp
// refresh()). walk_join(0, 0) lets go, which leaves the ledger as the model has it.
int64_t hooked_join(int a, uint64_t pages, uint64_t n) {
    const auto* list = reinterpret_cast<const uint64_t*>(pages);
    int64_t want = GOOS_OK;
    for (uint64_t i = 0; i < n; ++i) {
        const MPage* p = g.m.page(list[i]);
        if (!p || !(p->holders >> a & 1)) want = GOOS_BAD_ADDRESS;
    }
    const int thread = caller_thread(a);
    if (want == GOOS_OK)
        for (uint64_t i = 0; i < n; ++i) {
            g.m.page(list[i])->dirty = true;
            g.joined_pages[a][thread].push_back(list[i]);
        }
    if (!pages && !n) release_joined(a, thread);
    logf("  walk_join %llu pages -> %lld\n", static_cast<unsigned long long>(n), static_cast<long long>(want));
    expect_eq("walk_join", kernel_call(GOOS_SYS_walk_join, pages, n, 0, 0), want);
    return want;
}

// A collection's roots include the values it sent unwalked into channels it holds.
int64_t hooked_roots(int a, uint64_t out, uint64_t max) {
    if (!g.ex.collect) fail("chan_roots outside a collection");
    int64_t bytes = 0;
    for (const MChan& c : g.m.chans)
        if (c.holders >> a & 1)
            for (const MMsg& m : c.buf) bytes += m.unwalked ? 8 : 0;
    expect_eq("chan_roots", kernel_call(GOOS_SYS_chan_roots, out, max, 0, 0), bytes);
    return bytes;
}

int64_t hooked_recv(int a, uint64_t ch, uint64_t elem, uint64_t flags) {
    if (!g.ex.recv) fail("a program received where the operation does not");
    MChan* c = g.m.held_chan(a, ch);
    int64_t want = GOOS_WOULD_BLOCK;
    if (!c) {
        want = GOOS_BAD_HANDLE;
        g.ex.panic = true;
    } else if (!c->buf.empty()) {
        const MMsg msg = c->buf.front();
        c->buf.pop_front();
        g.m.deliver(msg, a);
        g.msgs[msg.value].live = false;
        g.ex.message = static_cast<uint32_t>(msg.value);
        want = msg.unwalked ? 1 | GOOS_RECV_OWN : 1;
        if (!c->sendq.empty()) {  // the first waiting sender's value takes the free slot
            int actor;
            const MMsg offer = take_sender(*c, 0, &actor);
            g.msgs[offer.value].live = true;
            c->buf.push_back(offer);
            wake_goroutine(actor, GOOS_OK);
        }
    } else if (!c->sendq.empty()) {
        int actor;
        const MMsg msg = take_sender(*c, 0, &actor);
        g.m.deliver(msg, a);
        g.ex.message = static_cast<uint32_t>(msg.value);
        want = msg.unwalked ? 1 | GOOS_RECV_OWN : 1;
        wake_goroutine(actor, GOOS_OK);
    } else if (c->closed) {
        want = 0;
    }
    const int64_t r = kernel_call(GOOS_SYS_chan_recv, ch, elem, flags, 0);
    expect_eq("receive", r, want);
    if (r > 0)
        expect_eq("received value", static_cast<int64_t>(*reinterpret_cast<const uint64_t*>(elem)),
                  static_cast<int64_t>(g.msgs[g.ex.message].node));
    return r;
}

// ledger_expose() as the model has it; a grant it applied names channels that may have
// stopped being local.
int64_t expose(int a, uint64_t dst_page, const MXfer& x, bool has) {
    const uint64_t seq = g.m.seq;
    const int64_t want = g.m.expose(a, dst_page, x, has);
    if (g.m.seq != seq) now_shared(x);
    return want;
}

// A map assignment's store on the slow path (op_map_put): into the header, the new entry
// array (whose walk reaches every value the map holds) or index; or the value into its
// entry. Each only on a page the model says is shared, granted only for a walked object.
int64_t hooked_map_store(int a, uint64_t dst, uint64_t src, uint64_t len, uint64_t xfer) {
    const auto* t = reinterpret_cast<const goos_transfer*>(xfer);
    Expect& ex = g.ex;
    const Obj* m = g.at(ex.map);
    const MPage* page = g.m.page(dst & kPageMask);
    if (!m || !page || !page->shared()) fail("a map's store took the slow path on a page no one else holds");
    const uint64_t value = len == 8 ? *reinterpret_cast<const uint64_t*>(src) : 0;
    const graphs::MapTables tables = tables_of(m);
    ex.x = MXfer{};
    bool walked = false;
    if (dst == m->addr + 8 || dst == m->addr + 16) {
        const bool entries = dst == m->addr + 8;
        logf("  (the map's new %s %#llx)\n", entries ? "entry array" : "index", static_cast<unsigned long long>(value));
        const MPage* fresh = g.m.page(value & kPageMask);
        if (!fresh || fresh->shared()) fail("a map's new table lies on a page someone else holds");
        push_unique(ex.x.pages, value & kPageMask);
        if (entries) {
            std::erase(g.walked_tables, value);  // a fresh slot: its walked bit is clear
            m->each_edge([&](uint64_t v) {
                predict_walk(a, v, &ex.x);
                mark_walked(v);
            });
            m->each_chan([&](uint64_t ch) { push_unique(ex.x.chans, ch); });
            push_unique(g.walked_tables, value);
        }
        (entries ? ex.saw_entries : ex.saw_index) = true;
        walked = m->walked;
    } else if (tables.entries && dst >= tables.entries && dst < tables.entries + uint64_t{tables.cap} * 24) {
        logf("  (the value's store into its entry)\n");
        if (value && m->n == kChanMap) {
            ex.x.chans.push_back(value);
        } else if (value) {
            predict_walk(a, value, &ex.x);
            mark_walked(value);
        }
        ex.saw_value = true;
        walked = contains(g.walked_tables, tables.entries);
    } else {
        fail("a map assignment stored through the slow path outside the map's header and entries");
    }
    check_description(t);
    const int64_t want = walked ? expose(a, dst & kPageMask, ex.x, t != nullptr) : GOOS_OK;
    logf("  barrier store -> %lld\n", static_cast<long long>(want));
    if (want != GOOS_OK && want != GOOS_UNWALKED) ex.panic = true;
    expect_eq("barrier_store", kernel_call(GOOS_SYS_barrier_store, dst, src, len, xfer), want);
    return want;
}

// The write barrier's slow path: only where the model expects a store into a shared object.
int64_t hooked_barrier_store(int a, uint64_t dst, uint64_t src, uint64_t len, uint64_t xfer) {
    const auto* t = reinterpret_cast<const goos_transfer*>(xfer);
    if (g.ex.map) return hooked_map_store(a, dst, src, len, xfer);
    if (!g.ex.store) fail("a store took the barrier's slow path on a page no one else holds");
    g.ex.store = false;
    if ((dst & kPageMask) != g.ex.store_page) fail("the barrier's slow path names another object");
    check_description(t);
    // No one else can reach an object no walk reached: nothing is granted for it.
    const Obj* o = g.at(g.ex.store_obj);
    const int64_t want = o && o->walked ? expose(a, g.ex.store_page, g.ex.x, t != nullptr) : GOOS_OK;
    logf("  barrier store -> %lld\n", static_cast<long long>(want));
    if (want == GOOS_UNWALKED)
        g.ex.store = true;  // sealed (hooked_seal), then stored again
    else if (want != GOOS_OK)
        g.ex.panic = true;  // barrier.cpp: a Go panic or a fatal error
    expect_eq("barrier_store", kernel_call(GOOS_SYS_barrier_store, dst, src, len, xfer), want);
    return want;
}

int64_t hooked_mark_end(int a, uint64_t list, uint64_t n) {
    const auto* pages = reinterpret_cast<const uint64_t*>(list);
    if (!g.ex.collect) fail("mark_end outside a collection");
    bool bad = false;
    for (uint64_t i = 0; i < n; ++i) {
        if (pages[i] % GOOS_PAGE_SIZE || !kernel::k.pages.contains(pages[i])) bad = true;
    }
    for (uint64_t page : g.ex.required_pages) {
        bool named = false;
        for (uint64_t i = 0; i < n; ++i) named |= pages[i] == page;
        if (!named) {
            logf("  page %#llx is reached from the roots; mark_end names", static_cast<unsigned long long>(page));
            for (uint64_t i = 0; i < n; ++i) logf(" %#llx", static_cast<unsigned long long>(pages[i]));
            logf("\n");
            fail("a collection's mark_end leaves out a page the program's roots reach");
        }
    }
    logf("  mark_end: %llu pages\n", static_cast<unsigned long long>(n));
    const int64_t want = g.m.mark_end(a, pages, static_cast<uint32_t>(n), bad);
    forget_dead_messages();  // in channels the mark let go of, which no one else held
    expect_eq("mark_end", kernel_call(GOOS_SYS_mark_end, list, n, 0, 0), want);
    return want;
}

// Every syscall of every program comes here first (the programs' syscall entry).
int64_t hook(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3) {
    const int a = g.running;
    if (a < 0) fail("a program made a syscall outside an operation");
    switch (nr) {
        case GOOS_SYS_page_alloc: {
            const int64_t r = kernel_call(nr, a0, a1, a2, a3);
            if (r <= 0) fail("page_alloc failed (the harness's pool is too small)");
            for (uint64_t i = 0; i < (a0 ? a0 : 1); ++i) {
                const uint64_t page = static_cast<uint64_t>(r) + i * GOOS_PAGE_SIZE;
                if (g.m.page(page)) fail("page_alloc returned a page that is in use");
                g.m.page_alloc(a, page);
                for (Obj& o : g.objs)  // what lay on it before it was free is gone
                    if ((o.addr & kPageMask) == page) o.freed = true;
            }
            return r;
        }
        case GOOS_SYS_page_release: {
            const int64_t want = g.m.page_release(a, a0);
            logf("  page_release %#llx -> %lld\n", static_cast<unsigned long long>(a0), static_cast<long long>(want));
            expect_eq("page_release", kernel_call(nr, a0, a1, a2, a3), want);
            return want;
        }
        case GOOS_SYS_mark_begin:
            if (!g.ex.collect) fail("mark_begin outside a collection");
            g.m.mark_begin(a);
            g.ex.dirty_at_mark.clear();
            for (const MPage& page : g.m.pages)
                if (page.origin == a && page.dirty) g.ex.dirty_at_mark.push_back(page.addr);
            expect_eq("mark_begin", kernel_call(nr, a0, a1, a2, a3), GOOS_OK);
            return GOOS_OK;
        case GOOS_SYS_mark_end:
            return hooked_mark_end(a, a0, a1);
        case GOOS_SYS_barrier_store:
            return hooked_barrier_store(a, a0, a1, a2, a3);
        case GOOS_SYS_chan_make: {
            const int64_t r = kernel_call(nr, a0, a1, a2, a3);
            if (r <= 0) fail("chan_make failed");
            if (g.m.chan(static_cast<uint64_t>(r))) fail("chan_make returned a live channel");
            g.m.chan_make(a, static_cast<uint64_t>(r), static_cast<int64_t>(a1));
            g.all_chans.push_back(static_cast<uint64_t>(r));
            // A channel's address is another's once that one is freed.
            std::erase(g.variant_chans, static_cast<uint64_t>(r));
            if (a == graphs::kVariantActor) g.variant_chans.push_back(static_cast<uint64_t>(r));
            return r;
        }
        case GOOS_SYS_lookup: {
            // goos.Lookup's own call: the actor holds what it found, and its type assertion
            // panics for a channel of the other Node type (same name, other fields).
            char name[4] = {};
            if (a1 > 2) fail("a lookup of a name the harness never gives");
            memcpy(name, reinterpret_cast<const char*>(a0), a1);
            const int64_t want = g.m.lookup(a, name);
            if (want > 0 && contains(g.variant_chans, static_cast<uint64_t>(want)) != (a == graphs::kVariantActor))
                g.ex.panic = true;
            expect_eq("lookup", kernel_call(nr, a0, a1, a2, a3), want);
            return want;
        }
        case GOOS_SYS_chan_send:
            return hooked_send(a, a0, a1, a2, a3);
        case GOOS_SYS_chan_recv:
            return hooked_recv(a, a0, a1, a2);
        case GOOS_SYS_chan_peek:
            return hooked_peek(a, a0, a1, a2);
        case GOOS_SYS_chan_seal:
            return hooked_seal(a, a0, a1);
        case GOOS_SYS_chan_roots:
            return hooked_roots(a, a0, a1);
        case GOOS_SYS_walk_join:
            return hooked_join(a, a0, a1);
        case GOOS_SYS_chan_close: {
            MChan* c = g.m.held_chan(a, a0);
            const int64_t want = !c ? GOOS_BAD_HANDLE : c->closed ? GOOS_CLOSED : GOOS_OK;
            if (want == GOOS_OK) {
                c->closed = true;
                // Their sends fail (Go panics them).
                take_senders(
                    *c, [](const MSender&) { return true; },
                    [](int actor, const MMsg& offer) {
                        g.gor[actor].offer = offer;
                        wake_goroutine(actor, GOOS_CLOSED);
                    });
            } else
                g.ex.panic = true;  // close of a closed channel panics; one not held is fatal
            expect_eq("close", kernel_call(nr, a0, a1, a2, a3), want);
            return want;
        }
        case GOOS_SYS_panic:
            logf("  (the program ends with its panic)\n");
            end_actor(a);
            step_done();
            kernel_call(nr, a0, a1, a2, a3);
            fail("panic returned");
        case GOOS_SYS_thread_stacks:
        case GOOS_SYS_type_intern:
        case GOOS_SYS_type_info:
        case GOOS_SYS_pause_others:
        case GOOS_SYS_sleep:
        case GOOS_SYS_now:
        case GOOS_SYS_yield:
            return kernel_call(nr, a0, a1, a2, a3);
        default:
            logf("  syscall %llu\n", static_cast<unsigned long long>(nr));
            fail("a program made a syscall the harness does not expect");
    }
}

void on_panic(const char* msg, size_t len) {
    char text[257];
    len = std::min(len, sizeof text - 1);
    memcpy(text, msg, len);
    text[len] = 0;
    logf("  panic: %s\n", text);
    if (!g.ex.panic) fail("a program panicked where the model says it may not");
}

// ---------------------------------------------------------------- loading the programs

const graphs::Program* g_programs[kActors];
uintptr_t g_program_span[kActors][2];  // each library's loaded bytes

// Each program's writable data (its package variables and the runtime's state) as it was
// when loaded, put back before every input: every input starts the programs afresh, as the
// kernel's loader would. The relocated read-only part (RELRO) is left alone.
struct Snapshot {
    uintptr_t start;
    std::vector<uint64_t> words;
};
std::vector<Snapshot> g_snapshots;

struct FindModule {
    const char* path;
    std::vector<Snapshot>* out;
    uintptr_t lo = UINTPTR_MAX, hi = 0;  // its loaded segments' span
};

__attribute__((no_sanitize("address"))) uint64_t read_word(uintptr_t w) {
    return *reinterpret_cast<const volatile uint64_t*>(w);
}

int snapshot_module(dl_phdr_info* info, size_t, void* arg) {
    auto* find = static_cast<FindModule*>(arg);
    if (!info->dlpi_name || strcmp(info->dlpi_name, find->path) != 0) return 0;
    uintptr_t relro_lo = 0, relro_hi = 0;
    for (int i = 0; i < info->dlpi_phnum; ++i)
        if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO) {
            relro_lo = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
            relro_hi = relro_lo + info->dlpi_phdr[i].p_memsz;
        }
    for (int i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr)& ph = info->dlpi_phdr[i];
        if (ph.p_type == PT_LOAD) {
            find->lo = std::min<uintptr_t>(find->lo, info->dlpi_addr + ph.p_vaddr);
            find->hi = std::max<uintptr_t>(find->hi, info->dlpi_addr + ph.p_vaddr + ph.p_memsz);
        }
        if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_W)) continue;
        uintptr_t lo = info->dlpi_addr + ph.p_vaddr, hi = lo + ph.p_memsz;
        if (lo < relro_hi && relro_hi < hi)
            lo = relro_hi;
        else if (lo >= relro_lo && hi <= relro_hi)
            continue;
        lo = (lo + 7) & ~uintptr_t{7};
        hi &= ~uintptr_t{7};
        Snapshot snap{lo, {}};
        for (uintptr_t w = lo; w < hi; w += 8) snap.words.push_back(read_word(w));
        find->out->push_back(std::move(snap));
    }
    return 1;
}

// Word by word and uninstrumented: the data holds AddressSanitizer's redzones between
// globals, which memcpy's interceptor would report.
__attribute__((no_sanitize("address"))) void restore_programs() {
    for (const Snapshot& snap : g_snapshots) {
        volatile uint64_t* dst = reinterpret_cast<volatile uint64_t*>(snap.start);
        const uint64_t* src = snap.words.data();
        for (size_t i = 0, n = snap.words.size(); i < n; ++i) dst[i] = src[i];
    }
}

void load_programs() {
    if (g_programs[0]) return;
    for (int i = 0; i < kActors; ++i) {
        char path[512];
        snprintf(path, sizeof path, "%s-%d.so", GOOS_GRAPH_PROGRAMS, i);
        void* h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            fprintf(stderr, "graphs fuzzer: %s\n", dlerror());
            die();
        }
        auto entry = reinterpret_cast<const graphs::Program* (*)()>(dlsym(h, "goos_graph_program"));
        if (!entry) {
            fprintf(stderr, "graphs fuzzer: %s has no goos_graph_program\n", path);
            die();
        }
        g_programs[i] = entry();
        FindModule find{path, &g_snapshots};
        if (!dl_iterate_phdr(snapshot_module, &find)) {
            fprintf(stderr, "graphs fuzzer: %s is not among the loaded modules\n", path);
            die();
        }
        g_program_span[i][0] = find.lo;
        g_program_span[i][1] = find.hi;
    }
}

// ---------------------------------------------------------------- the checks after a step

__attribute__((no_sanitize("address", "undefined"))) void check_objects() {
    for (int a = 0; a < kActors; ++a) {
        if (!alive(a)) continue;
        const graphs::Program* p = g.prog[a];
        for (int i = 0; i < kRoots; ++i)
            if (p->root(i) != g.roots[a][i]) fail("a program's root differs from the model's");
        // Only a collection frees (op_collect records what it freed): every object of its
        // own the model has is still a slot of its heap.
        for (const Obj& o : g.objs)
            if (!o.freed && own_slot(&o, a) && !p->owns(o.addr)) {
                logf("  object %#llx of actor %d\n", static_cast<unsigned long long>(o.addr), a);
                fail("a program's heap lost an object outside a collection");
            }
    }
    // Invariant 1: what a live program or a live message reaches lies on pages in use.
    static std::vector<uint64_t> reached;
    reached_by_anyone(&reached);
    for (uint64_t addr : reached)
        if (!g.m.page(addr & kPageMask)) {
            logf("  %#llx is reached\n", static_cast<unsigned long long>(addr));
            fail("a page a live program or message reaches is not in use (invariant 1)");
        }
}

// ---------------------------------------------------------------- operations

// Appending one changes what an operation's byte means (it is read modulo kNumOps): the
// corpus is rewritten then (GOOS_FUZZ_OP_OFFSETS gives each input's operation bytes, and
// each byte b becomes b modulo the old number).
enum Op : uint8_t {
    kAlloc,
    kLink,
    kFollow,
    kDrop,
    kChanMake,
    kSetChan,
    kGetChan,
    kSend,
    kRecv,
    kClose,
    kCollect,
    kPublish,
    kLookup,
    kExit,
    kCrash,
    kStale,
    kMakeSlice,
    kSliceSet,
    kSliceGet,
    kMakeMap,
    kMapPut,
    kMapGet,
    kMapDelete,
    kPreempt,
    kGoSend,
    kMakeChanMap,
    kChanMapPut,
    kChanMapGet,
    kVarRoot,
    kForgetChans,
    kNumOps
};
const char* const kOpNames[] = {
    "alloc",      "link",          "follow",       "drop",         "chan_make", "set_chan",    "get_chan",   "send",
    "recv",       "close",         "collect",      "publish",      "lookup",    "exit",        "crash",      "stale",
    "make_slice", "slice_set",     "slice_get",    "make_map",     "map_put",   "map_get",     "map_delete", "preempt",
    "go_send",    "make_chan_map", "chan_map_put", "chan_map_get", "var_root",  "forget_chans"};
static_assert(sizeof kOpNames / sizeof kOpNames[0] == kNumOps);

// Channels the actor holds (the Go values it has), or any channel ever made.
uint64_t pick_chan(int a) {
    const uint8_t b = g.in.u8();
    Small<uint64_t, 64> held;
    for (const MChan& c : g.m.chans)
        if (c.holders >> a & 1) held.push_back(c.value);
    if (b < 0xe0 && !held.empty()) return held[b % held.size()];
    return g.all_chans.empty() ? 0 : g.all_chans[b % g.all_chans.size()];
}

int pick_root() {
    return g.in.u8() % kRoots;
}

// An object the program just allocated: a fresh slot of its own, on a page no one else holds.
void check_fresh(int a, uint64_t addr) {
    if (addr % 8 || !kernel::k.pages.contains(addr)) fail("alloc returned an address outside the pool");
    if (g.at(addr)) fail("the heap gave out a slot that holds a live object");
    const MPage* page = g.m.page(addr & kPageMask);
    if (!page || page->origin != a) fail("alloc returned an object on a page the program is not origin of");
    // DESIGN.md, "The origin frees": fresh slots never go on a page someone else holds.
    if (page->shared()) {
        logf("  page %#llx holders %#x, %u messages hold it\n", static_cast<unsigned long long>(page->addr),
             page->holders, page->inflight);
        fail("a slot was handed out on a page another process or a message holds");
    }
}

void op_alloc(int a, const graphs::Program* p) {
    const int slot = pick_root();
    const uint64_t addr = p->alloc(slot);
    logf(" root %d -> %#llx\n", slot, static_cast<unsigned long long>(addr));
    check_fresh(a, addr);
    g.objs.push_back(Obj{addr, a, {0, 0}, 0, false});
    g.roots[a][slot] = addr;
}

void expect_store(const Obj* o, uint64_t value, bool chan);

// roots[slot].<field> = a fresh object of `kind` (an array's length, or kMap): make()
// gives its address, store() stores it into the node (through the barrier), and the node's
// field in the model comes to point to it. Nothing for a nil node (Go panics; not an
// operation here).
template <class Make, class Store>
void make_into_node(int a, int slot, int kind, uint64_t Obj::*field, Make make, Store store) {
    if (!g.at(g.roots[a][slot])) {
        logf("\n");
        return;
    }
    const uint64_t addr = make();
    logf(" -> %#llx\n", static_cast<unsigned long long>(addr));
    check_fresh(a, addr);
    Obj fresh{addr, a, {0, 0}, 0, false};
    fresh.n = kind;
    g.objs.push_back(fresh);
    Obj* o = g.at(g.roots[a][slot]);
    expect_store(o, addr, false);
    store();
    if (g.ex.store) fail("a store into a shared object took no slow path");
    o->*field = addr;
}

// roots[slot].S = make([]*Node, n).
void op_make_slice(int a, const graphs::Program* p) {
    const int slot = pick_root(), n = 1 + g.in.u8() % graphs::kMaxSlice;
    logf(" root %d.S = make([]*Node, %d)", slot, n);
    make_into_node(
        a, slot, n, &Obj::arr, [&] { return p->make_array(n); }, [&] { p->set_slice(slot, n); });
}

// roots[slot].M = make(map[int64]*Node), or .K = make(map[int64]chan *Node) for `chans`.
void op_make_map(int a, const graphs::Program* p, bool chans) {
    const int slot = pick_root();
    logf(chans ? " root %d.K = make(map[int64]chan *Node)" : " root %d.M = make(map[int64]*Node)", slot);
    make_into_node(
        a, slot, chans ? kChanMap : kMap, chans ? &Obj::kmap : &Obj::map, [&] { return p->make_map(); },
        [&] { p->set_map(slot, chans); });
}

// The map of roots[from].M (.K for `chans`): null for a nil pointer (Go panics: not an
// operation here) or a nil map (*nil_map).
Obj* map_at(int a, int from, bool* nil_map, bool chans = false) {
    const Obj* o = g.at(g.roots[a][from]);
    const uint64_t m = o ? (chans ? o->kmap : o->map) : 0;
    *nil_map = o && !m;
    return g.at(m);
}

// roots[from].M[key] = roots[to], or roots[from].K[key] = a channel for `chans`: the stores
// the slow path must take are the model's (hooked_map_store): the header's, when the
// assignment grows the tables and the header's page is shared; the value's, when its
// entry's page is shared (then or after the grow).
void op_map_put(int a, const graphs::Program* p, bool chans) {
    const int from = pick_root(), key = g.in.u8() % kMapKeys;
    const int to = chans ? 0 : g.in.u8() % (kRoots + 1) - 1;
    const uint64_t value = chans ? pick_chan(a) : to < 0 ? 0 : g.roots[a][to];
    if (chans)
        logf(" root %d.K[%d] = %#llx\n", from, key, static_cast<unsigned long long>(value));
    else
        logf(" root %d.M[%d] = root %d\n", from, key, to);
    bool nil_map;
    Obj* m = map_at(a, from, &nil_map, chans);
    if (!m) return;  // a nil pointer or a nil map: Go panics; not an operation here
    const graphs::MapTables before = tables_of(m);
    const bool grows = !(m->keys >> key & 1) && before.used == before.cap;
    const bool header_shared = g.m.page(m->addr & kPageMask)->shared();
    g.ex.map = m->addr;
    g.ex.saw_entries = g.ex.saw_index = g.ex.saw_value = false;
    if (chans)
        p->chan_map_put(from, key, value);
    else
        p->map_put(from, key, to);
    g.ex.map = 0;
    const graphs::MapTables after = tables_of(m);
    if (after.entries != before.entries && !grows) fail("a map's tables moved where the model says they do not");
    if (grows && after.entries == before.entries) fail("a map's tables did not grow where the model says they do");
    if (g.ex.saw_entries != (grows && header_shared) || g.ex.saw_index != (grows && header_shared))
        fail("a map's new tables went into its header other than as the model says (barrier)");
    if (after.entries != before.entries && !g.ex.saw_entries) std::erase(g.walked_tables, after.entries);
    if (g.ex.saw_value != g.m.page(after.entries & kPageMask)->shared())
        fail("a map's value went into its entry other than as the model says (barrier)");
    m->elems[key] = value;
    m->keys |= uint8_t(1u << key);
}

// The array of roots[from].S when index i is in it, else null (Go panics; not an
// operation here).
Obj* slice_at(int a, int from, int i) {
    const Obj* o = g.at(g.roots[a][from]);
    Obj* arr = o ? g.at(o->arr) : nullptr;
    return arr && i < arr->n ? arr : nullptr;
}

void op_collect(int a, const graphs::Program* p) {
    g.ex.required_pages.clear();
    predict_mark(a, &g.ex.required_pages);
    g.ex.collect = true;
    logf(" (%zu foreign pages reached)\n", g.ex.required_pages.size());
    std::vector<uint64_t> own;  // slots of its own spans, whose memory its allocator reuses
    for (const Obj& o : g.objs)
        if (!o.freed && own_slot(&o, a)) own.push_back(o.addr);
    // What live programs and messages reach before the collection: none of it may be
    // freed (invariant 1), whoever reaches it.
    static std::vector<uint64_t> reached;
    reached_by_anyone(&reached);
    p->collect();
    g.ex.collect = false;
    for (Obj& o : g.objs) {
        // A slot of its own (as it was when the collection began: the sweep may have given
        // the span back) that its heap no longer holds: freed by this collection.
        if (o.freed || !contains(own, o.addr) || p->owns(o.addr)) continue;
        if (contains(reached, o.addr)) {
            logf("  object %#llx\n", static_cast<unsigned long long>(o.addr));
            fail("a collection freed an object a live program or message reaches (invariant 1)");
        }
        // Invariant 2: only on a page no one else held since the mark began.
        if (contains(g.ex.dirty_at_mark, o.addr & kPageMask)) {
            logf("  object %#llx\n", static_cast<unsigned long long>(o.addr));
            fail("a collection freed an object on a page that was dirty when its mark began (invariant 2)");
        }
        o.freed = true;
    }
}

void send_root(int a, const graphs::Program* p, uint64_t ch, int slot) {
    const uint64_t v = g.roots[a][slot];
    logf(" chan=%#llx root %d (%#llx)\n", static_cast<unsigned long long>(ch), slot,
         static_cast<unsigned long long>(v));
    if (!ch) return;  // a nil channel in a select: never ready, the default runs
    expect_send(a, v);
    if (g.stale[a] == 0) {
        p->send(ch, slot);
    } else {
        // The kernel checks a walk's clock only for a program with a start info (a loaded
        // one): this one has it for the send, and keeps nothing else of it (no asks).
        kernel::Process* self = kernel::k.current->proc;
        goos_start_info* info = g.info[a];
        const goos_start_info before = *info;
        self->info = info;
        p->send(ch, slot);
        self->info = nullptr;
        info->collect_asks = before.collect_asks;
        info->granted_bytes = before.granted_bytes;
    }
    if (g.ex.send) fail("a send made no send syscall");
}

void op_send(int a, const graphs::Program* p) {
    const uint64_t ch = pick_chan(a);
    const int slot = pick_root();
    send_root(a, p, ch, slot);
}

// go func(v *Node) { ch <- v }(roots[slot]): a thread of the actor's process runs the
// send (hooked_send) and the operation ends when it is done or waits. One goroutine per
// actor at a time; a send on a nil channel (which waits for good) is not an operation here.
void op_go_send(int a) {
    const uint64_t ch = pick_chan(a);
    const int slot = pick_root();
    Goroutine& r = g.gor[a];
    logf(" chan=%#llx root %d (%#llx)%s\n", static_cast<unsigned long long>(ch), slot,
         static_cast<unsigned long long>(g.roots[a][slot]), r.phase != Goroutine::kNone ? " (one waits already)" : "");
    if (!ch || r.phase != Goroutine::kNone) return;
    r = Goroutine{Goroutine::kStarting, ch, g.roots[a][slot], slot};
    expect_send(a, r.node);
    if (goos_syscall(GOOS_SYS_thread_spawn, g.goroutine_entry[a], static_cast<uint64_t>(a), 0, 0) < 0)
        fail("thread_spawn failed (the harness's pool is too small)");
    while (r.phase == Goroutine::kStarting) spin();
    if (g.ex.send) fail("a goroutine's send made no send syscall");
}

// Preemption inside the write barrier (kernel/barrier.h): between the fast path's test of
// the destination's shared bit and its store, another thread of the program runs a send
// (armed by kPreempt: of a root, on a channel), which may share the destination's page;
// the sequence restarts at its test, and a store into a page shared meanwhile must take
// the slow path. The hook runs the send where the thread stands, as the scheduler would
// run the other thread before this one resumes.
uint64_t barrier_preemption() {
    const int a = g.running;
    if (a < 0 || !g.preempt[a].armed || !g.store_target.known || g.ex.map) return 0;
    g.preempt[a].armed = false;
    logf("  (preempted between the barrier's test and its store: a send of root %d runs)\n", g.preempt[a].slot);
    Expect outer = std::move(g.ex);
    g.ex = Expect{};
    send_root(a, g.prog[a], g.preempt[a].chan, g.preempt[a].slot);
    g.ex = std::move(outer);
    expect_store(g.at(g.store_target.obj), g.store_target.value, g.store_target.chan);
    return 1;
}

// A store of `value` (a node, or a channel for `chan`) into the object o: on a page the
// model says is shared, the write barrier must take its slow path with the walk of value.
void expect_store(const Obj* o, uint64_t value, bool chan) {
    g.store_target = State::StoreTarget{o->addr, value, chan, true};
    const MPage* page = g.m.page(o->addr & kPageMask);
    if (!page || !page->shared()) return;
    g.ex.store = true;
    g.ex.store_page = o->addr & kPageMask;
    g.ex.store_obj = o->addr;
    g.ex.x = MXfer{};
    if (chan && value) {
        g.ex.x.chans.push_back(value);
    } else if (value) {
        predict_walk(g.running, value, &g.ex.x);
        mark_walked(value);
    }
}

void op_recv(int a, const graphs::Program* p) {
    const uint64_t ch = pick_chan(a);
    const int slot = pick_root();
    logf(" chan=%#llx into root %d\n", static_cast<unsigned long long>(ch), slot);
    if (!ch) return;
    g.ex.recv = true;
    const int r = p->recv(ch, slot);
    g.ex.recv = false;
    logf("  -> %d\n", r);
    if (r == 1) g.roots[a][slot] = g.msgs[g.ex.message].node;
    if (r == 0) g.roots[a][slot] = 0;  // closed and drained: the zero value
}

void run_op(int a, Op op) {
    const graphs::Program* p = g.prog[a];
    g.running = a;
    g.ex.panic = false;
    g.store_target.known = false;
    switch (op) {
        case kAlloc:
            op_alloc(a, p);
            break;
        case kLink: {
            const int from = pick_root(), field = g.in.u8() & 1, to = g.in.u8() % (kRoots + 1) - 1;
            logf(" root %d.%c = root %d\n", from, "AB"[field], to);
            if (!g.roots[a][from]) break;  // a nil pointer: Go panics; not an operation here
            Obj* o = g.at(g.roots[a][from]);
            if (!o) break;
            expect_store(o, to < 0 ? 0 : g.roots[a][to], false);
            p->link(from, field, to);
            if (g.ex.store) fail("a store into a shared object took no slow path");
            if (o) o->f[field] = to < 0 ? 0 : g.roots[a][to];
            break;
        }
        case kFollow: {
            const int from = pick_root(), field = g.in.u8() & 1, to = pick_root();
            logf(" root %d = root %d.%c\n", to, from, "AB"[field]);
            Obj* o = g.at(g.roots[a][from]);
            if (!o) break;  // a nil pointer: Go panics; not an operation here
            p->follow(from, field, to);
            g.roots[a][to] = o->f[field];
            break;
        }
        case kDrop: {
            const int slot = pick_root();
            logf(" root %d\n", slot);
            p->drop(slot);
            g.roots[a][slot] = 0;
            break;
        }
        case kChanMake: {
            const int64_t cap = g.in.u8() % 4;
            logf(" cap=%lld\n", static_cast<long long>(cap));
            if (g.all_chans.size() == kMaxChans) break;
            const uint64_t ch = p->make_chan(cap);
            logf("  -> %#llx\n", static_cast<unsigned long long>(ch));
            break;
        }
        case kSetChan: {
            const int slot = pick_root();
            const uint64_t ch = pick_chan(a);
            logf(" root %d.C = %#llx\n", slot, static_cast<unsigned long long>(ch));
            Obj* o = g.at(g.roots[a][slot]);
            if (!o) break;  // a nil pointer: Go panics; not an operation here
            expect_store(o, ch, true);
            p->set_chan(slot, ch);
            if (g.ex.store) fail("a store into a shared object took no slow path");
            o->ch = ch;
            break;
        }
        case kGetChan: {
            // The program takes a channel out of a node: a Go value it may use if it holds
            // the channel (it got it with the node), which pick_chan() then finds.
            const int slot = pick_root();
            Obj* o = g.at(g.roots[a][slot]);
            logf(" root %d.C\n", slot);
            if (o && p->get_chan(slot) != o->ch) fail("a node's channel differs from the model's");
            break;
        }
        case kSend:
            op_send(a, p);
            break;
        case kGoSend:
            op_go_send(a);
            break;
        case kVarRoot: {
            // roots[slot] = &G[i]: a package variable of the program's image.
            const int slot = pick_root(), i = g.in.u8() % graphs::kVars;
            logf(" root %d = &G[%d] (%#llx)\n", slot, i, static_cast<unsigned long long>(g.vars[a][i]));
            p->var_root(slot, i);
            g.roots[a][slot] = g.vars[a][i];
            break;
        }
        case kStale:
            // After two stale tries the runtime joins the walk's pages (hooked_join).
            g.stale[a] = g.in.u8() % 4;
            logf(" the next %d commits of its walks are stale\n", g.stale[a]);
            break;
        case kRecv:
            op_recv(a, p);
            break;
        case kMakeSlice:
            op_make_slice(a, p);
            break;
        case kSliceSet: {
            const int from = pick_root(), i = g.in.u8() % graphs::kMaxSlice, to = g.in.u8() % (kRoots + 1) - 1;
            logf(" root %d.S[%d] = root %d\n", from, i, to);
            Obj* arr = slice_at(a, from, i);
            if (!arr) break;
            const uint64_t value = to < 0 ? 0 : g.roots[a][to];
            expect_store(arr, value, false);
            p->slice_set(from, i, to);
            if (g.ex.store) fail("a store into a shared object took no slow path");
            arr->elems[i] = value;
            break;
        }
        case kMakeMap:
        case kMakeChanMap:
            op_make_map(a, p, op == kMakeChanMap);
            break;
        case kChanMapGet: {
            // A channel taken out of a map: a Go value the program may go on using.
            const int from = pick_root(), key = g.in.u8() % kMapKeys;
            logf(" root %d.K[%d]\n", from, key);
            bool nil_map;
            const Obj* m = map_at(a, from, &nil_map, true);
            if (!m && !nil_map) break;  // a nil pointer: Go panics
            const uint64_t want = m && (m->keys >> key & 1) ? m->elems[key] : 0;
            if (p->chan_map_get(from, key) != want) fail("a map's channel differs from the model's");
            break;
        }
        case kPreempt: {
            State::Preempt& pre = g.preempt[a];
            pre.chan = pick_chan(a);
            pre.slot = pick_root();
            pre.armed = pre.chan != 0;
            logf(" the next store whose page is not shared sends root %d on %#llx between test and store\n", pre.slot,
                 static_cast<unsigned long long>(pre.chan));
            break;
        }
        case kMapPut:
        case kChanMapPut:
            op_map_put(a, p, op == kChanMapPut);
            break;
        case kMapGet: {
            const int from = pick_root(), key = g.in.u8() % kMapKeys, to = pick_root();
            logf(" root %d = root %d.M[%d]\n", to, from, key);
            bool nil_map;
            const Obj* m = map_at(a, from, &nil_map);
            if (!m && !nil_map) break;  // a nil pointer: Go panics
            p->map_get(from, key, to);
            g.roots[a][to] = m && (m->keys >> key & 1) ? m->elems[key] : 0;
            break;
        }
        case kMapDelete: {
            const int from = pick_root(), key = g.in.u8() % kMapKeys;
            logf(" delete(root %d.M, %d)\n", from, key);
            bool nil_map;
            Obj* m = map_at(a, from, &nil_map);
            if (!m && !nil_map) break;  // a nil pointer: Go panics
            p->map_delete(from, key);
            if (m) {
                m->keys &= uint8_t(~(1u << key));
                m->elems[key] = 0;
            }
            break;
        }
        case kSliceGet: {
            const int from = pick_root(), i = g.in.u8() % graphs::kMaxSlice, to = pick_root();
            logf(" root %d = root %d.S[%d]\n", to, from, i);
            const Obj* arr = slice_at(a, from, i);
            if (!arr) break;
            p->slice_get(from, i, to);
            g.roots[a][to] = arr->elems[i];
            break;
        }
        case kClose: {
            const uint64_t ch = pick_chan(a);
            logf(" chan=%#llx\n", static_cast<unsigned long long>(ch));
            if (ch) p->close(ch);
            break;
        }
        case kCollect:
            op_collect(a, p);
            break;
        case kForgetChans:
            logf("\n");
            p->forget_chans();
            break;
        case kPublish:
        case kLookup: {
            // Publish through the kernel directly (package goos's Publish is a thin wrapper);
            // look up as package goos does, with the type assertion (hook()).
            char name[4] = {'n', static_cast<char>('0' + g.in.u8() % 4), 0, 0};
            const uint64_t ch = op == kPublish ? pick_chan(a) : 0;
            logf(" name=%s chan=%#llx\n", name, static_cast<unsigned long long>(ch));
            if (op == kPublish && !ch) break;  // no channel made yet
            if (op == kPublish) {
                const int64_t want = g.m.publish(a, name, ch);
                if (want == GOOS_OK) now_shared(ch);
                expect_eq("publish", goos_syscall(GOOS_SYS_publish, reinterpret_cast<uint64_t>(name), 2, ch, 0), want);
            } else {
                uint64_t found = 0;
                const int64_t r = p->lookup(name, 2, &found);
                expect_eq("goos.Lookup", r, r < 0 ? r : 0);
                if (r == 0) logf("  -> %#llx\n", static_cast<unsigned long long>(found));
            }
            break;
        }
        case kExit:
        case kCrash:
            logf("\n");
            end_actor(a);
            step_done();
            if (op == kExit) goos_syscall(GOOS_SYS_exit, 0, 0, 0, 0);
            {
                // The kernel reads a loaded program's message from its own memory: its stack.
                char crash[] = "graphs fuzzer: crash";
                goos_syscall(GOOS_SYS_panic, reinterpret_cast<uint64_t>(crash), sizeof crash - 1, 0, 0);
            }
            fail(op == kExit ? "exit returned" : "panic returned");
        case kNumOps:
            break;
    }
    if (g.ex.panic) fail("the model expected a panic and the program went on");
    step_done();
}

void spin() {
    if (++g.spins > 1'000'000) fail("hang: an actor waited too long for its turn");
    goos_syscall(GOOS_SYS_yield, 0, 0, 0, 0);
}

// An actor's first thread, which its image's code starts (actor_image()): the actor is its
// process's slot less one.
void actor(uint64_t) {
    const int a = static_cast<int>(kernel::k.current->proc->slot) - 1;
    goos_start_info info{};
    info.version = GOOS_ABI_VERSION;
    info.syscall = hook;
    info.pool_base = kernel::k.pages.page_at(0);
    info.pool_pages = kernel::k.pages.npages();
    info.layout_bits = kernel::k.pages.layout_bits();
    info.layout_heads = kernel::k.pages.layout_heads();
    info.shared_bits = kernel::k.pages.shared_bits();
    info.dirty_bits = kernel::k.pages.dirty_bits();
    info.walked_bits = kernel::k.pages.walked_bits();
    info.barrier_store = goos_barrier_store;
    info.barrier_copy = goos_barrier_copy;
    info.type_equal = goos_type_equal;
    info.type_hash = goos_type_hash;
    info.zerobase = kernel::type_zero_value();
    g.info[a] = &info;
    // The library's channel type, bound to the type segment as the loader binds an image's
    // descriptors: what its makechan is given.
    kernel::ImageTypes types(kernel::k.current->proc, g_program_span[a][0], g_program_span[a][1]);
    char reason[64];
    kernel::Buf why(reason, sizeof reason);
    auto bound = types.bind(reinterpret_cast<uintptr_t>(g.prog[a]->chan_type), why);
    if (!bound.ok()) {
        logf("  the channel type: %s\n", reason);
        fail("the kernel refused an actor's channel type");
    }
    g.prog[a]->start(&info, on_panic, bound.value());
    g.prog[a]->set_vars(g.vars[a][0]);
    for (;;) {
        if (g.pending_wakes) {  // a woken goroutine runs before anything else
            for (const Goroutine& r : g.gor)
                if (g.running < 0 && r.phase == Goroutine::kWoken && r.thread->state == kernel::ThreadState::Blocked)
                    fail("the kernel did not complete a goroutine's send that the model says it completed");
            spin();
            continue;
        }
        if (g.need_check) {
            g.need_check = false;
            compare(g.m, true);
            check_objects();
        }
        if (g.done) return;
        if (g.turn < 0) {
            int who = g.in.u8() % kActors;
            for (int i = 0; i < kActors && !alive(who); ++i) who = (who + 1) % kActors;
            g.turn = who;
        }
        if (g.turn == a) {
            // Where each operation's byte lies, for rewriting the corpus when operations
            // are added (the byte is read modulo their number).
            static const bool print_offsets = getenv("GOOS_FUZZ_OP_OFFSETS") != nullptr;
            if (print_offsets) fprintf(stderr, "op-at %zu\n", g.in.pos);
            const Op op = static_cast<Op>(g.in.u8() % kNumOps);
            logf("%2d actor %d %s", g.ops, a, kOpNames[op]);
            if (op == kCollect || op == kAlloc || op == kChanMake) logf("\n");
            run_op(a, op);
            continue;
        }
        spin();
    }
}

}  // namespace

// Each actor's program image, which the kernel's loader places: its entry jumps to the
// harness's actor() through the word at goos_image::kSlot, and the code 8 bytes on (a
// thread's entry must lie in the image's code: sys_thread_spawn) to goroutine() through
// the word after it, both written once the image is placed; and the variables
// G[0..kVars) of the actor's type Node past the image's file part, with their layout
// records (.goos.vars) as goos build would make them.
constexpr uint64_t kVarsAt = 0x1000;
constexpr uint64_t kGoroutineEntry = goos_image::kCode + 8;
std::vector<uint8_t> actor_image(bool variant) {
    goos_image::ImageBuilder b;
    for (uint64_t at : {goos_image::kCode, kGoroutineEntry}) {
        // jmp [rip + disp]: the argument stays in rdi
        const uint64_t slot = goos_image::kSlot + (at - goos_image::kCode);
        const auto disp = static_cast<uint32_t>(slot - (at + 6));
        b.code.resize(at - goos_image::kCode);
        b.code.insert(b.code.end(), {0xff, 0x25});
        for (int i = 0; i < 4; ++i) b.code.push_back(static_cast<uint8_t>(disp >> (8 * i)));
    }
    b.vars.clear();
    for (int i = 0; i < graphs::kVars; ++i)
        b.vars.insert(b.vars.end(), {kVarsAt + i * graphs::kNodeSize, graphs::kNodeSize,
                                     variant ? graphs::kVariantNodeLayout : graphs::kNodeLayout});
    b.vars_header.count = graphs::kVars;
    return b.build();
}

// Loads actor a's image: the model's pages are the image's (the actor their origin), and
// its objects G[i], whose readers hold the image's variable table with them (the page
// the head of their page names). The harness's start info (actor()) is what its program
// reads, as for a process the kernel spawned: the kernel's checks of walk clocks apply to
// a stale send only (send_root()).
void load_actor(int a) {
    static const std::vector<uint8_t> images[2] = {actor_image(false), actor_image(true)};
    const std::vector<uint8_t>& image = images[a == graphs::kVariantActor];
    kernel::LoadError why{};
    auto loaded = kernel::process_load("actor", image.data(), image.size(), &why);
    if (!loaded.ok()) {
        fprintf(stderr, "graphs fuzzer: the actor's image was refused: %s\n", why.text);
        die();
    }
    kernel::Process* proc = loaded.value();
    if (proc->slot != static_cast<uint32_t>(a + 1)) fail("actor slots are not 1..N");
    const uint64_t base = proc->info->image_base;
    const uint64_t entries[2] = {reinterpret_cast<uint64_t>(&actor), reinterpret_cast<uint64_t>(&goroutine)};
    memcpy(reinterpret_cast<void*>(base + goos_image::kSlot), entries, sizeof entries);
    g.goroutine_entry[a] = base + kGoroutineEntry;
    proc->info = nullptr;
    proc->held.each([&](size_t i) { g.m.page_alloc(a, kernel::k.pages.page_at(i)); });
    const uint64_t first = base + kVarsAt;
    const goos_layout_head head = kernel::k.pages.layout_head(first & kPageMask);
    for (int i = 0; i < graphs::kVars; ++i) {
        Obj var{first + i * graphs::kNodeSize, a, {0, 0}, 0, false};
        var.walked = true;  // the kernel counts a store into image data as one into a walked object
        var.table = kernel::k.pages.page_at(head.slot_size);
        if ((var.addr & kPageMask) != (first & kPageMask)) fail("harness: G spans pages");
        g.objs.push_back(var);
        g.vars[a][i] = var.addr;
    }
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    load_programs();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    g_harness_name = "graphs fuzzer";
    load_programs();
    restore_programs();
    g.reset(data, size);
    g_log.n = g_log.used = 0;
    g_log.overflow = false;
    const uint64_t seed = g.in.u8();
    fuzz::boot(seed + 1, 1024);  // a fresh object stored into a shared one takes a span of its own (about 3 pages)
    goos_barrier_hook = barrier_preemption;  // boot set the HAL's (none in these runs)
    for (int a = 0; a < kActors; ++a) {
        g.prog[a] = g_programs[a];
        load_actor(a);
    }
    if (g.in.empty()) g.done = true;
    (void)kernel::run();
    const fuzz::PageCensus census = fuzz::page_census();
    logf("-- run ended: %zu process pages, %zu channels left\n", census.process, kernel::k.channels.size());
    if (census.process || !kernel::k.channels.empty()) fail("pages or channels left after every process ended");
    if (!fuzz::allocator_consistent(census)) fail("page allocator free count (records vs counter) after the run");
    if (!kernel::check_invariants(false)) {
        kernel::check_invariants(true);
        fail("kernel::check_invariants after the run");
    }
    if (getenv("GOOS_FUZZ_LOG")) print_log(stderr);  // what a passing input did, for writing seeds
    return 0;
}
