// Canonical type descriptors from type encodings (typedesc.h): the reader, the checks of
// canonical form and of Go's layout, the sub-encodings of the types a type refers to, and
// the descriptor derived from all that.
#include "typedesc.h"

#include "kernel.h"
#include "klib.h"

namespace kernel {
namespace {

using goos_go::Type;

// Unnamed types nest only as deep as source text does, and values nest by value only as
// deep as declarations do; deeper encodings are refused, so that every walk over an
// encoding, and the equality and hashing over values of its type, stay within a small stack.
constexpr int kMaxDepth = 100;
constexpr uint32_t kNone = UINT32_MAX;
// Descriptors' pointer bitmaps are made up to this many words of pointer prefix (gccgo
// switches to a GC program at 2048); past it gcdata is null, since no one reads it: the
// collectors read layout records, and walks read descriptors' structure.
constexpr uint64_t kMaxBitmapWords = 1 << 16;

struct Basic {
    uint8_t size, align, ptrdata;
};
// By kind, 1..26: what Go lays out on x86-64 (0 marks the kinds with a body).
constexpr Basic kBasic[27] = {
    {},        {1, 1, 0}, {8, 8, 0},   {1, 1, 0}, {2, 2, 0}, {4, 4, 0},  {8, 8, 0},  {8, 8, 0},  {1, 1, 0},
    {2, 2, 0}, {4, 4, 0}, {8, 8, 0},   {8, 8, 0}, {4, 4, 0}, {8, 8, 0},  {8, 4, 0},  {16, 8, 0}, {},
    {8, 8, 8}, {8, 8, 8}, {16, 8, 16}, {8, 8, 8}, {8, 8, 8}, {24, 8, 8}, {16, 8, 8}, {},         {8, 8, 8},
};

bool pointer_shaped(uint8_t kind) {
    return kind == goos_go::kPtr || kind == goos_go::kChan || kind == goos_go::kMap || kind == goos_go::kFunc ||
           kind == goos_go::kUnsafePointer;
}

uint64_t span_hash(const uint8_t* p, uint32_t n) {
    return goos_type_encoding_hash(p, n);
}

}  // namespace

TypeEncoding::~TypeEncoding() {
    if (scratch_) k.pages.free(scratch_, scratch_pages_);
}

bool TypeEncoding::byte_at(uint32_t& pos, uint8_t* out) const {
    if (pos >= n_) return false;
    *out = p_[pos++];
    return true;
}

// A uvarint in its shortest form (a longer one would be a second encoding of one type).
bool TypeEncoding::uv_at(uint32_t& pos, uint64_t* out) const {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        uint8_t b;
        if (!byte_at(pos, &b)) return false;
        v |= uint64_t{b & 0x7fu} << shift;
        if (!(b & 0x80)) {
            if (shift && !b) return false;
            *out = v;
            return true;
        }
    }
    return false;
}

bool TypeEncoding::str_at(uint32_t& pos, uint32_t* start, uint32_t* len) const {
    uint64_t n = 0;
    if (!uv_at(pos, &n) || n > n_ - pos) return false;
    if (start) *start = pos;
    if (len) *len = static_cast<uint32_t>(n);
    pos += static_cast<uint32_t>(n);
    return true;
}

bool TypeEncoding::skip_ref(uint32_t& pos, int depth) const {
    uint8_t tag;
    if (depth > kMaxDepth || !byte_at(pos, &tag)) return false;
    if (tag == 'N') return str_at(pos) && str_at(pos);
    return tag == 'U' && skip_shape(pos, depth + 1);
}

bool TypeEncoding::header(uint32_t shape, Header* h) const {
    uint32_t pos = shape;
    if (!byte_at(pos, &h->kind) || !uv_at(pos, &h->size) || !uv_at(pos, &h->ptrdata) || !byte_at(pos, &h->align) ||
        !byte_at(pos, &h->field_align))
        return false;
    h->body = pos;
    return true;
}

