// The transfer walk (transfer.h).
//
// The walk follows the value's type: struct fields, array elements, what pointers, slices,
// strings, maps and interfaces point to, and channels. An object it reaches is a slot of
// this program's heap (heap.cpp) or an object it received earlier (received.cpp); either
// way the object's own type word says how to go on, and a slot of unknown layout (the
// runtime's own allocations, such as a map's tables) is read word by word. What it finds:
// - objects this program owns: claimed (Span::moved, Received::moving) and listed, with
//   their size and the kernel's tag for their type, for the kernel (moves, counted per page) and the
//   receiver (objects);
// - objects reached that it does not own (sent earlier, or claimed by another send): the
//   receiver will hold their pages, and they are walked on, since this program may have
//   linked objects of its own into them since;
// - image pages (string literals, type descriptors, package variables): touched, so the
//   receiver holds them and the image outlives this program while it may read them;
// - channels: handed over, so the receiver holds them.
// Claims are made under the heap lock, which also keeps the collector away during the walk.
#include "transfer.h"

#include "chantype.h"
#include "heap_internal.h"
#include "layout.h"

namespace goos_rt {
namespace {

// A graph is mostly objects of a few types: the last answer is kept (per walk or receive).
struct TagCache {
    const Type* type = nullptr;
    uint64_t tag = 0;
    uint64_t of(const Type* t) {
        if (!t) return 0;
        if (t == kConservative) return 1;
        if (t != type) {
            type = t;
            tag = type_tag(t);
        }
        return tag;
    }
    const Type* type_for(uint64_t t) {
        if (t == 0) return nullptr;
        if (t == 1) return kConservative;
        if (t != tag) {
            const Type* own = own_type(t);
            type = own ? own : kConservative;  // a layout this program does not know: every word
            tag = t;
        }
        return type;
    }
};

// Whether a value of type t may hold an interface or a func value: what a receive rebinds
// or refuses (the caller keeps the answer for the last type it asked about). Past a depth
// of 16 nested types it says yes: rebinding a value that needs none costs only time.
bool has_code_or_types(const Type* t, int depth = 0) {
    if (!t || t == kConservative || t->ptrdata == 0) return false;
    if (depth > 16) return true;
    switch (t->kind & kKindMask) {
        case kInterface:
        case kFunc:
            return true;
        case kStruct: {
            const auto* st = reinterpret_cast<const StructType*>(t);
            for (intptr_t i = 0; i < st->nfields; ++i)
                if (has_code_or_types(st->fields[i].type, depth + 1)) return true;
            return false;
        }
        case kArray:
            return has_code_or_types(reinterpret_cast<const ArrayType*>(t)->elem, depth + 1);
        default:
            return false;
    }
}

uint32_t walks = 0;  // walks so far, under the heap lock

[[noreturn]] void too_large() {
    fatal_panic("runtime: a sent value reaches more than 4096 pages or channels (GOOS_MAX_TRANSFER)");
}

class Walker {
public:
    explicit Walker(Outgoing* out) : out_(out) {}
    Walker(const Walker&) = delete;
    Walker& operator=(const Walker&) = delete;

    void value(const Type* t, const uint8_t* v) {
        walk_type(t, v);
        while (work_.size()) {
            const Item it = work_[work_.size() - 1];
            work_.resize(work_.size() - 1);
            scan(it);
        }
    }

private:
    struct Item {
        uintptr_t addr;
        uintptr_t size;
        const Type* type;
        bool by_record;
    };

    // A pointer word of a layout record: a channel by its page, else an object, this
    // program's or another's, whose pages the receiver will hold.
    void record_word(uintptr_t w) {
        if (!w) return;
        if (layout_is_channel(w)) {
            chan(w);
            return;
        }
        uintptr_t start, size;
        if (!span_of(w) && !received_find(w) && layout_object_at(w, &start, &size)) {
            touch(start, size);
            return;
        }
        reach(w, 0);
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
            default:
                return;  // func values stay (a receiver refuses another program's code)
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
    }

    // How a word was found: as a Go pointer, slice, string or interface by its type, or as
    // a word that may be a pointer (a map's or unsafe.Pointer's target, a word of an
    // object of unknown layout).
    enum Found : bool { kMaybe = false, kTyped = true };

