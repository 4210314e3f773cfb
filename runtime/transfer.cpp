// The send walk (transfer.h).
//
// The walk follows the value's type: struct fields, array elements, what pointers, slices,
// strings, maps and interfaces point to, and channels. An object it reaches is a slot of
// this program's heap (walked by its own type word, which knows a string's length) or
// another program's (walked by its layout record, which its origin wrote; so are map
// tables and the runtime's own records), and so is a package variable, this program's or
// another's (image.h). Reaching any byte of an object reaches all its pages. What it hands
// on:
// - the pages of every object reached, this program's or another's;
// - image pages (string literals, type descriptors, method tables): an image's read-only
//   unit whole (layout_unit_at), this program's or another's, so the image outlives its
//   program while anyone may read it, whichever programs the pointer passed through;
// - channels: a pointer into a page of channel headers is a channel.
// The heap lock keeps the collector away during the walk; nothing is claimed, so nothing
// is undone when the send does not happen.
#include "transfer.h"

#include <new>

#include "chantype.h"
#include "heap_internal.h"
#include "image.h"
#include "layout.h"

namespace goos_rt {
namespace {

uint32_t walks = 0;  // walks so far, under the heap lock

[[noreturn]] void too_large() {
    fatal_panic("runtime: a sent value reaches more than 2^30 pages or channels (GOOS_MAX_TRANSFER)");
}

// Pages one description keeps before its walk streams (abi.h, GOOS_TRANSFER_STREAMED): a
// description of 32 KiB, as large as a value of 16 MiB or more needs.
constexpr uint32_t kStreamAfter = 4096;

// An object a walk reached whose words it has still to read.
struct Item {
    uintptr_t addr;
    uintptr_t size;
    const Type* type;
    bool by_record;
};

// The other programs' objects a walk reached, by the first word of each: a bit per word of
// the page it lies on, found through the page (objects of one graph share few pages, and
// consecutive ones mostly the same page, so this costs less than a set of objects).
class SeenWords {
public:
    // Whether the object at `start` is new to the walk; it is not any more.
    bool first(uintptr_t start) {
        const uintptr_t page = start & ~(GOOS_PAGE_SIZE - 1);
        if (page != last_page_) {
            bool added;
            AddrMap<16>::Entry& e = index_.insert(page, 0, &added);
            if (added) {
                e.value = words_.size();
                words_.push(PageWords{});
            }
            last_page_ = page;
            last_ = words_[e.value].bits;  // good until the next page is added
        }
        const uintptr_t word = (start & (GOOS_PAGE_SIZE - 1)) / 8;
        const uint64_t bit = uint64_t{1} << (word % 64);
        if (last_[word / 64] & bit) return false;
        last_[word / 64] |= bit;
        return true;
    }
    void reuse() {
        index_.reuse();
        words_.clear();
        last_page_ = 0;
    }

private:
    struct PageWords {
        uint64_t bits[GOOS_PAGE_SIZE / 8 / 64];
    };
    AddrMap<16> index_;  // page -> its entry in words_
    ScratchVec<PageWords, 2> words_;
    uintptr_t last_page_ = 0;
    uint64_t* last_ = nullptr;
};

// What a walk keeps while it runs: the pages and channels it found, the other programs'
// objects it reached (this program's are flagged in their spans) and the objects still to
// be read. A program's outermost walk reuses one set (walks run under the heap lock), so
// that walking a large graph again takes no pages from the kernel; a seal's walks, nested
// in it, have their own.
struct WalkSets {
    AddrMap<64> pages;
    SeenWords foreign;
    AddrMap<16> chans;
    ScratchVec<Item, 32> work;
    void reuse() {
        pages.reuse();
        foreign.reuse();
        chans.reuse();
        work.clear();
    }
};

// The local channels a sealing walk found with values sent unwalked (abi.h, chan_seal),
// and the walks of those values, which may find more such channels: all sealed in one
// call, so that channels that carry each other are sealed together.
class Sealer {
public:
    Sealer(uint64_t clock, bool join) : clock_(clock), join_(join) {}
    Sealer(const Sealer&) = delete;
    Sealer& operator=(const Sealer&) = delete;