bool TypeEncoding::skip_shape(uint32_t& pos, int depth) const {
    Header h{};
    if (!header(pos, &h)) return false;
    pos = h.body;
    uint64_t n = 0, ignored = 0;
    uint8_t b;
    switch (h.kind & goos_go::kKindMask) {
        case goos_go::kArray:
        case goos_go::kChan:
            return uv_at(pos, &ignored) && skip_ref(pos, depth);
        case goos_go::kFunc:
            if (!byte_at(pos, &b)) return false;
            for (int part = 0; part < 2; ++part) {
                if (!uv_at(pos, &n)) return false;
                for (uint64_t i = 0; i < n; ++i)
                    if (!skip_ref(pos, depth)) return false;
            }
            return true;
        case goos_go::kInterface:
            if (!uv_at(pos, &n)) return false;
            for (uint64_t i = 0; i < n; ++i)
                if (!str_at(pos) || !str_at(pos) || !skip_ref(pos, depth)) return false;
            return true;
        case goos_go::kMap:
            return skip_ref(pos, depth) && skip_ref(pos, depth);
        case goos_go::kPtr:
        case goos_go::kSlice:
            return skip_ref(pos, depth);
        case goos_go::kStruct:
            if (!uv_at(pos, &n)) return false;
            for (uint64_t i = 0; i < n; ++i)
                if (!str_at(pos) || !str_at(pos) || !skip_ref(pos, depth) || !str_at(pos) || !uv_at(pos, &ignored))
                    return false;
            return true;
        default:
            return (h.kind & goos_go::kKindMask) != 0 && (h.kind & goos_go::kKindMask) <= goos_go::kUnsafePointer;
    }
}

uint32_t TypeEncoding::name_end(uint32_t name_pos) const {
    uint32_t pos = name_pos;
    return str_at(pos) && str_at(pos) ? pos : kNone;
}

int32_t TypeEncoding::find_named(uint32_t name_pos) const {
    const uint32_t end = name_end(name_pos);
    if (end == kNone || !index_cap_) return -1;
    const uint32_t len = end - name_pos;
    const uint64_t h = span_hash(p_ + name_pos, len);
    for (uint32_t s = static_cast<uint32_t>(h) & (index_cap_ - 1); index_[s]; s = (s + 1) & (index_cap_ - 1)) {
        const Named& e = named_[index_[s] - 1];
        if (e.hash == h && e.shape - e.name == len && memcmp(p_ + e.name, p_ + name_pos, len) == 0)
            return static_cast<int32_t>(index_[s] - 1);
    }
    return -1;
}

uint32_t TypeEncoding::shape_of(uint32_t ref) const {
    if (ref >= n_) return kNone;
    if (p_[ref] == 'U') return ref + 1;
    const int32_t i = p_[ref] == 'N' ? find_named(ref + 1) : -1;
    return i < 0 ? kNone : named_[i].shape;
}

uint32_t TypeEncoding::emit_ref(uint32_t pos, uint8_t* out, uint32_t* at) {
    if (p_[pos] == 'U') {
        out[(*at)++] = 'U';
        return emit_shape(pos + 1, out, at);
    }
    const uint32_t end = name_end(pos + 1);
    const int32_t i = find_named(pos + 1);
    if (i < 0) return kNone;
    if (named_[i].mark != pass_) {
        named_[i].mark = pass_;
        order_[norder_++] = static_cast<uint32_t>(i);
    }
    memcpy(out + *at, p_ + pos, end - pos);
    *at += end - pos;
    return end;
}

// A shape checked by skip_shape: copied, its refs emitted in order.
uint32_t TypeEncoding::emit_shape(uint32_t pos, uint8_t* out, uint32_t* at) {
    Header h{};
    header(pos, &h);
    uint32_t cur = pos;  // copied up to here
    uint32_t p = h.body;
    auto ref = [&]() {
        memcpy(out + *at, p_ + cur, p - cur);
        *at += p - cur;
        p = emit_ref(p, out, at);
        cur = p;
        return p != kNone;
    };
    uint64_t n = 0, ignored = 0;
    uint8_t b;
    switch (h.kind & goos_go::kKindMask) {
        case goos_go::kArray:
        case goos_go::kChan:
            uv_at(p, &ignored);
            if (!ref()) return kNone;
            break;
        case goos_go::kFunc:
            byte_at(p, &b);
            for (int part = 0; part < 2; ++part) {
                uv_at(p, &n);
                for (uint64_t i = 0; i < n; ++i)
                    if (!ref()) return kNone;
            }
            break;
        case goos_go::kInterface:
            uv_at(p, &n);
            for (uint64_t i = 0; i < n; ++i) {
                str_at(p);
                str_at(p);
                if (!ref()) return kNone;
            }
            break;
        case goos_go::kMap:
            if (!ref() || !ref()) return kNone;
            break;
        case goos_go::kPtr:
        case goos_go::kSlice:
            if (!ref()) return kNone;
            break;
        case goos_go::kStruct:
            uv_at(p, &n);
            for (uint64_t i = 0; i < n; ++i) {
                str_at(p);
                str_at(p);
                if (!ref()) return kNone;
                str_at(p);
                uv_at(p, &ignored);
            }
            break;
        default:
            break;
    }
    memcpy(out + *at, p_ + cur, p - cur);
    *at += p - cur;
    return p;
}

