// Types across programs (typeid.h): tags, names and the program's own method sets.
#include "typeid.h"

namespace goos_rt {
namespace {

const goos_method_set* find_set(const Type* t) {
    const goos_method_set* sets = program_info->methods;
    uint64_t lo = 0, hi = program_info->nmethods;
    while (lo < hi) {
        const uint64_t mid = lo + (hi - lo) / 2;
        if (sets[mid].type == t) return &sets[mid];
        if (sets[mid].type < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return nullptr;
}

}  // namespace

uint64_t type_tag(const Type* t) {
    if (!t) return 0;
    bool pointers = false;
    if ((t->kind & kKindMask) == kChan) {
        const Type* elem = reinterpret_cast<const ChanType*>(t)->elem;
        pointers = elem && elem->ptrdata;
    }
    return u(t) | (pointers ? GOOS_TYPE_TAG_POINTERS : 0) | 1;
}

void tag_name(Fmt& f, uint64_t tag) {
    type_name(f, tag_type(tag));
}

const Uncommon* own_methods(const Type* t) {
    const goos_method_set* s = find_set(t);
    return static_cast<const Uncommon*>(s ? s->own->uncommon : t->uncommon);
}

}  // namespace goos_rt
