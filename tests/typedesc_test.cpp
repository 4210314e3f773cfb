// The type segment's descriptors (kernel/typedesc.h): each is derived from its encoding
// alone, one per type (a recursive type's parts close on the same descriptors), and an
// encoding that lies about a layout is refused; layout-driven equality and hashing follow
// Go's rules for `==` and map keys.
#include <kernel/typedesc.h>
#include <kernel/types.h>

#include "harness.h"
#include "type_encodings.h"

namespace goos_test {
namespace {

using goos_go::kArray;
using goos_go::kChan;
using goos_go::kFloat64;
using goos_go::kFunc;
using goos_go::kInt;
using goos_go::kInt64;
using goos_go::kInterface;
using goos_go::kMap;
using goos_go::kPtr;
using goos_go::kSlice;
using goos_go::kString;
using goos_go::kStruct;

// type Node struct { Next *Node; V int64; S string } in package main: its entry (name and
// shape), then, for node_body, the entries it reaches first (int64, string).
Enc& node_entry(Enc& e, uint64_t size = 32, uint64_t ptrdata = 24, uint64_t s_offset = 16) {
    return e.entry("main", "Node")
        .shape(kStruct, size, ptrdata, 8)
        .uv(3)
        .str("Next")
        .str("")
        .inline_shape(kPtr | kDirect, 8, 8, 8)
        .named("main", "Node")
        .field_end(0)
        .str("V")
        .str("")
        .named("", "int64")
        .field_end(8)
        .str("S")
        .str("")
        .named("", "string")
        .field_end(s_offset);
}
Enc& node_body(Enc& e, uint64_t size = 32, uint64_t ptrdata = 24, uint64_t s_offset = 16) {
    return node_entry(e, size, ptrdata, s_offset)
        .entry("", "int64")
        .shape(kInt64, 8, 0, 8)
        .entry("", "string")
        .shape(kString, 16, 8, 8);
}
std::vector<uint8_t> node(uint64_t size = 32, uint64_t ptrdata = 24, uint64_t s_offset = 16) {
    Enc e;
    e.named("main", "Node");
    return node_body(e, size, ptrdata, s_offset).bytes();
}
std::vector<uint8_t> ptr_node() {
    Enc e;
    e.inline_shape(kPtr | kDirect, 8, 8, 8).named("main", "Node");
    return node_body(e).bytes();
}
// map[string][]*main.Node
std::vector<uint8_t> map_of_nodes() {
    Enc e;
    e.inline_shape(kMap | kDirect, 8, 8, 8)
        .named("", "string")
        .inline_shape(kSlice, 24, 8, 8)
        .inline_shape(kPtr | kDirect, 8, 8, 8)
        .named("main", "Node")
        .entry("", "string")
        .shape(kString, 16, 8, 8);
    // Node is reached after string; its own parts follow it.
    return node_entry(e).entry("", "int64").shape(kInt64, 8, 0, 8).bytes();
}
// func(int, ...string) bool
std::vector<uint8_t> variadic_func() {
    return Enc()
        .inline_shape(kFunc | kDirect, 8, 8, 8)
        .byte(1)
        .uv(2)
        .named("", "int")
        .inline_shape(kSlice, 24, 8, 8)
        .named("", "string")
        .uv(1)
        .named("", "bool")
        .int_entry()
        .entry("", "string")
        .shape(kString, 16, 8, 8)
        .entry("", "bool")
        .shape(goos_go::kBool, 1, 0, 1)
        .bytes();
}
// [3]int: its descriptor names []int as its slice type.
std::vector<uint8_t> array3() {
    return Enc().inline_shape(kArray, 24, 0, 8).uv(3).named("", "int").int_entry().bytes();
}
std::vector<uint8_t> slice_of_int() {
    return Enc().inline_shape(kSlice, 24, 8, 8).named("", "int").int_entry().bytes();
}
std::vector<uint8_t> int_type() {
    return Enc().named("", "int").int_entry().bytes();
}
// struct { F float64; _ int64; S string; I interface{} }
std::vector<uint8_t> mixed() {
    return Enc()
        .inline_shape(kStruct, 48, 48, 8)
        .uv(4)
        .str("F")
        .str("main")
        .named("", "float64")
        .field_end(0)
        .str("_")
        .str("main")
        .named("", "int64")
        .field_end(8)
        .str("S")
        .str("")
        .named("", "string")
        .field_end(16)
        .str("I")
        .str("")
        .inline_shape(kInterface, 16, 16, 8)
        .uv(0)
        .field_end(32)
        .entry("", "float64")
        .shape(kFloat64, 8, 0, 8)
        .entry("", "int64")
        .shape(kInt64, 8, 0, 8)
        .entry("", "string")
        .shape(kString, 16, 8, 8)
        .bytes();
}

// Encodings that lie, each in one way.
std::vector<std::vector<uint8_t>> lies() {
    std::vector<std::vector<uint8_t>> out;
    out.push_back(node(48));          // a size past its last field's alignment unit
    out.push_back(node(32, 32));      // a pointer prefix longer than its pointers reach
    out.push_back(node(32, 24, 12));  // a string at an offset its alignment forbids
    out.push_back(node(32, 24, 4));   // fields that overlap
    // int of 4 bytes
    out.push_back(Enc().named("", "int").entry("", "int").shape(kInt, 4, 0, 4).bytes());
    // a struct of two fields that says it is stored in an interface's data word
    out.push_back(Enc()
                      .inline_shape(kStruct | kDirect, 16, 16, 8)
                      .uv(2)
                      .str("a")
                      .str("main")
                      .inline_shape(kPtr | kDirect, 8, 8, 8)
                      .named("", "int")
                      .field_end(0)
                      .str("b")
                      .str("main")
                      .inline_shape(kPtr | kDirect, 8, 8, 8)
                      .named("", "int")
                      .field_end(8)
                      .int_entry()
                      .bytes());
    // type T struct { t T }: a type that holds itself by value
    out.push_back(Enc()
                      .named("main", "T")
                      .entry("main", "T")
                      .shape(kStruct, 0, 0, 1)
                      .uv(1)
                      .str("t")
                      .str("main")
                      .named("main", "T")
                      .field_end(0)
                      .bytes());
    // chan int with a named type listed that nothing reaches
    std::vector<uint8_t> extra(kChanInt, kChanInt + sizeof kChanInt);
    const std::vector<uint8_t> x = Enc().entry("main", "X").shape(kInt, 8, 0, 8).bytes();
    extra.insert(extra.end(), x.begin() + 2, x.end());
    out.push_back(extra);
    // chan int whose named int is missing
    out.push_back(Enc().inline_shape(kChan | kDirect, 8, 8, 8).uv(3).named("", "int").bytes());
    // an interface whose method's type is not a func type
    out.push_back(
        Enc().inline_shape(kInterface, 16, 16, 8).uv(1).str("M").str("").named("", "int").int_entry().bytes());
    // map[[]int]int: a key that cannot be compared
    out.push_back(Enc()
                      .inline_shape(kMap | kDirect, 8, 8, 8)
                      .inline_shape(kSlice, 24, 8, 8)
                      .named("", "int")
                      .named("", "int")
                      .int_entry()
                      .bytes());
    // a uvarint written longer than it need be
    std::vector<uint8_t> longer = Enc().named("", "int").entry("", "int").byte(kInt).bytes();
    const std::vector<uint8_t> rest = {0x88, 0x00, 0, 8, 8};
    longer.insert(longer.end(), rest.begin(), rest.end());
    out.push_back(longer);
    return out;
}

std::vector<std::vector<uint8_t>> g_encodings;
const goos_go::Type* g_desc[16];
int64_t g_tags[16];
std::vector<int64_t> g_lies;

int64_t intern(const std::vector<uint8_t>& enc) {
    uint8_t local[1024];  // syscall buffers live on the caller's stack (harness.h)
    __builtin_memcpy(local, enc.data(), enc.size());
    return user::sys(GOOS_SYS_type_intern, user::u(local), enc.size());
}

void interner_main(uint64_t) {
    for (size_t i = 0; i < g_encodings.size(); ++i) {
        g_tags[i] = intern(g_encodings[i]);
        g_desc[i] = g_tags[i] > 0 ? kernel::type_descriptor(static_cast<uint64_t>(g_tags[i])) : nullptr;
    }
}

Record g_liar;
void liar_main(uint64_t n) {
    for (uint64_t i = 0; i < n; ++i) g_liar(intern(g_encodings[i]));
}

std::string str(const goos_go::String* s) {
    return s ? std::string(reinterpret_cast<const char*>(s->ptr), static_cast<size_t>(s->len)) : "";
}

}  // namespace

// Rule: a descriptor is derived from its encoding alone; a recursive type's parts close on
// the one descriptor per type, and every program that interns a type gets that one.
TEST(TypeSegment, DescriptorsAreDerivedFromTheEncodingAndOnePerType) {
    g_encodings = {node(), ptr_node(), map_of_nodes(), variadic_func(), array3(), slice_of_int(), int_type()};
    const auto r = run({{"types", interner_main, 0}});
    expect_clean(r);
    for (size_t i = 0; i < g_encodings.size(); ++i) ASSERT_NE(g_desc[i], nullptr) << "encoding " << i;
    const auto* n = reinterpret_cast<const goos_go::StructType*>(g_desc[0]);
    const auto* p = reinterpret_cast<const goos_go::PtrType*>(g_desc[1]);
    EXPECT_EQ(n->common.size, 32u);
    EXPECT_EQ(n->common.ptrdata, 24u);
    EXPECT_EQ(n->common.kind, kStruct);
    EXPECT_EQ(str(n->common.string), "main.Node");
    const auto* u = static_cast<const goos_go::Uncommon*>(n->common.uncommon);
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(str(u->name), "Node");
    EXPECT_EQ(str(u->pkg_path), "main");
    EXPECT_EQ(u->nmethods, 0);  // methods are each program's own
    ASSERT_EQ(n->nfields, 3);
    EXPECT_EQ(str(n->fields[2].name), "S");
    EXPECT_EQ(n->fields[2].offset_embedded, 16u << 1);
    EXPECT_EQ(n->fields[0].type, &p->common);  // *Node is one descriptor, however reached
    EXPECT_EQ(p->elem, &n->common);            // and its element closes the cycle
    EXPECT_EQ(str(p->common.string), "*main.Node");
    ASSERT_NE(n->common.gcdata, nullptr);
    EXPECT_EQ(n->common.gcdata[0], 0b101);  // Next and S's bytes
    EXPECT_NE(n->common.equal, nullptr);
    EXPECT_EQ(str(n->fields[2].type->string), "string");

    const auto* m = reinterpret_cast<const goos_go::MapType*>(g_desc[2]);
    EXPECT_EQ(str(m->common.string), "map[string][]*main.Node");
    EXPECT_EQ(m->common.equal, nullptr);  // maps cannot be compared
    EXPECT_NE(m->hasher, nullptr);
    EXPECT_EQ(reinterpret_cast<const goos_go::SliceType*>(m->elem)->elem, &p->common);
    EXPECT_EQ(m->keysize, 16);

    const auto* f = reinterpret_cast<const goos_go::FuncType*>(g_desc[3]);
    EXPECT_EQ(str(f->common.string), "func(int, ...string) bool");
    EXPECT_TRUE(f->dotdotdot);
    ASSERT_EQ(f->nin, 2);
    EXPECT_EQ(f->in[0], g_desc[6]);  // int is int

    const auto* a = reinterpret_cast<const goos_go::ArrayType*>(g_desc[4]);
    EXPECT_EQ(str(a->common.string), "[3]int");
    EXPECT_EQ(a->len, 3u);
    EXPECT_EQ(a->elem, g_desc[6]);
    EXPECT_EQ(a->slice, g_desc[5]);  // []int, made for the array, found again
    EXPECT_EQ(g_tags[0] & GOOS_TYPE_TAG_POINTERS, 0);
}

// Attack: an image or program that lies about a type's layout (sizes, offsets, pointer
// prefixes, directness, a type holding itself, names it lists but never reaches, a form
// that is not canonical) gets its encoding refused, and the honest type keeps its one
// descriptor.
TEST(TypeSegment, EncodingsThatLieAreRefused) {
    g_encodings = lies();
    g_encodings.push_back(node());
    g_liar.clear();
    const auto r = run({{"liar", liar_main, g_encodings.size()}});
    expect_clean(r);
    const std::vector<int64_t> got = g_liar.all();
    ASSERT_EQ(got.size(), g_encodings.size());
    for (size_t i = 0; i + 1 < got.size(); ++i) EXPECT_EQ(got[i], GOOS_BAD_ARGUMENT) << "lie " << i;
    EXPECT_GT(got.back(), 0);
}

// Rule: Go's `==` for a struct skips "_" fields, compares floats as numbers (+0 == -0, NaN
// equals nothing) and strings by their bytes, and compares interfaces by dynamic type then
// value; an interface holding a slice cannot be compared, and says which type. Equal
// values hash equal.
TEST(TypeSegment, EqualityAndHashingFollowTheLayout) {
    g_encodings = {mixed(), int_type(), slice_of_int()};
    const auto r = run({{"types", interner_main, 0}});
    expect_clean(r);
    const goos_go::Type* t = g_desc[0];
    ASSERT_NE(t, nullptr);
    struct Mixed {
        double f;
        int64_t blank;
        goos_go::String s;
        const void* itype;
        const void* idata;
    };
    static const char kAb1[] = "ab", kAb2[] = "ab";
    int64_t seven1 = 7, seven2 = 7;
    Mixed a{0.0, 1, {reinterpret_cast<const uint8_t*>(kAb1), 2}, g_desc[1], &seven1};
    Mixed b{-0.0, 2, {reinterpret_cast<const uint8_t*>(kAb2), 2}, g_desc[1], &seven2};
    const goos_go::Type* bad = nullptr;
    EXPECT_EQ(goos_type_equal(t, &a, &b, &bad), 1);
    EXPECT_EQ(goos_type_hash(t, &a, 99, &bad), goos_type_hash(t, &b, 99, &bad));
    EXPECT_EQ(bad, nullptr);
    seven2 = 8;
    EXPECT_EQ(goos_type_equal(t, &a, &b, &bad), 0);
    seven2 = 7;
    b.f = __builtin_nan("");
    EXPECT_EQ(goos_type_equal(t, &b, &b, &bad), 0);
    b.f = 0;
    b.s.len = 1;
    EXPECT_EQ(goos_type_equal(t, &a, &b, &bad), 0);
    b.s.len = 2;
    goos_go::Slice ints{&seven1, 1, 1};
    a.itype = b.itype = g_desc[2];
    a.idata = b.idata = &ints;
    EXPECT_EQ(goos_type_equal(t, &a, &b, &bad), -1);
    EXPECT_EQ(bad, g_desc[2]);
}

}  // namespace goos_test