    // A channel the walk found.
    void consider(uint64_t c) {
        if (!carries_pointers(reinterpret_cast<const void*>(c))) return;
        if (*reinterpret_cast<const int64_t*>(c) == 0) return;  // word 0: len(c)
        bool added;
        seen_.insert(c, 0, &added);
        if (added) todo_.push(c);
    }

    // Walks every unwalked value of every channel found (and found by those walks), and
    // has the kernel make each the message of its slot. The kernel's status: CODE_VALUE
    // when one holds a func value, since the channel is about to be shared.
    int64_t seal();

private:
    struct Value {
        uint64_t chan;
        uint32_t page_off, npages, chan_off, nchans;
        uint64_t flags;
    };
    uint64_t clock_;
    bool join_;
    AddrMap<16> seen_;
    ScratchVec<uint64_t, 8> todo_;
    ScratchVec<Value, 8> values_;
    ScratchVec<uint64_t, 8> pages_;  // every value's pages, one after another
    ScratchVec<uint64_t, 8> chans_;
};

class Walker {
public:
    // join: every page is joined to the thread's joined record before an object on it is
    // read (abi.h, walk_join), so that what another thread stores there meanwhile goes into
    // what the commit names too. stream: a joining walk leaves what it joined out of the
    // description (abi.h, GOOS_TRANSFER_STREAMED); any other stops at kStreamAfter pages
    // (overflowed()), to be walked again joining.
    Walker(Outgoing* out, WalkSets* sets, bool join, bool stream, Sealer* sealer = nullptr)
        : out_(out),
          sealer_(sealer),
          join_(join),
          stream_(stream),
          pages_(sets->pages),
          foreign_(sets->foreign),
          chans_(sets->chans),
          work_(sets->work) {
        if (join) out_->desc.flags |= GOOS_TRANSFER_JOINED;
        if (join && stream) out_->desc.flags |= GOOS_TRANSFER_STREAMED;
    }
    Walker(const Walker&) = delete;
    Walker& operator=(const Walker&) = delete;

    // n values of type t at v.
    void values(const Type* t, const uint8_t* v, uintptr_t n = 1) {
        for (uintptr_t i = 0; i < n && !overflowed_; ++i) walk_type(t, v + i * t->size);
        drain();
    }

    // The walk found more pages than one description keeps, and stopped.
    bool overflowed() const { return overflowed_; }

    // A word stored at dst, which its layout record (or a neighbour's) says what it is: a
    // func value, an interface's data word (whose type word was stored just before it,
    // without a barrier), or a pointer of some kind, a channel included.
    void word(uintptr_t dst, uintptr_t w) {
        const uint64_t kind = layout_kind(dst);
        if (kind == GOOS_LAYOUT_FUNC) {
            if (w) out_->desc.flags |= GOOS_TRANSFER_FUNCS;
            return;
        }
        if (dst % GOOS_PAGE_SIZE && layout_kind(dst - 8) == GOOS_LAYOUT_TYPE)
            touch_known(*reinterpret_cast<const uintptr_t*>(dst - 8), sizeof(Type));
        if (layout_is_channel(w))
            chan(w);
        else
            reach(w, 0);
        drain();
    }

private:
    // Every page is joined before an object on it is read, and all are by the end.
    void drain() {
        while (work_.size() && !overflowed_) {
            if (joins_.size()) join_pages();
            // Field by field: reach() stores an item's fields one by one, and a wider load
            // of what was just stored stalls (no store-to-load forwarding).
            const Item& top = work_[work_.size() - 1];
            const Item it{top.addr, top.size, top.type, top.by_record};
            work_.resize(work_.size() - 1);
            scan(it);
        }
        if (joins_.size()) join_pages();
    }