bool TypeEncoding::pointers_flag(uint32_t ref) const {
    Header h{}, e{};
    const uint32_t shape = shape_of(ref);
    if (shape == kNone || !header(shape, &h) || (h.kind & goos_go::kKindMask) != goos_go::kChan) return false;
    uint32_t p = h.body;
    uint64_t dir;
    if (!uv_at(p, &dir)) return false;
    const uint32_t elem = shape_of(p);
    return elem != kNone && header(elem, &e) && e.ptrdata != 0;
}

// The encoding of the type `ref` names, in canonical form (what the runtime's encoder
// would write for it), after `prefix` (the start of a shape whose one ref is `ref`, for a
// type the encoding does not spell out, such as an array's slice type). 0 when a named
// type it reaches is missing.
uint32_t TypeEncoding::emit(const uint8_t* prefix, uint32_t prefix_len, uint32_t ref, uint8_t* out) {
    ++pass_;
    norder_ = 0;
    uint32_t at = 0;
    out[at++] = GOOS_TYPE_ENC_VERSION;
    out[at++] = !prefix && pointers_flag(ref) ? GOOS_TYPE_ENC_POINTERS : 0;
    if (prefix_len) memcpy(out + at, prefix, prefix_len);
    at += prefix_len;
    if (emit_ref(ref, out, &at) == kNone) return 0;
    for (uint32_t i = 0; i < norder_; ++i) {
        const Named& e = named_[order_[i]];
        memcpy(out + at, p_ + e.name, e.shape - e.name);
        at += e.shape - e.name;
        if (emit_shape(e.shape, out, &at) == kNone) return 0;
    }
    return at;
}

// By-value nesting and comparability: a named type met again while its own facts are being
// found holds itself by value, which no Go type does.
bool TypeEncoding::facts(uint32_t ref, int depth, Facts* out) {
    if (p_[ref] != 'N') return shape_facts(ref + 1, depth, out);
    const int32_t i = find_named(ref + 1);
    return i >= 0 && named_facts(static_cast<uint32_t>(i), depth, out);
}

bool TypeEncoding::named_facts(uint32_t i, int depth, Facts* out) {
    Named& memo = named_[i];
    if (memo.state == 2) {
        *out = Facts{memo.depth, memo.comparable != 0};
        return true;
    }
    if (memo.state == 1) return false;
    memo.state = 1;
    if (!shape_facts(memo.shape, depth, out)) return false;
    memo.depth = static_cast<uint16_t>(out->depth);
    memo.comparable = out->comparable;
    memo.state = 2;
    return true;
}

bool TypeEncoding::shape_facts(uint32_t shape, int depth, Facts* out) {
    Header h{};
    if (depth > kMaxDepth || !header(shape, &h)) return false;
    Facts f{1, true};
    uint32_t p = h.body;
    uint64_t n = 0, ignored = 0;
    Facts sub{};
    switch (h.kind & goos_go::kKindMask) {
        case goos_go::kSlice:
        case goos_go::kMap:
        case goos_go::kFunc:
            f.comparable = false;
            break;
        case goos_go::kArray:
            uv_at(p, &ignored);
            if (!facts(p, depth + 1, &sub)) return false;
            f = Facts{sub.depth + 1, sub.comparable};
            break;
        case goos_go::kStruct:
            uv_at(p, &n);
            for (uint64_t i = 0; i < n; ++i) {
                str_at(p);
                str_at(p);
                if (!facts(p, depth + 1, &sub)) return false;
                skip_ref(p, 0);
                str_at(p);
                uv_at(p, &ignored);
                if (sub.depth + 1 > f.depth) f.depth = sub.depth + 1;
                f.comparable = f.comparable && sub.comparable;
            }
            break;
        default:
            break;
    }
    if (f.depth > kMaxDepth) return false;
    *out = f;
    return true;
}

