// Fuzzes the type segment (kernel/typedesc.cpp) with type encodings, the untrusted input
// every image and program hands the kernel: each is refused with an error or becomes one
// descriptor whose parts are consistent with it (every part is a descriptor, fields lie
// within the value, an array's size is its elements'), that interning again finds, and on
// whose zero value the layout-driven equality and hashing work (zero equals zero).
#include <kernel/process.h>
#include <kernel/typedesc.h>
#include <kernel/types.h>

#include "harness.h"

using namespace fuzz;
using goos_go::Type;

namespace {

uint8_t zero[1 << 14];

void parts_fit(const Type* t, int depth) {
    if (!t) {
        fprintf(stderr, "types fuzzer: a descriptor with a missing part\n");
        die();
    }
    if (depth > 3) return;
    const auto bad = [&](const char* what) {
        fprintf(stderr, "types fuzzer: %.*s: %s\n", static_cast<int>(t->string->len),
                reinterpret_cast<const char*>(t->string->ptr), what);
        die();
    };
    if (!t->string || t->size < t->ptrdata) bad("no name, or a pointer prefix past its size");
    switch (t->kind & goos_go::kKindMask) {
        case goos_go::kStruct: {
            const auto* st = reinterpret_cast<const goos_go::StructType*>(t);
            for (intptr_t i = 0; i < st->nfields; ++i) {
                parts_fit(st->fields[i].type, depth + 1);
                if ((st->fields[i].offset_embedded >> 1) + st->fields[i].type->size > t->size)
                    bad("a field past its end");
            }
            return;
        }
        case goos_go::kArray: {
            const auto* a = reinterpret_cast<const goos_go::ArrayType*>(t);
            parts_fit(a->elem, depth + 1);
            parts_fit(a->slice, depth + 1);
            if (a->elem->size * a->len != t->size) bad("an array whose size is not its elements'");
            return;
        }
        case goos_go::kPtr:
        case goos_go::kSlice:
            parts_fit(reinterpret_cast<const goos_go::PtrType*>(t)->elem, depth + 1);
            return;
        case goos_go::kChan:
            parts_fit(reinterpret_cast<const goos_go::ChanType*>(t)->elem, depth + 1);
            return;
        case goos_go::kMap: {
            const auto* m = reinterpret_cast<const goos_go::MapType*>(t);
            parts_fit(m->key, depth + 1);
            parts_fit(m->elem, depth + 1);
            if (!m->key->equal || !m->hasher) bad("a map whose key cannot be compared");
            return;
        }
        default:
            return;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > GOOS_MAX_TYPE_ENCODING) return 0;
    boot(1, 1024);
    auto created = kernel::process_create("types");
    if (!created.ok()) abort();
    kernel::Process* p = created.value();
    const auto len = static_cast<uint32_t>(size);
    auto r = kernel::type_intern(p, data, len);
    if (r.ok()) {
        const Type* t = kernel::type_descriptor(r.value());
        parts_fit(t, 0);
        auto again = kernel::type_intern(p, data, len);
        if (!again.ok() || again.value() != r.value()) {
            fprintf(stderr, "types fuzzer: interning again gave another tag\n");
            die();
        }
        const Type* uncomparable = nullptr;
        if (t->equal && t->size <= sizeof zero) {
            if (goos_type_equal(t, zero, zero, &uncomparable) != 1) {
                fprintf(stderr, "types fuzzer: a zero value is not equal to itself\n");
                die();
            }
            (void)goos_type_hash(t, zero, 1, &uncomparable);
        }
    } else if (r.error() != kernel::Error::BAD_ARGUMENT && r.error() != kernel::Error::BAD_SIZE &&
               r.error() != kernel::Error::NO_MEMORY) {
        fprintf(stderr, "types fuzzer: refused with status %ld\n", static_cast<long>(r.error()));
        die();
    }
    kernel::process_discard(p);
    return 0;
}