    void walk_type(const Type* t, const uint8_t* v) {
        if (!t || t->ptrdata == 0) return;
        switch (t->kind & kKindMask) {
            case kChan:
                chan(*reinterpret_cast<const uint64_t*>(v));
                return;
            case kStruct: {
                const auto* st = reinterpret_cast<const StructType*>(t);
                for (intptr_t i = 0; i < st->nfields; ++i)
                    walk_type(st->fields[i].type, v + (st->fields[i].offset_embedded >> 1));
                return;
            }
            case kArray: {
                const auto* at = reinterpret_cast<const ArrayType*>(t);
                if (!at->elem || at->elem->ptrdata == 0) return;
                for (uintptr_t i = 0; i < at->len; ++i) walk_type(at->elem, v + i * at->elem->size);
                return;
            }
            case kInterface:
                iface(reinterpret_cast<const InterfaceType*>(t), reinterpret_cast<const void* const*>(v));
                return;
            case kPtr: {
                const Type* elem = reinterpret_cast<const PtrType*>(t)->elem;
                reach(*reinterpret_cast<const uintptr_t*>(v), elem ? elem->size : 0, kTyped);
                return;
            }
            case kSlice: {
                const auto* s = reinterpret_cast<const Slice*>(v);
                const Type* elem = reinterpret_cast<const SliceType*>(t)->elem;
                reach(reinterpret_cast<uintptr_t>(s->ptr), elem ? elem->size * static_cast<uintptr_t>(s->cap) : 0,
                      kTyped);
                return;
            }
            case kString: {
                const auto* s = reinterpret_cast<const String*>(v);
                reach(reinterpret_cast<uintptr_t>(s->ptr), static_cast<uintptr_t>(s->len), kTyped);
                return;
            }
            case kMap:
            case kUnsafePointer:
                reach(*reinterpret_cast<const uintptr_t*>(v), 0);
                return;
            case kFunc:
                // Code is the sender's own: the kernel refuses the send if another program
                // may receive it (GOOS_TRANSFER_FUNCS), and a receiver refuses it too.
                if (*reinterpret_cast<const uintptr_t*>(v)) out_->desc.flags |= GOOS_TRANSFER_FUNCS;
                return;
            default:
                return;
        }
    }

    void iface(const InterfaceType* it, const void* const* words) {
        const Type* dyn = dynamic_type(it, words);
        if (!dyn) return;
        // What the receiver reads to rebind: the method table, the descriptor, its name.
        if (it->nmethods) touch_known(reinterpret_cast<uintptr_t>(words[0]), sizeof(void*) * (it->nmethods + 1));
        touch_known(reinterpret_cast<uintptr_t>(dyn), sizeof(Type));
        if (dyn->string) {
            touch_known(reinterpret_cast<uintptr_t>(dyn->string), sizeof(String));
            touch_known(reinterpret_cast<uintptr_t>(dyn->string->ptr), static_cast<uintptr_t>(dyn->string->len));
        }
        if (dyn->kind & kKindDirectIface)
            walk_type(dyn, reinterpret_cast<const uint8_t*>(&words[1]));
        else
            reach(reinterpret_cast<uintptr_t>(words[1]), dyn->size, kTyped);
    }

    void chan(uint64_t c) {
        if (!c) return;
        bool added;
        chans_.insert(c, 0, &added);
        if (!added) return;
        if (out_->chans.size() == GOOS_MAX_TRANSFER) too_large();
        out_->chans.push(c);
        if (sealer_) sealer_->consider(c);
    }

    // How a word was found: as a Go pointer, slice, string or interface by its type, or as
    // a word that may be a pointer (an unsafe.Pointer, a word marked as a pointer in a
    // layout record, which does not say how long what it points to is).
    enum Found : bool { kMaybe = false, kTyped = true };