// One shape's layout against Go's rules for its kind, given its parts' headers; inline
// parts are checked in turn, named ones by check() itself.
bool TypeEncoding::check_shape(uint32_t shape, int depth) {
    Header h{};
    if (depth > kMaxDepth || !header(shape, &h)) return false;
    const uint8_t kind = h.kind & goos_go::kKindMask;
    const bool direct = h.kind & goos_go::kKindDirectIface;
    if (h.kind & ~(goos_go::kKindMask | goos_go::kKindDirectIface)) return false;
    if (kind == 0 || kind > goos_go::kUnsafePointer) return false;
    if (h.align != h.field_align || (h.align != 1 && h.align != 2 && h.align != 4 && h.align != 8)) return false;
    if (h.size % h.align) return false;
    uint32_t p = h.body;
    // A part: its header, checked when inline.
    auto part = [&](Header* ph) {
        const uint32_t s = shape_of(p);
        // A named part's shape is checked on its own, maybe later: its alignment is
        // checked here too, before anything divides by it.
        if (s == kNone || !header(s, ph) || !ph->align || (ph->align & (ph->align - 1)) || ph->align > 8) return false;
        if (p_[p] == 'U' && !check_shape(s, depth + 1)) return false;
        return skip_ref(p, 0);
    };
    Header e{};
    uint64_t n = 0;
    if (kBasic[kind].size) {
        if (h.size != kBasic[kind].size || h.align != kBasic[kind].align || h.ptrdata != kBasic[kind].ptrdata ||
            direct != pointer_shaped(kind))
            return false;
    }
    switch (kind) {
        case goos_go::kArray: {
            if (!uv_at(p, &n) || !part(&e)) return false;
            if (e.size && n > UINT64_MAX / e.size) return false;
            const uint64_t ptrdata = e.ptrdata && n ? (n - 1) * e.size + e.ptrdata : 0;
            const bool edirect = e.kind & goos_go::kKindDirectIface;
            return h.size == n * e.size && h.align == e.align && h.ptrdata == ptrdata && direct == (n == 1 && edirect);
        }
        case goos_go::kChan:
            return uv_at(p, &n) && n >= 1 && n <= 3 && part(&e);
        case goos_go::kFunc: {
            uint8_t variadic;
            if (!byte_at(p, &variadic) || variadic > 1) return false;
            for (int half = 0; half < 2; ++half) {
                if (!uv_at(p, &n)) return false;
                if (half == 0 && variadic && n == 0) return false;
                for (uint64_t i = 0; i < n; ++i) {
                    if (!part(&e)) return false;
                    if (half == 0 && variadic && i + 1 == n && (e.kind & goos_go::kKindMask) != goos_go::kSlice)
                        return false;
                }
            }
            return true;
        }
        case goos_go::kInterface: {
            if (!uv_at(p, &n)) return false;
            for (uint64_t i = 0; i < n; ++i) {
                uint32_t len;
                if (!str_at(p, nullptr, &len) || len == 0 || !str_at(p) || !part(&e) ||
                    (e.kind & goos_go::kKindMask) != goos_go::kFunc)
                    return false;
            }
            return true;
        }
        case goos_go::kMap: {
            Facts key;
            if (!facts(p, 0, &key) || !key.comparable) return false;
            return part(&e) && part(&e);
        }
        case goos_go::kPtr:
        case goos_go::kSlice:
            return part(&e);
        case goos_go::kStruct: {
            if (!uv_at(p, &n)) return false;
            uint64_t end = 0, ptrdata = 0;
            uint8_t align = 1;
            bool first_direct = false;
            for (uint64_t i = 0; i < n; ++i) {
                uint64_t oe;
                if (!str_at(p) || !str_at(p) || !part(&e) || !str_at(p) || !uv_at(p, &oe)) return false;
                const uint64_t off = oe >> 1;
                if (off % e.align || off < end || e.size > h.size || off > h.size - e.size) return false;
                end = off + e.size;
                if (e.align > align) align = e.align;
                if (e.ptrdata) ptrdata = off + e.ptrdata;
                if (i == 0) first_direct = e.kind & goos_go::kKindDirectIface;
            }
            // A trailing zero-size field gets a byte of padding, so its address is not
            // past the value: at most one alignment unit past the last field's end.
            const uint64_t rounded = (end + align - 1) / align * align;
            return h.align == align && h.ptrdata == ptrdata && h.size >= rounded && h.size <= rounded + align &&
                   direct == (n == 1 && first_direct);
        }
        default:
            return true;
    }
}

