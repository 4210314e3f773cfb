// The encoder over an image's descriptors (typebind.h): what runtime/typeid.cpp once did
// inside each program, now done once by the loader, reading the image as untrusted bytes.
#include "typebind.h"

#include "kernel.h"
#include "types.h"

namespace kernel {
namespace {

using goos_go::Type;

// Unnamed types nest only as deep as source text does (typedesc.cpp refuses deeper).
constexpr int kMaxDepth = 100;
constexpr size_t kFirstPages = 4;

bool grow(void** buf, uint32_t* cap, size_t elem, uint32_t need) {
    if (need <= *cap) return true;
    size_t bytes = *cap ? size_t{*cap} * elem * 2 : kFirstPages * kPageSize;
    while (bytes < size_t{need} * elem) bytes *= 2;
    if (bytes > size_t{GOOS_MAX_TYPE_ENCODING} * 2) return false;
    void* fresh = k.pages.alloc(bytes / kPageSize, PageUse::Types);
    if (!fresh) return false;
    if (*buf) {
        memcpy(fresh, *buf, size_t{*cap} * elem);
        k.pages.free(*buf, size_t{*cap} * elem / kPageSize);
    }
    *buf = fresh;
    *cap = static_cast<uint32_t>(bytes / elem);
    return true;
}

}  // namespace

ImageTypes::~ImageTypes() {
    if (out_) k.pages.free(out_, cap_ / kPageSize);
    if (named_) k.pages.free(named_, named_cap_ * sizeof(uintptr_t) / kPageSize);
}

template <class T>
bool ImageTypes::read(uintptr_t at, T* out) {
    if (at < lo_ || at >= hi_ || sizeof(T) > hi_ - at || at % alignof(T)) {
        why_ = "points outside the image";
        return false;
    }
    memcpy(out, reinterpret_cast<const void*>(at), sizeof(T));
    return true;
}

bool ImageTypes::byte(uint8_t b) {
    if (len_ == cap_ && !grow(reinterpret_cast<void**>(&out_), &cap_, 1, len_ + 1)) {
        why_ = "is too large to encode";
        return false;
    }
    out_[len_++] = b;
    return true;
}

bool ImageTypes::uv(uint64_t v) {
    for (; v >= 0x80; v >>= 7)
        if (!byte(static_cast<uint8_t>(v | 0x80))) return false;
    return byte(static_cast<uint8_t>(v));
}

// A *string: its length and bytes (null is the empty string).
bool ImageTypes::str(uintptr_t s) {
    goos_go::String v{nullptr, 0};
    if (s && !read(s, &v)) return false;
    const auto at = reinterpret_cast<uintptr_t>(v.ptr);
    const auto n = static_cast<uint64_t>(v.len);
    if (n && (at < lo_ || at >= hi_ || n > hi_ - at)) {
        why_ = "has a name outside the image";
        return false;
    }
    if (!uv(n)) return false;
    for (uint64_t i = 0; i < n; ++i)
        if (!byte(reinterpret_cast<const uint8_t*>(at)[i])) return false;
    return true;
}

// A named type's package path and name, from its uncommon part.
bool ImageTypes::name(uintptr_t t) {
    Type d;
    goos_go::Uncommon u;
    return read(t, &d) && read(reinterpret_cast<uintptr_t>(d.uncommon), &u) &&
           str(reinterpret_cast<uintptr_t>(u.pkg_path)) && str(reinterpret_cast<uintptr_t>(u.name));
}

// Whether two named descriptors carry one package path and name (the encoder lists a name
// once): 1 or 0, or -1 when either cannot be read.
int ImageTypes::same_name(uintptr_t a, uintptr_t b) {
    const uint32_t mark = len_;
    int same = -1;
    if (name(a)) {
        const uint32_t mid = len_;
        if (name(b)) same = len_ - mid == mid - mark && memcmp(out_ + mark, out_ + mid, mid - mark) == 0;
    }
    len_ = mark;
    return same;
}

bool ImageTypes::ref(uintptr_t t, int depth) {
    Type d;
    if (depth > kMaxDepth) {
        why_ = "nests too deep";
        return false;
    }
    if (!t) {
        why_ = "has a part that is null";
        return false;
    }
    if (!read(t, &d)) return false;
    goos_go::Uncommon u{};
    if (d.uncommon && !read(reinterpret_cast<uintptr_t>(d.uncommon), &u)) return false;
    if (!u.name) return byte('U') && shape(t, depth + 1);
    if (!byte('N') || !name(t)) return false;
    for (uint32_t i = 0; i < nnamed_; ++i) {
        if (named_[i] == t) return true;
        const int same = same_name(named_[i], t);
        if (same < 0) return false;
        if (same) return true;
    }
    if (nnamed_ == named_cap_ &&
        !grow(reinterpret_cast<void**>(&named_), &named_cap_, sizeof(uintptr_t), nnamed_ + 1)) {
        why_ = "reaches too many named types";
        return false;
    }
    named_[nnamed_++] = t;
    return true;
}

bool ImageTypes::shape(uintptr_t t, int depth) {
    Type d;
    if (!read(t, &d)) return false;
    const uint8_t kind = d.kind & goos_go::kKindMask;
    if (!byte(d.kind & (goos_go::kKindMask | goos_go::kKindDirectIface)) || !uv(d.size) || !uv(d.ptrdata) ||
        !byte(d.align) || !byte(d.field_align))
        return false;
    switch (kind) {
        case goos_go::kArray: {
            goos_go::ArrayType a;
            return read(t, &a) && uv(a.len) && ref(reinterpret_cast<uintptr_t>(a.elem), depth);
        }
        case goos_go::kChan: {
            goos_go::ChanType c;
            return read(t, &c) && uv(c.dir) && ref(reinterpret_cast<uintptr_t>(c.elem), depth);
        }
        case goos_go::kFunc: {
            goos_go::FuncType f;
            if (!read(t, &f) || !byte(f.dotdotdot ? 1 : 0)) return false;
            const intptr_t counts[2] = {f.nin, f.nout};
            const Type* const* lists[2] = {f.in, f.out};
            for (int half = 0; half < 2; ++half) {
                if (counts[half] < 0 || !uv(static_cast<uint64_t>(counts[half]))) return false;
                for (intptr_t i = 0; i < counts[half]; ++i) {
                    uintptr_t part;
                    if (!read(reinterpret_cast<uintptr_t>(lists[half] + i), &part) || !ref(part, depth)) return false;
                }
            }
            return true;
        }
        case goos_go::kInterface: {
            goos_go::InterfaceType it;
            if (!read(t, &it) || it.nmethods < 0 || !uv(static_cast<uint64_t>(it.nmethods))) return false;
            for (intptr_t i = 0; i < it.nmethods; ++i) {
                goos_go::IMethod m;
                if (!read(reinterpret_cast<uintptr_t>(it.methods + i), &m) ||
                    !str(reinterpret_cast<uintptr_t>(m.name)) || !str(reinterpret_cast<uintptr_t>(m.pkg_path)) ||
                    !ref(reinterpret_cast<uintptr_t>(m.type), depth))
                    return false;
            }
            return true;
        }
        case goos_go::kMap: {
            goos_go::MapType m;
            return read(t, &m) && ref(reinterpret_cast<uintptr_t>(m.key), depth) &&
                   ref(reinterpret_cast<uintptr_t>(m.elem), depth);
        }
        case goos_go::kPtr:
        case goos_go::kSlice: {
            goos_go::PtrType p;
            return read(t, &p) && ref(reinterpret_cast<uintptr_t>(p.elem), depth);
        }
        case goos_go::kStruct: {
            goos_go::StructType st;
            if (!read(t, &st) || st.nfields < 0 || !uv(static_cast<uint64_t>(st.nfields))) return false;
            for (intptr_t i = 0; i < st.nfields; ++i) {
                goos_go::StructField f;
                if (!read(reinterpret_cast<uintptr_t>(st.fields + i), &f) ||
                    !str(reinterpret_cast<uintptr_t>(f.name)) || !str(reinterpret_cast<uintptr_t>(f.pkg_path)) ||
                    !ref(reinterpret_cast<uintptr_t>(f.type), depth) || !str(reinterpret_cast<uintptr_t>(f.tag)) ||
                    !uv(f.offset_embedded))
                    return false;
            }
            return true;
        }
        default:
            return true;  // the basic kinds: kind and size say it all
    }
}

bool ImageTypes::encode(uintptr_t root) {
    len_ = 0;
    nnamed_ = 0;
    Type d;
    if (!read(root, &d) || !byte(GOOS_TYPE_ENC_VERSION)) return false;
    bool pointers = false;
    if ((d.kind & goos_go::kKindMask) == goos_go::kChan) {
        goos_go::ChanType c;
        Type elem;
        pointers = read(root, &c) && read(reinterpret_cast<uintptr_t>(c.elem), &elem) && elem.ptrdata;
    }
    if (!byte(pointers ? GOOS_TYPE_ENC_POINTERS : 0) || !ref(root, 0)) return false;
    for (uint32_t i = 0; i < nnamed_; ++i)
        if (!name(named_[i]) || !shape(named_[i], 0)) return false;
    return true;
}

Result<const goos_go::Type*> ImageTypes::bind(uintptr_t desc, Buf& why) {
    why_ = nullptr;
    if (!encode(desc)) {
        why.str(why_ ? why_ : "cannot be read");
        return Error::BAD_IMAGE;
    }
    Result<uint64_t> tag = type_intern(p_, out_, len_);
    if (!tag.ok()) {
        if (tag.error() == Error::NO_MEMORY) return Error::NO_MEMORY;
        why.str("is not a layout Go makes");
        return Error::BAD_IMAGE;
    }
    return type_descriptor(tag.value());
}

}  // namespace kernel