    // A pointer to `len` bytes (0: unknown).
    void reach(uintptr_t p, uintptr_t len, Found found = kMaybe) {
        if (!p) return;
        if (Span* s = span_of(p)) {
            const uint32_t i = s->slot_of(p);
            if (i >= s->nslots || !s->allocated(i) || !s->walk_visit(i, epoch_)) return;
            const uintptr_t start = s->base + uintptr_t{i} * s->slot_size;
            layout_walked(start);
            touch(start, s->slot_size);
            if (const Type* own = s->types[i])  // the slot's own type word, not the pointer's
                work_.push(Item{start, s->slot_size, own, own == kConservative || own->size == 0});
            return;
        }
        uintptr_t start, size;
        bool is_var;
        if (in_pool(p) && layout_object_at(p, &start, &size, &is_var)) {
            // Another program's object, or a package variable of any program's image: the
            // receiver holds its pages (and a variable's table), and this program may
            // have linked objects of its own into it since it came.
            if (!foreign_.first(start)) return;
            layout_walked(start);
            touch(start, size);
            work_.push(Item{start, size, nullptr, true});
            uintptr_t lo, n;
            if (is_var && layout_records_at(start, &lo, &n)) touch(lo, n);
        } else {
            reach_image(p, len, found);
        }
    }

    // A pointer to no object: into an image, this program's or another's. Out of line: the
    // walk of a graph of objects rarely comes here.
    __attribute__((noinline)) void reach_image(uintptr_t p, uintptr_t len, Found found) {
        if (in_own_image(reinterpret_cast<const void*>(p))) {
            if (!in_runtime_state(p)) touch_known(p, len ? len : 1);
        } else if (in_pool(p)) {
            // Another program's image: its read-only unit (a string literal it sent), or
            // its writable data by a typed pointer (a scalar variable). The receiver holds
            // those pages too, or they could go back to the pool while the message waits.
            // Not for an empty slice or string, whose pointer may lie just past its array.
            uintptr_t lo, n;
            if (layout_unit_at(p, &lo, &n))
                touch_unit(lo, n);
            else if (found == kTyped && len)
                touch(p, len);
        }
    }

    // An object whose own type word is a descriptor of this program's is walked by its type
    // (which knows a string's length); any other by its layout record (layout.h), which
    // its origin wrote: another program's object, a map's table, the runtime's records.
    void scan(const Item& it) {
        if (it.by_record) {
            layout_each(it.addr, it.size, [this](uintptr_t word, uint64_t kind) {
                const uintptr_t w = *reinterpret_cast<const uintptr_t*>(word);
                if (kind == GOOS_LAYOUT_POINTER) {
                    if (layout_is_channel(w))
                        chan(w);
                    else
                        reach(w, 0);
                } else if (kind == GOOS_LAYOUT_TYPE) {
                    touch_known(w, sizeof(Type));
                } else if (kind == GOOS_LAYOUT_FUNC && w) {
                    out_->desc.flags |= GOOS_TRANSFER_FUNCS;  // as walk_type's kFunc
                }
            });
            return;
        }
        for (uintptr_t off = 0; off + it.type->size <= it.size; off += it.type->size)
            walk_type(it.type, reinterpret_cast<const uint8_t*>(it.addr + off));
    }

    // Pages the receiver must hold of what a type word, a method table or a string leads to:
    // an image's read-only unit, any program's; else this program's image or heap pages.
    void touch_known(uintptr_t addr, uintptr_t len) {
        uintptr_t lo, n;
        if (layout_unit_at(addr, &lo, &n)) {
            touch_unit(lo, n);
        } else if (in_own_image(reinterpret_cast<const void*>(addr))) {
            const uintptr_t end = program_info->image_end;
            touch(addr, addr + len > end || addr + len < addr ? end - addr : len);
        } else if (span_of(addr)) {
            touch(addr, 1);
        }
    }

    // An image's read-only unit: all of its pages, once per walk (a unit's pages enter the
    // walk's set only here, so its first page being there means all are).
    void touch_unit(uintptr_t lo, uintptr_t len) {
        if (pages_.find(lo)) return;
        touch_pages(lo, lo + len - GOOS_PAGE_SIZE);
    }

