// Interfaces (GCCGO.md): conversions and assertions between interface types, which need
// a method table for a (interface, dynamic type) pair found at run time, assertions to
// concrete types, comparisons of non-empty interfaces, and the failed-assertion panic
// with Go's message.
//
// A non-empty interface value is {method table, data}; the table's first word is the
// dynamic type's descriptor, then one code pointer per interface method, in the
// interface's (sorted) method order. Tables the compiler could not build statically are
// built here from the type's uncommon method list (also sorted by name) and kept in a
// cache for the program's life, the failures too.
#include "typeid.h"

namespace goos_rt {
namespace {

bool str_eq(const String* a, const String* b) {
    if (a == b) return true;
    if (!a || !b || a->len != b->len) return false;
    return __builtin_memcmp(a->ptr, b->ptr, static_cast<size_t>(a->len)) == 0;
}

// One cache entry: the table, or null with the name of the missing method.
struct ItabEntry {
    const Type* inter;
    const Type* type;
    void** table;
    const String* missing;
};

SpinLock itab_lock;
ItabEntry* itabs = nullptr;  // open addressing, size a power of two
size_t itab_size = 0, itab_count = 0;

size_t itab_slot(const ItabEntry* t, size_t size, const Type* inter, const Type* type) {
    size_t h = (reinterpret_cast<uintptr_t>(inter) * 31 + reinterpret_cast<uintptr_t>(type)) >> 4;
    for (size_t i = h & (size - 1);; i = (i + 1) & (size - 1))
        if (!t[i].inter || (t[i].inter == inter && t[i].type == type)) return i;
}

// The table, from the type segment (its slots are stubs that run the calling program's
// methods, kernel/methods.h), when this program has every method of the interface with
// its identity; else the name of the first it lacks, for Go's message.
ItabEntry build_itab(const Type* inter, const Type* type) {
    const auto* it = reinterpret_cast<const InterfaceType*>(inter);
    const Uncommon* un = own_methods(type);  // this program's methods, whoever made the value
    ItabEntry e{inter, type, nullptr, nullptr};
    intptr_t ri = 0;
    for (intptr_t li = 0; li < it->nmethods; ++li) {
        const IMethod& want = it->methods[li];
        for (;; ++ri) {
            if (!un || ri >= un->nmethods) {
                e.missing = want.name;
                return e;
            }
            const Method& have = un->methods[ri];
            if (str_eq(want.name, have.name) &&
                (want.pkg_path == have.pkg_path ||
                 (want.pkg_path && have.pkg_path && str_eq(want.pkg_path, have.pkg_path))))
                break;
        }
        if (want.type != un->methods[ri].mtyp) {
            e.missing = want.name;
            return e;
        }
        ++ri;
    }
    const int64_t table = sys(GOOS_SYS_method_table, u(inter), u(type));
    if (table == GOOS_NOT_FOUND) {
        e.missing = it->methods[0].name;
        return e;
    }
    if (table < 0) fatal_panic("runtime: the kernel refused a method table");
    e.table = reinterpret_cast<void**>(table);
    return e;
}

ItabEntry get_itab(const Type* inter, const Type* type) {
    itab_lock.lock();
    if (itab_size) {
        size_t i = itab_slot(itabs, itab_size, inter, type);
        if (itabs[i].inter) {
            ItabEntry e = itabs[i];
            itab_lock.unlock();
            return e;
        }
    }
    ItabEntry e = build_itab(inter, type);
    if (2 * (itab_count + 1) > itab_size) {
        size_t size = itab_size ? 2 * itab_size : 64;
        auto* t = static_cast<ItabEntry*>(alloc(size * sizeof(ItabEntry)));
        for (size_t i = 0; i < itab_size; ++i)
            if (itabs[i].inter) t[itab_slot(t, size, itabs[i].inter, itabs[i].type)] = itabs[i];
        itabs = t;  // the old table is garbage (no collector yet)
        itab_size = size;
    }
    itabs[itab_slot(itabs, itab_size, inter, type)] = e;
    ++itab_count;
    itab_lock.unlock();
    return e;
}

// Go's TypeAssertionError message.
[[noreturn]] void assertion_failed(const Type* iface, const Type* concrete, const Type* asserted,
                                   const String* missing) {
    char buf[512];
    Fmt f{buf, sizeof buf};
    f.str("interface conversion: ");
    if (!concrete) {
        if (iface)
            type_name(f, iface);
        else
            f.str("interface");
        f.str(" is nil, not ");
        type_name(f, asserted);
    } else if (!missing) {
        if (iface)
            type_name(f, iface);
        else
            f.str("interface");
        f.str(" is ");
        type_name(f, concrete);
        f.str(", not ");
        type_name(f, asserted);
        if (str_eq(concrete->string, asserted->string)) {
            // Go compares the types' package paths, "" for an unnamed or predeclared type.
            static const String kNone = {nullptr, 0};
            const auto* a = static_cast<const Uncommon*>(concrete->uncommon);
            const auto* b = static_cast<const Uncommon*>(asserted->uncommon);
            const String* pa = a && a->pkg_path ? a->pkg_path : &kNone;
            const String* pb = b && b->pkg_path ? b->pkg_path : &kNone;
            const bool same_pkg = str_eq(pa, pb);
            f.str(same_pkg ? " (types from different scopes)" : " (types from different packages)");
        }
    } else {
        type_name(f, concrete);
        f.str(" is not ");
        type_name(f, asserted);
        f.str(": missing method ").str(missing->ptr, missing->len);
    }
    go_panic(kTypeAssertion, buf, f.n);
}

// The method table for `type` as the interface `inter`; panics when it does not
// implement it.
void* require_itab(const Type* inter, const Type* type) {
    ItabEntry e = get_itab(inter, type);
    if (!e.table) assertion_failed(nullptr, type, inter, e.missing);
    return e.table;
}

const Type* tab_type(const void* tab) {
    return *static_cast<const Type* const*>(tab);
}

}  // namespace

}  // namespace goos_rt