Result<void> TypeEncoding::check() {
    if (n_ < 3 || p_[0] != GOOS_TYPE_ENC_VERSION || (p_[1] & ~GOOS_TYPE_ENC_POINTERS)) return Error::BAD_ARGUMENT;
    // Each named entry takes at least 7 bytes: two string lengths and a shape's header.
    const uint32_t cap = n_ / 7 + 1;
    uint32_t index_cap = 16;
    while (index_cap < 2 * cap) index_cap *= 2;
    const size_t bytes = size_t{cap} * sizeof(Named) + size_t{index_cap} * 4 + size_t{cap} * 4 + sub_capacity() + 8;
    scratch_pages_ = (bytes + kPageSize - 1) / kPageSize;
    scratch_ = static_cast<uint8_t*>(k.pages.alloc(scratch_pages_, PageUse::Types));
    if (!scratch_) return Error::NO_MEMORY;
    named_ = reinterpret_cast<Named*>(scratch_);
    index_ = reinterpret_cast<uint32_t*>(scratch_ + size_t{cap} * sizeof(Named));
    order_ = index_ + index_cap;
    sub_ = reinterpret_cast<uint8_t*>(order_ + cap);
    index_cap_ = index_cap;
    memset(index_, 0, size_t{index_cap} * 4);

    uint32_t pos = root_;
    if (!skip_ref(pos, 0)) return Error::BAD_ARGUMENT;
    while (pos < n_) {
        if (nnamed_ == cap) return Error::BAD_ARGUMENT;
        Named& e = named_[nnamed_];
        e = Named{pos, 0, 0, 0, 0, 0, 0};
        if (!str_at(pos) || !str_at(pos)) return Error::BAD_ARGUMENT;
        e.shape = pos;
        e.hash = span_hash(p_ + e.name, e.shape - e.name);
        if (find_named(e.name) >= 0 || !skip_shape(pos, 0)) return Error::BAD_ARGUMENT;
        uint32_t s = static_cast<uint32_t>(e.hash) & (index_cap_ - 1);
        while (index_[s]) s = (s + 1) & (index_cap_ - 1);
        index_[s] = ++nnamed_;
    }
    // Canonical form: exactly what the encoder writes, so every named type listed is
    // reached, in the order first reached, and one type has one encoding.
    const uint32_t len = emit(nullptr, 0, root_, sub_);
    if (len != n_ || memcmp(sub_, p_, n_) != 0) return Error::BAD_ARGUMENT;
    Facts f{};
    if (!facts(root_, 0, &f)) return Error::BAD_ARGUMENT;
    if (p_[root_] == 'U' && !check_shape(root_ + 1, 0)) return Error::BAD_ARGUMENT;
    for (uint32_t i = 0; i < nnamed_; ++i)
        if (!named_facts(i, 0, &f) || !check_shape(named_[i].shape, 0)) return Error::BAD_ARGUMENT;
    return {};
}

size_t TypeEncoding::descriptor_bytes() const {
    Header h{};
    header(shape_of(root_), &h);
    switch (h.kind & goos_go::kKindMask) {
        case goos_go::kArray:
            return sizeof(goos_go::ArrayType);
        case goos_go::kChan:
            return sizeof(goos_go::ChanType);
        case goos_go::kFunc:
            return sizeof(goos_go::FuncType);
        case goos_go::kInterface:
            return sizeof(goos_go::InterfaceType);
        case goos_go::kMap:
            return sizeof(goos_go::MapType);
        case goos_go::kPtr:
            return sizeof(goos_go::PtrType);
        case goos_go::kSlice:
            return sizeof(goos_go::SliceType);
        case goos_go::kStruct:
            return sizeof(goos_go::StructType);
        default:
            return sizeof(goos_go::Type);
    }
}

void TypeEncoding::mark_pointers(uint32_t ref, uint64_t base, uint64_t limit, uint8_t* bits) const {
    Header h{};
    header(shape_of(ref), &h);
    if (!h.ptrdata || base >= limit) return;
    const auto set = [&](uint64_t off) {
        if (off < limit) bits[off / 64] = static_cast<uint8_t>(bits[off / 64] | 1u << (off / 8 % 8));
    };
    uint32_t p = h.body;
    uint64_t n = 0;
    switch (h.kind & goos_go::kKindMask) {
        case goos_go::kInterface:
            set(base);
            set(base + 8);
            return;
        case goos_go::kArray: {
            uv_at(p, &n);
            Header e{};
            header(shape_of(p), &e);
            for (uint64_t i = 0; i < n && base + i * e.size < limit; ++i)
                mark_pointers(p, base + i * e.size, limit, bits);
            return;
        }
        case goos_go::kStruct:
            uv_at(p, &n);
            for (uint64_t i = 0; i < n; ++i) {
                str_at(p);
                str_at(p);
                const uint32_t field = p;
                uint64_t oe = 0;
                skip_ref(p, 0);
                str_at(p);
                uv_at(p, &oe);
                mark_pointers(field, base + (oe >> 1), limit, bits);
            }
            return;
        default:
            set(base);  // every other kind with pointers holds one, in its first word
            return;
    }
}