    // Inline for the common case of an object on the page touched last (objects of one
    // graph tend to sit together).
    __attribute__((always_inline)) void touch(uintptr_t addr, uintptr_t len) {
        const uintptr_t first = addr & ~(GOOS_PAGE_SIZE - 1);
        const uintptr_t last = (addr + len - 1) & ~(GOOS_PAGE_SIZE - 1);
        if (first == last && first == last_page_) return;
        touch_pages(first, last);
    }
    __attribute__((noinline)) void touch_pages(uintptr_t first, uintptr_t last) {
        last_page_ = last;
        for (uintptr_t page = first; page <= last; page += GOOS_PAGE_SIZE) {
            bool added;
            pages_.insert(page, 0, &added);
            if (!added) continue;
            if (join_) joins_.push(page);
            if (join_ && stream_) continue;  // named by the thread's joined pages
            if (out_->pages.size() == GOOS_MAX_TRANSFER) too_large();
            out_->pages.push(page);
            if (stream_ && out_->pages.size() > kStreamAfter) overflowed_ = true;
        }
    }

    // The pages touched since the last join, before any object on them is read. A page this
    // program does not hold makes the commit fail as it would have (BAD_ADDRESS) anyway: a
    // streaming walk names the pages of a join the kernel refused in its description.
    __attribute__((noinline)) void join_pages() {
        const int64_t r = sys(GOOS_SYS_walk_join, reinterpret_cast<uint64_t>(joins_.data()), joins_.size());
        if (r == GOOS_NO_MEMORY) fatal_panic("runtime: out of memory");
        if (r != GOOS_OK && stream_)
            for (uint32_t i = 0; i < joins_.size(); ++i) {
                if (out_->pages.size() == GOOS_MAX_TRANSFER) too_large();
                out_->pages.push(joins_[i]);
            }
        joins_.clear();
    }