    // A pointer to `len` bytes (0: unknown).
    void reach(uintptr_t p, uintptr_t len, Found found = kMaybe) {
        if (!p) return;
        if (Span* s = span_of(p)) {
            const uint32_t i = s->slot_of(p);
            if (i < s->nslots && s->allocated(i))
                object(s->base + uintptr_t{i} * s->slot_size, s->slot_size, s->types[i], s, i, nullptr);
            return;
        }
        if (Received* r = received_find(p)) {
            object(r->addr, r->size, r->type, nullptr, 0, r);
            return;
        }
        if (in_own_image(reinterpret_cast<const void*>(p))) {
            touch_known(p, len ? len : 1);
        } else if (found == kTyped && len && in_pool(p)) {
            // Another program's object that this one may read but does not own, such as
            // one it sent on and kept a pointer to, or a string in another program's
            // image: the receiver holds its pages too, or they could go back to the pool
            // while the message waits. (The sender holds them: its collector reaches them
            // through this pointer.) Not for an empty slice or string, whose pointer may
            // lie just past what it came from.
            touch(p, len);
        }
    }

    void object(uintptr_t start, uintptr_t size, const Type* type, Span* s, uint32_t slot, Received* r) {
        if (s) {
            if (!s->walk_visit(slot, epoch_)) return;
        } else {
            if (r->walk_epoch == epoch_) return;
            r->walk_epoch = epoch_;
        }
        bool added;
        const bool mine = s ? !s->is_moved(slot) : !r->moving;
        const uintptr_t page = start & ~(GOOS_PAGE_SIZE - 1);
        if (mine) {
            if (s)
                s->set_moved(slot, true);
            else
                r->moving = true;
            out_->objects.push(goos_object{start, size, tags_.of(type)});
            if (page != last_page_) {  // objects of one graph tend to sit together
                AddrMap<16>::Entry& e = move_index_.insert(page, out_->moves.size(), &added);
                if (added) {
                    if (out_->moves.size() == GOOS_MAX_TRANSFER) too_large();
                    out_->moves.push(goos_move{page, 0, 0});
                }
                last_page_ = page;
                last_move_ = e.value;
            }
            ++out_->moves[last_move_].count;
            if (start + size > page + GOOS_PAGE_SIZE)
                touch(page + GOOS_PAGE_SIZE, start + size - page - GOOS_PAGE_SIZE);
        } else {
            touch(start, size);
        }
        if (type) work_.push(Item{start, size, type, !s || type == kConservative || type->size == 0});
    }

    // An object whose own type word is a descriptor of this program's is walked by its type
    // (which knows a string's length); any other by its layout record (layout.h), which
    // its origin wrote: a received object, a map's table, the runtime's own records.
    void scan(const Item& it) {
        if (it.by_record) {
            layout_each(it.addr, it.size, [this](uintptr_t word, uint64_t kind) {
                const uintptr_t w = *reinterpret_cast<const uintptr_t*>(word);
                if (kind == GOOS_LAYOUT_POINTER)
                    record_word(w);
                else if (kind == GOOS_LAYOUT_TYPE)
                    touch_known(w, sizeof(Type));
                // A func value stays: a receiver refuses another program's code.
            });
            return;
        }
        for (uintptr_t off = 0; off + it.type->size <= it.size; off += it.type->size)
            walk_type(it.type, reinterpret_cast<const uint8_t*>(it.addr + off));
    }

    // Pages the receiver must hold, which this program holds: its heap, what it received,
    // its image. Anything else is not this program's to hand on.
    void touch_known(uintptr_t addr, uintptr_t len) {
        if (in_own_image(reinterpret_cast<const void*>(addr))) {
            extern const char image_end[] __asm__("_end");
            const auto end = reinterpret_cast<uintptr_t>(image_end);
            touch(addr, addr + len > end || addr + len < addr ? end - addr : len);
        } else if (span_of(addr) || received_find(addr)) {
            touch(addr, 1);
        }
    }

