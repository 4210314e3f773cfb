// Channel types across programs (chantype.h): a channel's type from its word 2, and the
// check of what a receive brings for another program's code.
#include "chantype.h"

#include "scratch.h"

namespace goos_rt {
namespace {

// Visits what a value of type t at v holds directly: its interfaces and func values.
template <class Visitor>
void walk(const Type* t, uint8_t* v, Visitor& visit) {
    if (!t || t->ptrdata == 0) return;
    switch (t->kind & kKindMask) {
        case kStruct: {
            const auto* st = reinterpret_cast<const StructType*>(t);
            for (intptr_t i = 0; i < st->nfields; ++i)
                walk(st->fields[i].type, v + (st->fields[i].offset_embedded >> 1), visit);
            return;
        }
        case kArray: {
            const auto* at = reinterpret_cast<const ArrayType*>(t);
            if (!at->elem || at->elem->ptrdata == 0) return;
            for (uintptr_t i = 0; i < at->len; ++i) walk(at->elem, v + i * at->elem->size, visit);
            return;
        }
        case kInterface:
            visit.iface(reinterpret_cast<const InterfaceType*>(t), reinterpret_cast<const void**>(v));
            return;
        case kFunc:
            visit.func(*reinterpret_cast<const void* const*>(v));
            return;
        default:
            return;  // what pointers reach is visited as objects of their own (ReceiveWalk)
    }
}

// Whether a value of type t may reach, itself or through pointers, slices and interfaces,
// an interface (which may hold a func value) or a func value: what a receive must look at.
// A type met again on the way down (a recursive type: a list's *node) adds nothing new;
// past 32 nested types it says yes, which costs only time. Maps are not looked into: a
// func value in a map's entries is not found (a known gap, in the README).
bool reaches_code_or_types(const Type* t, const Type** path, int depth) {
    if (!t || t->ptrdata == 0) return false;
    if (depth == 32) return true;
    for (int i = 0; i < depth; ++i)
        if (path[i] == t) return false;
    path[depth] = t;
    switch (t->kind & kKindMask) {
        case kInterface:
        case kFunc:
            return true;
        case kStruct: {
            const auto* st = reinterpret_cast<const StructType*>(t);
            for (intptr_t i = 0; i < st->nfields; ++i)
                if (reaches_code_or_types(st->fields[i].type, path, depth + 1)) return true;
            return false;
        }
        case kArray:
            return reaches_code_or_types(reinterpret_cast<const ArrayType*>(t)->elem, path, depth + 1);
        case kPtr:
            return reaches_code_or_types(reinterpret_cast<const PtrType*>(t)->elem, path, depth + 1);
        case kSlice:
            return reaches_code_or_types(reinterpret_cast<const SliceType*>(t)->elem, path, depth + 1);
        default:
            return false;
    }
}

// The same, remembered for the last few types asked about (a program receives from a few
// channel types in turn): each entry is one word, the descriptor's address with the answer
// in its low bit, so goroutines that race on the table never read a mismatched pair.
bool reaches_code_or_types(const Type* t) {
    static uintptr_t known[4];
    static uint32_t next;
    const auto key = reinterpret_cast<uintptr_t>(t);
    for (uintptr_t& e : known) {
        const uintptr_t v = __atomic_load_n(&e, __ATOMIC_RELAXED);
        if ((v & ~uintptr_t{1}) == key) return v & 1;
    }
    const Type* path[32];
    const bool r = reaches_code_or_types(t, path, 0);
    __atomic_store_n(&known[__atomic_fetch_add(&next, 1, __ATOMIC_RELAXED) % 4], key | r, __ATOMIC_RELAXED);
    return r;
}

// Type words and method tables are the type segment's, or an image's tables of stubs, and
// mean the same in every program (typeid.h); only a func value's code is a program's own.
class FuncCheck {
public:
    void iface(const InterfaceType*, const void**) {}
    // A func value is a closure whose first word is its code.
    void func(const void* closure) {
        if (closure && !in_own_image(*static_cast<const void* const*>(closure)))
            go_panic(kPlainError, "receive of a func value from another program (only data crosses programs)");
    }
};

const ChanType* chan_type_of(const void* c) {
    return reinterpret_cast<const ChanType*>(tag_type(chan_tag(c)));
}

// A received value and every object it reaches by its types, each visited once, for the
// func values in it.
class ReceiveWalk {
public:
    void value(const Type* t, uint8_t* v) {
        visit(t, v);
        while (work_.size()) {
            const Item it = work_[work_.size() - 1];
            work_.resize(work_.size() - 1);
            for (uintptr_t i = 0; i < it.n; ++i) visit(it.type, it.addr + i * it.type->size);
        }
    }

private:
    struct Item {
        uint8_t* addr;
        const Type* type;
        uintptr_t n;
    };