    Outgoing* out_;
    Sealer* sealer_;
    bool join_;
    bool stream_;
    bool overflowed_ = false;
    // This program's objects reached are flagged with this walk's number (Span::walk_visit),
    // other programs' kept in foreign_.
    uint32_t epoch_ = ++walks == 0 ? ++walks : walks;
    AddrMap<64>& pages_;  // pages touched
    SeenWords& foreign_;
    AddrMap<16>& chans_;
    ScratchVec<Item, 32>& work_;     // objects reached and still to be walked
    ScratchVec<uint64_t, 4> joins_;  // pages touched and not yet joined (WalkMode::join)
    uintptr_t last_page_ = 0;        // the page touched last (in pages_ already)
};

int64_t Sealer::seal() {
    for (uint32_t i = 0; i < todo_.size(); ++i) {
        const uint64_t c = todo_[i];
        const int64_t n = sys(GOOS_SYS_chan_peek, c, 0, 0);
        if (n <= 0) continue;
        const Type* et = elem_type_of(reinterpret_cast<const void*>(c));
        if (!et || et->size == 0) {  // not its own values: they hold nothing it can walk
            for (int64_t j = 0; j < n; ++j) values_.push(Value{c, 0, 0, 0, 0, 0});
            continue;
        }
        const uintptr_t npages = (static_cast<uintptr_t>(n) * et->size + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE;
        auto* buf = static_cast<uint8_t*>(scratch_pages(npages, "runtime: out of memory for a transfer"));
        const int64_t got = sys(GOOS_SYS_chan_peek, c, reinterpret_cast<uint64_t>(buf), static_cast<uint64_t>(n));
        for (int64_t j = 0; j < n && got == n; ++j) {
            Outgoing one;
            one.desc = goos_transfer{};
            {
                WalkSets sets;
                Walker w(&one, &sets, join_, false, this);
                w.values(et, buf + j * et->size);
            }
            values_.push(Value{c, pages_.size(), one.pages.size(), chans_.size(), one.chans.size(), one.desc.flags});
            for (uint32_t k = 0; k < one.pages.size(); ++k) pages_.push(one.pages[k]);
            for (uint32_t k = 0; k < one.chans.size(); ++k) chans_.push(one.chans[k]);
        }
        scratch_release(buf, npages);
    }
    if (!values_.size()) return GOOS_OK;
    ScratchVec<goos_transfer, 4> descs;
    ScratchVec<goos_seal, 4> seals;
    descs.reserve(values_.size());
    seals.reserve(values_.size());
    for (uint32_t i = 0; i < values_.size(); ++i) {
        const Value& v = values_[i];
        descs.push(
            goos_transfer{pages_.data() + v.page_off, v.npages, v.nchans, chans_.data() + v.chan_off, v.flags, clock_});
    }
    for (uint32_t i = 0; i < values_.size(); ++i) seals.push(goos_seal{values_[i].chan, &descs[i]});
    // A stale walk (RETRY) or a count another thread changed fails the commit that asked
    // for this seal again, which walks again.
    const int64_t r = sys(GOOS_SYS_chan_seal, reinterpret_cast<uint64_t>(seals.data()), seals.size());
    if (r == GOOS_NO_MEMORY) fatal_panic("runtime: out of memory");
    // Stale (RETRY, UNWALKED: walk again) or a func value (the commit refuses it); any other
    // refusal would come back on every try.
    if (r < 0 && r != GOOS_RETRY && r != GOOS_UNWALKED && r != GOOS_CODE_VALUE)
        fatal_panic("runtime: the kernel refused to seal a channel's values before sharing it");
    return r;
}

// The walk runs under the heap lock, which keeps the collector away; nothing is claimed, so
// nothing is undone when the send or store does not happen. Its clock is read first (abi.h,
// goos_transfer::clock); `mode.join`: it joins its pages as it goes instead, and a walk
// that overflows one description starts again so. The description is never null: an
// empty one says that the walk found nothing, where null would say that it was skipped.
template <class F>
const goos_transfer* walk(Outgoing* out, WalkMode& mode, F f) {
    heap.lock.lock();
    // Made on first use in place, never destroyed: the runtime has no exit-time destructors.
    alignas(WalkSets) static uint8_t sets_room[sizeof(WalkSets)];
    static WalkSets* sets = nullptr;
    if (!sets) sets = new (sets_room) WalkSets();
    for (bool done = false; !done;) {
        out->desc = goos_transfer{};
        out->pages.clear();
        out->chans.clear();
        if (program_info) out->desc.clock = __atomic_load_n(&program_info->walk_clock, __ATOMIC_ACQUIRE);
        sets->reuse();
        Sealer sealer(out->desc.clock, mode.join);
        Walker w(out, sets, mode.join, mode.stream, mode.seal ? &sealer : nullptr);
        f(w);
        if (w.overflowed()) {
            mode.join = true;
            continue;
        }
        // A func value in a value it would share refuses the commit as one in the value.
        if (mode.seal && sealer.seal() == GOOS_CODE_VALUE) out->desc.flags |= GOOS_TRANSFER_FUNCS;
        done = true;
    }
    heap.lock.unlock();
    out->desc.pages = out->pages.data();
    out->desc.npages = out->pages.size();
    out->desc.chans = out->chans.data();
    out->desc.nchans = out->chans.size();
    return &out->desc;
}

}  // namespace

const goos_transfer* transfer_prepare(const void* c, const void* elem, Outgoing* out, WalkMode& mode) {
    const Type* et = c && elem ? elem_type_of(c) : nullptr;
    if (et && et->ptrdata == 0) return nullptr;
    return walk(out, mode, [&](Walker& w) {
        if (et) w.values(et, static_cast<const uint8_t*>(elem));
    });
}

const goos_transfer* transfer_prepare_values(const Type* t, const void* v, uintptr_t n, Outgoing* out, WalkMode& mode) {
    if (!t || t->ptrdata == 0 || n == 0) return nullptr;
    return walk(out, mode, [&](Walker& w) { w.values(t, static_cast<const uint8_t*>(v), n); });
}

const goos_transfer* transfer_prepare_word(uintptr_t dst, uintptr_t value, Outgoing* out, WalkMode& mode) {
    return walk(out, mode, [&](Walker& w) { w.word(dst, value); });
}

}  // namespace goos_rt