    void touch(uintptr_t addr, uintptr_t len) {
        const uintptr_t first = addr & ~(GOOS_PAGE_SIZE - 1);
        const uintptr_t last = (addr + len - 1) & ~(GOOS_PAGE_SIZE - 1);
        for (uintptr_t page = first; page <= last; page += GOOS_PAGE_SIZE) {
            bool added;
            pages_.insert(page, 0, &added);
            if (!added) continue;
            if (out_->touched.size() == GOOS_MAX_TRANSFER) too_large();
            out_->touched.push(page);
        }
    }

    Outgoing* out_;
    // Objects reached are flagged with this walk's number (Span::walk_visit, Received).
    uint32_t epoch_ = ++walks == 0 ? ++walks : walks;
    AddrMap<64> pages_;       // pages touched
    AddrMap<16> move_index_;  // page -> its entry in out_->moves
    AddrMap<16> chans_;
    ScratchVec<Item, 32> work_;  // objects reached and still to be walked
    TagCache tags_;
    uintptr_t last_page_ = 0;
    uint32_t last_move_ = 0;
};

}  // namespace

const goos_transfer* transfer_prepare(const void* c, const void* elem, Outgoing* out) {
    const Type* et = c && elem ? elem_type_of(c) : nullptr;
    if (!et || et->ptrdata == 0) return nullptr;
    heap.lock.lock();
    {
        Walker w(out);
        w.value(et, static_cast<const uint8_t*>(elem));
    }
    heap.lock.unlock();
    if (!out->moves.size() && !out->touched.size() && !out->chans.size()) return nullptr;
    out->desc = goos_transfer{};
    out->desc.moves = out->moves.data();
    out->desc.nmoves = out->moves.size();
    out->desc.touched = out->touched.data();
    out->desc.ntouched = out->touched.size();
    out->desc.chans = out->chans.data();
    out->desc.nchans = out->chans.size();
    out->desc.objects = out->objects.data();
    out->desc.nobjects = out->objects.size();
    return &out->desc;
}

void transfer_settle(Outgoing* out, bool sent) {
    if (!out->objects.size()) return;
    heap.lock.lock();
    for (uint32_t i = 0; i < out->objects.size(); ++i) {
        const uintptr_t addr = out->objects[i].addr;
        if (Span* s = span_of(addr)) {
            const uint32_t slot = s->slot_of(addr);
            if (!sent && s->is_moved(slot)) s->set_moved(slot, false);
        } else if (Received* r = received_find(addr)) {
            if (sent)
                received_drop(r);
            else
                r->moving = false;
        }
    }
    heap.lock.unlock();
}

void transfer_taken(const void* c, void* elem) {
    goos_object local[32];
    goos_object* list = local;
    uintptr_t pages = 0;
    int64_t n = sys(GOOS_SYS_taken_objects, u(local), 32);
    if (n > 32) {
        pages = (static_cast<uintptr_t>(n) * sizeof(goos_object) + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE;
        list = static_cast<goos_object*>(scratch_pages(pages, "runtime: out of memory receiving a value"));
        n = sys(GOOS_SYS_taken_objects, u(list), static_cast<uint64_t>(n));
    }
    if (n < 0) n = 0;
    TagCache tags;
    heap.lock.lock();
    for (int64_t i = 0; i < n; ++i) {
        const goos_object& o = list[i];
        if (Span* s = span_of(o.addr)) {
            // One of this program's own objects, home again.
            const uint32_t slot = s->slot_of(o.addr);
            if (slot < s->nslots && s->allocated(slot) && s->is_moved(slot)) s->set_moved(slot, false);
        } else if (in_pool(o.addr)) {
            received_add(o.addr, o.size, tags.type_for(o.type_tag));
        }
    }
    heap.lock.unlock();
    // Interfaces and func values, in the value and in every object now this program's.
    if (elem) rebind_received(c, elem);
    const Type* checked = nullptr;
    bool rebind = false;
    for (int64_t i = 0; i < n; ++i) {
        const goos_object& o = list[i];
        Span* s = span_of(o.addr);
        const Type* t = s ? s->types[s->slot_of(o.addr)] : tags.type_for(o.type_tag);
        if (t != checked) {
            checked = t;
            rebind = has_code_or_types(t);
        }
        if (rebind) rebind_object(t, reinterpret_cast<void*>(o.addr), o.size);
    }
    if (pages) scratch_release(list, pages);
}

}  // namespace goos_rt