    void visit(const Type* t, uint8_t* v) {
        walk(t, v, check_);
        follow(t, v, 0);
    }

    // What a value of type t at v points to.
    void follow(const Type* t, uint8_t* v, int depth) {
        if (!t || t->ptrdata == 0 || depth > 64) return;
        switch (t->kind & kKindMask) {
            case kStruct: {
                const auto* st = reinterpret_cast<const StructType*>(t);
                for (intptr_t i = 0; i < st->nfields; ++i)
                    follow(st->fields[i].type, v + (st->fields[i].offset_embedded >> 1), depth + 1);
                return;
            }
            case kArray: {
                const auto* at = reinterpret_cast<const ArrayType*>(t);
                if (!at->elem || at->elem->ptrdata == 0) return;
                for (uintptr_t i = 0; i < at->len; ++i) follow(at->elem, v + i * at->elem->size, depth + 1);
                return;
            }
            case kPtr:
                object(*reinterpret_cast<uint8_t**>(v), reinterpret_cast<const PtrType*>(t)->elem, 1);
                return;
            case kSlice: {
                const auto* s = reinterpret_cast<const Slice*>(v);
                object(static_cast<uint8_t*>(s->ptr), reinterpret_cast<const SliceType*>(t)->elem,
                       static_cast<uintptr_t>(s->cap));
                return;
            }
            case kInterface: {
                auto** words = reinterpret_cast<void**>(v);
                const Type* dyn = dynamic_type(reinterpret_cast<const InterfaceType*>(t), words);
                if (!dyn) return;
                if (dyn->kind & kKindDirectIface)
                    follow(dyn, reinterpret_cast<uint8_t*>(&words[1]), depth + 1);
                else
                    object(static_cast<uint8_t*>(words[1]), dyn, 1);
                return;
            }
            default:
                return;
        }
    }

    void object(uint8_t* p, const Type* t, uintptr_t n) {
        if (!p || !t || t->size == 0 || n == 0) return;
        if (t != checked_) {
            checked_ = t;
            relevant_ = reaches_code_or_types(t);
        }
        if (!relevant_) return;
        bool added;
        seen_.insert(reinterpret_cast<uintptr_t>(p), 0, &added);
        if (added) work_.push(Item{p, t, n});
    }

    FuncCheck check_;
    AddrMap<16> seen_;
    ScratchVec<Item, 16> work_;
    const Type* checked_ = nullptr;
    bool relevant_ = false;
};

}  // namespace

bool in_own_image(const void* p) {
    const auto at = reinterpret_cast<uintptr_t>(p);
    return at >= program_info->image_base && at < program_info->image_end;
}

const Type* elem_type_of(const void* c) {
    const ChanType* ct = chan_type_of(c);
    return ct ? ct->elem : nullptr;
}

void check_received(const void* c, void* elem) {
    const ChanType* ct = chan_type_of(c);
    if (!ct || !ct->elem || !reaches_code_or_types(ct->elem)) return;
    ReceiveWalk w;
    w.value(ct->elem, static_cast<uint8_t*>(elem));
}

}  // namespace goos_rt