using namespace goos_rt;

extern "C" {

struct Iface {
    void* tab;
    void* data;
};
struct IfaceOk {
    Iface i;
    bool ok;
};
struct EfaceOk {
    Eface e;
    bool ok;
};
struct PtrOk {
    void* p;
    bool ok;
};

void* rt_requireitab(const Type* inter, const Type* type) GO_SYM("runtime.requireitab");
void* rt_assertitab(const Type* inter, const Type* type) GO_SYM("runtime.assertitab");
void rt_panicdottype(const Type* asserted, const Type* concrete, const Type* iface) GO_SYM("runtime.panicdottype");
EfaceOk rt_ifaceE2E2(Eface e) GO_SYM("runtime.ifaceE2E2");
EfaceOk rt_ifaceI2E2(Iface i) GO_SYM("runtime.ifaceI2E2");
IfaceOk rt_ifaceE2I2(const Type* inter, Eface e) GO_SYM("runtime.ifaceE2I2");
IfaceOk rt_ifaceI2I2(const Type* inter, Iface i) GO_SYM("runtime.ifaceI2I2");
PtrOk rt_ifaceE2T2P(const Type* t, Eface e) GO_SYM("runtime.ifaceE2T2P");
PtrOk rt_ifaceI2T2P(const Type* t, Iface i) GO_SYM("runtime.ifaceI2T2P");
bool rt_ifaceE2T2(const Type* t, Eface e, void* ret) GO_SYM("runtime.ifaceE2T2");
bool rt_ifaceI2T2(const Type* t, Iface i, void* ret) GO_SYM("runtime.ifaceI2T2");
bool rt_ifaceT2Ip(const Type* to, const Type* from) GO_SYM("runtime.ifaceT2Ip");
bool rt_ifaceeq(void* tab1, void* x, void* tab2, void* y) GO_SYM("runtime.ifaceeq");
bool rt_ifaceefaceeq(void* tab, void* x, const Type* t, void* y) GO_SYM("runtime.ifaceefaceeq");
bool rt_efacevaleq(Eface x, const Type* t, void* p) GO_SYM("runtime.efacevaleq");
bool rt_ifacevaleq(Iface x, const Type* t, void* p) GO_SYM("runtime.ifacevaleq");

void* rt_requireitab(const Type* inter, const Type* type) {
    if (!type) return nullptr;
    return require_itab(inter, type);
}

void* rt_assertitab(const Type* inter, const Type* type) {
    if (!type) assertion_failed(nullptr, nullptr, inter, nullptr);
    if (reinterpret_cast<const InterfaceType*>(inter)->nmethods == 0) return const_cast<Type*>(type);
    return require_itab(inter, type);
}

void rt_panicdottype(const Type* asserted, const Type* concrete, const Type* iface) {
    assertion_failed(iface, concrete, asserted, nullptr);
}

EfaceOk rt_ifaceE2E2(Eface e) {
    return {e, e.type != nullptr};
}

EfaceOk rt_ifaceI2E2(Iface i) {
    if (!i.tab) return {{nullptr, nullptr}, false};
    return {{tab_type(i.tab), i.data}, true};
}

IfaceOk rt_ifaceE2I2(const Type* inter, Eface e) {
    if (!e.type) return {{nullptr, nullptr}, false};
    void** tab = get_itab(inter, e.type).table;
    if (!tab) return {{nullptr, nullptr}, false};
    return {{tab, e.data}, true};
}

IfaceOk rt_ifaceI2I2(const Type* inter, Iface i) {
    if (!i.tab) return {{nullptr, nullptr}, false};
    void** tab = get_itab(inter, tab_type(i.tab)).table;
    if (!tab) return {{nullptr, nullptr}, false};
    return {{tab, i.data}, true};
}

PtrOk rt_ifaceE2T2P(const Type* t, Eface e) {
    if (t != e.type) return {nullptr, false};
    return {e.data, true};
}

PtrOk rt_ifaceI2T2P(const Type* t, Iface i) {
    if (!i.tab || t != tab_type(i.tab)) return {nullptr, false};
    return {i.data, true};
}

static bool to_concrete(const Type* t, const Type* have, void* data, void* ret) {
    if (t != have) {
        __builtin_memset(ret, 0, t->size);
        return false;
    }
    if (t->kind & kKindDirectIface)
        *static_cast<void**>(ret) = data;
    else
        __builtin_memmove(ret, data, t->size);
    return true;
}

bool rt_ifaceE2T2(const Type* t, Eface e, void* ret) {
    return to_concrete(t, e.type, e.data, ret);
}

bool rt_ifaceI2T2(const Type* t, Iface i, void* ret) {
    return to_concrete(t, i.tab ? tab_type(i.tab) : nullptr, i.data, ret);
}

// Whether `from` implements the interface `to` (a type switch case or assertion whose
// result is not needed).
bool rt_ifaceT2Ip(const Type* to, const Type* from) {
    if (!from) return false;
    if (reinterpret_cast<const InterfaceType*>(to)->nmethods == 0) return true;
    return get_itab(to, from).table != nullptr;
}

bool rt_ifaceeq(void* tab1, void* x, void* tab2, void* y) {
    if (tab1 == nullptr || tab2 == nullptr) return tab1 == tab2;
    const Type* t = tab_type(tab1);
    if (t != tab_type(tab2)) return false;
    return eface_equal(t, x, y);
}

bool rt_ifaceefaceeq(void* tab, void* x, const Type* t, void* y) {
    if (!tab) return t == nullptr;
    const Type* xt = tab_type(tab);
    if (xt != t) return false;
    return eface_equal(xt, x, y);
}

// An interface compared with a value of the non-interface type t (`e == 5`): equal when
// the dynamic type is t and the values are. p points at the value, or is the value when t
// is pointer-shaped, as the interface's data word is then.
static bool value_equal(const Type* have, void* data, const Type* t, void* p) {
    if (!have || have != t) return false;
    return eface_equal(t, data, p);
}

bool rt_efacevaleq(Eface x, const Type* t, void* p) {
    return value_equal(x.type, x.data, t, p);
}

bool rt_ifacevaleq(Iface x, const Type* t, void* p) {
    return value_equal(x.tab ? tab_type(x.tab) : nullptr, x.data, t, p);
}

}  // extern "C"