const goos_go::String* TypeEncoding::copy_string(uint32_t pos, const Sink& sink) const {
    uint32_t start = 0, len = 0;
    str_at(pos, &start, &len);
    if (!len) return nullptr;
    auto* s = static_cast<goos_go::String*>(sink.alloc(sink.ctx, sizeof(goos_go::String) + len));
    if (!s) return nullptr;
    auto* bytes = reinterpret_cast<uint8_t*>(s + 1);
    memcpy(bytes, p_ + start, len);
    *s = goos_go::String{bytes, len};
    return s;
}

const Type* TypeEncoding::sub_type(uint32_t ref, const Sink& sink) {
    const uint32_t len = sub_encoding(ref, sub_);
    return len ? sink.type(sink.ctx, sub_, len) : nullptr;
}

namespace {

// Writes what an encoding describes as Go spells types ("map[string]*list.Element"), or
// only counts it when out is null.
class Printer {
public:
    Printer(const uint8_t* p, uint32_t n, char* out) : p_(p), end_(p + n), out_(out) {}
    size_t root(uint32_t ref) {
        p_ += ref;
        this->ref(0);
        return n_;
    }

private:
    void ch(char c) {
        if (out_) out_[n_] = c;
        ++n_;
    }
    void str(const char* s) {
        for (; *s; ++s) ch(*s);
    }
    void num(uint64_t v) {
        char d[20];
        int i = 0;
        do d[i++] = static_cast<char>('0' + v % 10);
        while ((v /= 10) && i < 20);
        while (i) ch(d[--i]);
    }
    uint8_t byte() { return p_ < end_ ? *p_++ : 0; }
    uint64_t uv() {
        uint64_t v = 0;
        for (int s = 0; s < 64; s += 7) {
            const uint8_t b = byte();
            v |= uint64_t{b & 0x7fu} << s;
            if (!(b & 0x80)) break;
        }
        return v;
    }
    // A string: printed, or skipped.
    void string(bool print) {
        const uint64_t n = uv();
        for (uint64_t i = 0; i < n && p_ < end_; ++i) {
            const uint8_t c = byte();
            if (print) ch(static_cast<char>(c));
        }
    }
    // A package path, printed as its last element and a dot (Go prints "list.Element").
    void package_name() {
        const uint64_t n = uv();
        const uint8_t* s = p_;
        p_ = n < static_cast<uint64_t>(end_ - p_) ? p_ + n : end_;
        const uint8_t* last = s;
        for (const uint8_t* c = s; c < p_; ++c)
            if (*c == '/') last = c + 1;
        if (last == p_) return;
        for (const uint8_t* c = last; c < p_; ++c) ch(static_cast<char>(*c));
        ch('.');
    }
    void ref(int depth) {
        const uint8_t k = byte();
        if (k == 'N') {
            package_name();
            string(true);
        } else {
            shape(depth + 1);
        }
    }
    void shape(int depth) {
        static const char* const kNames[] = {"",        "bool",    "int",     "int8",      "int16",     "int32",
                                             "int64",   "uint",    "uint8",   "uint16",    "uint32",    "uint64",
                                             "uintptr", "float32", "float64", "complex64", "complex128"};
        const uint8_t kind = byte() & goos_go::kKindMask;
        uv();
        uv();
        byte();
        byte();
        switch (kind) {
            case goos_go::kArray:
                ch('[');
                num(uv());
                ch(']');
                ref(depth);
                return;
            case goos_go::kChan: {
                const uint64_t dir = uv();
                str(dir == 1 ? "<-chan " : dir == 2 ? "chan<- " : "chan ");
                ref(depth);
                return;
            }
            case goos_go::kFunc:
                str("func");
                signature(depth);
                return;
            case goos_go::kInterface: {
                const uint64_t n = uv();
                str(n ? "interface { " : "interface {");
                for (uint64_t i = 0; i < n && p_ < end_; ++i) {
                    if (i) str("; ");
                    string(true);
                    string(false);
                    byte();  // 'U', then the func shape's header: a method's type is unnamed
                    byte();
                    uv();
                    uv();
                    byte();
                    byte();
                    signature(depth);
                }
                str(n ? " }" : "}");
                return;
            }
            case goos_go::kMap:
                str("map[");
                ref(depth);
                ch(']');
                ref(depth);
                return;
            case goos_go::kPtr:
                ch('*');
                ref(depth);
                return;
            case goos_go::kSlice:
                str("[]");
                ref(depth);
                return;
            case goos_go::kStruct: {
                const uint64_t n = uv();
                str(n ? "struct { " : "struct {");
                for (uint64_t i = 0; i < n && p_ < end_; ++i) {
                    if (i) str("; ");
                    string(true);
                    string(false);
                    ch(' ');
                    ref(depth);
                    string(false);
                    uv();
                }
                str(n ? " }" : "}");
                return;
            }
            case goos_go::kString:
                str("string");
                return;
            case goos_go::kUnsafePointer:
                str("unsafe.Pointer");
                return;
            default:
                str(kind < sizeof kNames / sizeof kNames[0] ? kNames[kind] : "?");
                return;
        }
    }
    // A func shape's body: "(int, ...string) (bool, error)".
    void signature(int depth) {
        const bool variadic = byte();
        ch('(');
        const uint64_t nin = uv();
        for (uint64_t i = 0; i < nin && p_ < end_; ++i) {
            if (i) str(", ");
            if (variadic && i + 1 == nin) {
                str("...");
                byte();  // the slice: print its element
                byte();
                uv();
                uv();
                byte();
                byte();
            }
            ref(depth);
        }
        ch(')');
        const uint64_t nout = uv();
        if (nout) str(nout > 1 ? " (" : " ");
        for (uint64_t i = 0; i < nout && p_ < end_; ++i) {
            if (i) str(", ");
            ref(depth);
        }
        if (nout > 1) ch(')');
    }

