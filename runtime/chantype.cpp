// Channel types across programs (chantype.h): a channel's own type from its word 2, and
// the rebinding of interfaces in what a receive brings.
#include "chantype.h"

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
            return;  // what pointers reach comes as objects of their own (transfer.h)
    }
}

[[noreturn]] void unknown_type(const Type* foreign) {
    char buf[200];
    Fmt f{buf, sizeof buf};
    f.str("receive of a value of type ");
    if (foreign->string) {
        // Go's names leave out the package path the compiler quotes between tabs.
        const String* s = foreign->string;
        intptr_t at = 0;
        if (s->len && s->ptr[0] == '\t') {
            at = 1;
            while (at < s->len && s->ptr[at] != '\t') ++at;
            if (at < s->len) ++at;
        }
        f.str(s->ptr + at, s->len - at);
    }
    f.str(" that this program does not declare");
    go_panic(kPlainError, buf, f.n);
}

extern "C" void* rt_requireitab(const Type* inter, const Type* type) __asm__("runtime.requireitab");

class Rebinder {
public:
    void iface(const InterfaceType* it, const void** words) {
        const Type* dyn = dynamic_type(it, words);
        if (!dyn || in_own_image(dyn)) return;
        const Type* own = own_type_like(dyn);
        if (!own) unknown_type(dyn);
        words[0] = it->nmethods ? rt_requireitab(&it->common, own) : own;
    }
    // A func value is a closure whose first word is its code.
    void func(const void* closure) {
        if (closure && !in_own_image(*static_cast<const void* const*>(closure)))
            go_panic(kPlainError, "receive of a func value from another program (only data crosses programs)");
    }
};

const ChanType* chan_type_of(const void* c) {
    return own_chan_type(chan_tag(c));
}

}  // namespace

bool in_own_image(const void* p) {
    extern const char image_start[] __asm__("__ehdr_start");
    extern const char image_end[] __asm__("_end");
    return p >= image_start && p < image_end;
}

const ChanType* own_chan_type(uint64_t tag) {
    const Type* t = own_type(tag);
    return t && (t->kind & kKindMask) == kChan ? reinterpret_cast<const ChanType*>(t) : nullptr;
}

const Type* elem_type_of(const void* c) {
    const ChanType* ct = chan_type_of(c);
    return ct ? ct->elem : nullptr;
}

void rebind_received(const void* c, void* elem) {
    const ChanType* ct = chan_type_of(c);
    if (!ct || !ct->elem || ct->elem->ptrdata == 0) return;
    Rebinder rebinder;
    walk(ct->elem, static_cast<uint8_t*>(elem), rebinder);
}

void rebind_object(const Type* t, void* object, uintptr_t size) {
    if (!t || t->ptrdata == 0 || t->size == 0) return;
    Rebinder rebinder;
    for (uintptr_t off = 0; off + t->size <= size; off += t->size)
        walk(t, static_cast<uint8_t*>(object) + off, rebinder);
}

}  // namespace goos_rt