    const uint8_t* p_;
    const uint8_t* end_;
    char* out_;
    size_t n_ = 0;
};

}  // namespace

const goos_go::String* TypeEncoding::print(const Sink& sink) const {
    const size_t len = Printer(p_, n_, nullptr).root(root_);
    auto* s = static_cast<goos_go::String*>(sink.alloc(sink.ctx, sizeof(goos_go::String) + len));
    if (!s) return nullptr;
    auto* bytes = reinterpret_cast<uint8_t*>(s + 1);
    Printer(p_, n_, reinterpret_cast<char*>(bytes)).root(root_);
    *s = goos_go::String{bytes, static_cast<intptr_t>(len)};
    return s;
}

Result<void> TypeEncoding::build(Type* desc, uint64_t hash, const Sink& sink) {
    const uint32_t shape = shape_of(root_);
    Header h{};
    header(shape, &h);
    Facts f{};
    facts(root_, 0, &f);
    desc->size = h.size;
    desc->ptrdata = h.ptrdata;
    desc->hash = static_cast<uint32_t>(hash ^ hash >> 32);
    desc->tflag = 0;
    desc->align = h.align;
    desc->field_align = h.field_align;
    desc->kind = h.kind;
    // Func values: the code, then the descriptor it works on (typedesc.h).
    auto closure = [&](void (*code)(), const Type* t) -> const void* {
        auto* fv = static_cast<const void**>(sink.alloc(sink.ctx, 2 * sizeof(void*)));
        if (fv) {
            fv[0] = reinterpret_cast<const void*>(code);
            fv[1] = t;
        }
        return fv;
    };
    if (f.comparable && !(desc->equal = closure(goos_type_equal_thunk, desc))) return Error::NO_MEMORY;
    const uint64_t words = h.ptrdata / 8;
    if (words && words <= kMaxBitmapWords) {
        auto* bits = static_cast<uint8_t*>(sink.alloc(sink.ctx, (words + 7) / 8));
        if (!bits) return Error::NO_MEMORY;
        memset(bits, 0, (words + 7) / 8);
        mark_pointers(root_, 0, h.ptrdata, bits);
        desc->gcdata = bits;
    }
    if (!(desc->string = print(sink))) return Error::NO_MEMORY;
    if (p_[root_] == 'N') {
        auto* u = static_cast<goos_go::Uncommon*>(sink.alloc(sink.ctx, sizeof(goos_go::Uncommon)));
        if (!u) return Error::NO_MEMORY;
        uint32_t pos = root_ + 1;
        const uint32_t pkg = pos;
        str_at(pos);
        *u = goos_go::Uncommon{copy_string(pos, sink), copy_string(pkg, sink), nullptr, 0, 0};
        desc->uncommon = u;
    }
    // The parts: each a descriptor of its own, found or made by the table.
    uint32_t p = h.body;
    uint64_t n = 0, v = 0;
    auto part = [&](const Type** out) {
        *out = sub_type(p, sink);
        skip_ref(p, 0);
        return *out != nullptr;
    };
    switch (h.kind & goos_go::kKindMask) {
        case goos_go::kArray: {
            auto* a = reinterpret_cast<goos_go::ArrayType*>(desc);
            uv_at(p, &a->len);
            const uint32_t elem = p;
            if (!part(&a->elem)) return Error::NO_MEMORY;
            static constexpr uint8_t kSliceShape[] = {'U', goos_go::kSlice, 24, 8, 8, 8};
            const uint32_t len = emit(kSliceShape, sizeof kSliceShape, elem, sub_);
            if (!len || !(a->slice = sink.type(sink.ctx, sub_, len))) return Error::NO_MEMORY;
            return {};
        }
        case goos_go::kChan: {
            auto* c = reinterpret_cast<goos_go::ChanType*>(desc);
            uv_at(p, &v);
            c->dir = v;
            return part(&c->elem) ? Result<void>{} : Error::NO_MEMORY;
        }
        case goos_go::kFunc: {
            auto* fn = reinterpret_cast<goos_go::FuncType*>(desc);
            uint8_t variadic = 0;
            byte_at(p, &variadic);
            fn->dotdotdot = variadic;
            for (int half = 0; half < 2; ++half) {
                uv_at(p, &n);
                auto* list = static_cast<const Type**>(n ? sink.alloc(sink.ctx, n * sizeof(Type*)) : nullptr);
                if (n && !list) return Error::NO_MEMORY;
                for (uint64_t i = 0; i < n; ++i)
                    if (!part(&list[i])) return Error::NO_MEMORY;
                const auto count = static_cast<intptr_t>(n);
                if (half == 0) {
                    fn->in = list;
                    fn->nin = fn->in_cap = count;
                } else {
                    fn->out = list;
                    fn->nout = fn->out_cap = count;
                }
            }
            return {};
        }
        case goos_go::kInterface: {
            auto* it = reinterpret_cast<goos_go::InterfaceType*>(desc);
            uv_at(p, &n);
            auto* methods =
                static_cast<goos_go::IMethod*>(n ? sink.alloc(sink.ctx, n * sizeof(goos_go::IMethod)) : nullptr);
            if (n && !methods) return Error::NO_MEMORY;
            for (uint64_t i = 0; i < n; ++i) {
                methods[i].name = copy_string(p, sink);
                str_at(p);
                methods[i].pkg_path = copy_string(p, sink);
                str_at(p);
                if (!methods[i].name || !part(&methods[i].type)) return Error::NO_MEMORY;
            }
            it->methods = methods;
            it->nmethods = it->cap = static_cast<intptr_t>(n);
            return {};
        }
        case goos_go::kMap: {
            auto* m = reinterpret_cast<goos_go::MapType*>(desc);
            if (!part(&m->key) || !part(&m->elem)) return Error::NO_MEMORY;
            if (!(m->hasher = closure(goos_type_hash_thunk, m->key))) return Error::NO_MEMORY;
            // Go's map flags: a key or value past 128 bytes is stored indirectly.
            constexpr uint64_t kMaxInline = 128;
            m->keysize = static_cast<uint8_t>(m->key->size <= kMaxInline ? m->key->size : 8);
            m->valuesize = static_cast<uint8_t>(m->elem->size <= kMaxInline ? m->elem->size : 8);
            m->flags = (m->key->size > kMaxInline ? 1u : 0u) | (m->elem->size > kMaxInline ? 2u : 0u);
            return {};
        }
        case goos_go::kPtr:
            return part(&reinterpret_cast<goos_go::PtrType*>(desc)->elem) ? Result<void>{} : Error::NO_MEMORY;
        case goos_go::kSlice:
            return part(&reinterpret_cast<goos_go::SliceType*>(desc)->elem) ? Result<void>{} : Error::NO_MEMORY;
        case goos_go::kStruct: {
            auto* st = reinterpret_cast<goos_go::StructType*>(desc);
            uv_at(p, &n);
            auto* fields = static_cast<goos_go::StructField*>(n ? sink.alloc(sink.ctx, n * sizeof(goos_go::StructField))
                                                                : nullptr);
            if (n && !fields) return Error::NO_MEMORY;
            for (uint64_t i = 0; i < n; ++i) {
                fields[i].name = copy_string(p, sink);
                str_at(p);
                fields[i].pkg_path = copy_string(p, sink);
                str_at(p);
                if (!part(&fields[i].type)) return Error::NO_MEMORY;
                fields[i].tag = copy_string(p, sink);
                str_at(p);
                uv_at(p, &v);
                fields[i].offset_embedded = v;
            }
            st->fields = fields;
            st->nfields = st->cap = static_cast<intptr_t>(n);
            return {};
        }
        default:
            return {};
    }
}

}  // namespace kernel
