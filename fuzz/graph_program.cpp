// One program of the graphs harness (graph_api.h): the runtime's heap, layout records,
// collector, send walk and channel calls, linked with what start.cpp and the Go compiler would give a
// program (its syscall entry, its type descriptors and root variables) and with a panic
// that ends the program as the runtime's does. Built as a shared library that the harness
// loads once per actor, so that each actor has its own copy of the runtime's state.
#include "graph_api.h"

#include <runtime/barrier.h>
#include <runtime/chantype.h>
#include <runtime/g.h>
#include <runtime/heap_internal.h>
#include <runtime/layout.h>
#include <runtime/stack.h>

namespace goos_rt {
goos_syscall_fn syscall_entry;
const goos_start_info* program_info;
}  // namespace goos_rt

using namespace goos_rt;

namespace {

void (*report_panic)(const char* msg, size_t len);

// The descriptors gccgo would emit for
//     type Node struct { A, B *Node; C chan *Node; S []*Node; V int64 }
// in package main (GOOS_GRAPH_VARIANT: for the variant, graph_api.h): the pointer layout,
// kinds and names are what the collector, the walk and the type encoding (typeid.h) read.
struct Node;
struct NodeSlice {
    Node** ptr;
    intptr_t len, cap;
};
#if GOOS_GRAPH_VARIANT
struct NodeFields {
    int64_t v;
    void* c;
    NodeSlice s;
    void* m;
    void* k;
    Node* b;
    Node* a;
};
constexpr uint8_t kNodeBits[] = {0xe6, 0x01};  // C, S's array, M, K, B and A hold pointers
constexpr uint32_t kNodeHash = 0x6a2e4b18;
#else
struct NodeFields {
    Node* a;
    Node* b;
    void* c;
    NodeSlice s;
    void* m;
    void* k;
    int64_t v;
};
constexpr uint8_t kNodeBits[] = {0xcf, 0x00};  // A, B, C, S's array, M and K hold pointers
constexpr uint32_t kNodeHash = 0x7d1f3a96;
#endif
struct Node : NodeFields {};
static_assert(sizeof(Node) == graphs::kNodeSize);
// The layout records the harness's images give a variable of type Node say what its type
// does: a pointer word where the descriptor's pointer bits have one.
constexpr bool layout_matches(uint64_t layout) {
    for (uint64_t w = 0; w < graphs::kNodeSize / 8; ++w)
        if (((layout >> (2 * w) & 3) == GOOS_LAYOUT_POINTER) != ((kNodeBits[w / 8] >> (w % 8) & 1) != 0)) return false;
    return true;
}
#if GOOS_GRAPH_VARIANT
static_assert(layout_matches(graphs::kVariantNodeLayout));
#else
static_assert(layout_matches(graphs::kNodeLayout));
#endif
constexpr uintptr_t kOffA = __builtin_offsetof(NodeFields, a), kOffB = __builtin_offsetof(NodeFields, b),
                    kOffC = __builtin_offsetof(NodeFields, c), kOffS = __builtin_offsetof(NodeFields, s),
                    kOffM = __builtin_offsetof(NodeFields, m), kOffK = __builtin_offsetof(NodeFields, k),
                    kOffV = __builtin_offsetof(NodeFields, v);
constexpr uint8_t kPtrBits[] = {1};
const uint8_t kNodeName[] = "main.Node", kPtrName[] = "*main.Node", kChanName[] = "chan *main.Node",
              kSliceName[] = "[]*main.Node", kMapName[] = "map[int64]*main.Node",
              kChanMapName[] = "map[int64]chan *main.Node", kInt64Name[] = "int64", kFieldA[] = "A", kFieldB[] = "B",
              kFieldC[] = "C", kFieldS[] = "S", kFieldM[] = "M", kFieldK[] = "K", kFieldV[] = "V";
const uint8_t kNodeShort[] = "Node", kMain[] = "main";
const String node_short{kNodeShort, sizeof kNodeShort - 1}, main_path{kMain, sizeof kMain - 1},
    int64_short{kInt64Name, sizeof kInt64Name - 1};
// Named types have a name and package path (typeid.h identifies types by structure, and
// refers to named ones by these).
const Uncommon node_uncommon{&node_short, &main_path, nullptr, 0, 0},
    int64_uncommon{&int64_short, nullptr, nullptr, 0, 0};
const String node_name{kNodeName, sizeof kNodeName - 1}, ptr_name{kPtrName, sizeof kPtrName - 1},
    chan_name{kChanName, sizeof kChanName - 1}, slice_name{kSliceName, sizeof kSliceName - 1},
    map_name{kMapName, sizeof kMapName - 1}, chan_map_name{kChanMapName, sizeof kChanMapName - 1},
    int64_name{kInt64Name, sizeof kInt64Name - 1}, field_a{kFieldA, 1}, field_b{kFieldB, 1}, field_c{kFieldC, 1},
    field_s{kFieldS, 1}, field_m{kFieldM, 1}, field_k{kFieldK, 1}, field_v{kFieldV, 1};

// int64's equality and hash as func values (the compiler's runtime.memequal64..f and
// runtime.memhash64..f), which a map's key type and hasher call.
bool int64_equal(const void* p, const void* q) {
    return *static_cast<const int64_t*>(p) == *static_cast<const int64_t*>(q);
}
uintptr_t int64_hash(const void* p, uintptr_t seed) {
    return mem_hash(p, seed, 8);
}
const void* const int64_equal_f[1] = {reinterpret_cast<const void*>(&int64_equal)};
const void* const int64_hash_f[1] = {reinterpret_cast<const void*>(&int64_hash)};

extern const StructType node_type;
extern const PtrType node_ptr_type;
const Type int64_type{8, 0, 0x1c1b0a33, 0, 8, 8, kInt64, int64_equal_f, nullptr, &int64_name, &int64_uncommon, nullptr};
const ChanType chan_type{
    {8, 8, 0x5b2a11c7, 0, 8, 8, kChan | kKindDirectIface, nullptr, kPtrBits, &chan_name, nullptr, nullptr},
    &node_ptr_type.common,
    3};
const PtrType node_ptr_type{
    {8, 8, 0x2f6c9e01, 0, 8, 8, kPtr | kKindDirectIface, nullptr, kPtrBits, &ptr_name, nullptr, nullptr},
    &node_type.common};
// An unnamed composite type: []*Node (its arrays are allocated as makeslice does, with the
// element's type).
const SliceType slice_type{{24, 8, 0x41d3c2a9, 0, 8, 8, kSlice, nullptr, kPtrBits, &slice_name, nullptr, nullptr},
                           &node_ptr_type.common};
// map[int64]E as the compiler emits it (map.cpp: its tables carry layout records, which
// every walk reads): map[int64]*Node, and map[int64]chan *Node, whose entries' values are
// channels that every walk hands over.
constexpr MapType int64_map(uint32_t hash, const String* name, const Type* elem) {
    return MapType{{8, 8, hash, 0, 8, 8, kMap | kKindDirectIface, nullptr, kPtrBits, name, nullptr, nullptr},
                   &int64_type,
                   elem,
                   nullptr,
                   int64_hash_f,
                   8,
                   8,
                   0,
                   0};
}
const MapType map_type = int64_map(0x3b9e5d21, &map_name, &node_ptr_type.common);
const MapType chan_map_type = int64_map(0x3b9e5d22, &chan_map_name, &chan_type.common);
// In declaration order, which is the order of their offsets.
#if GOOS_GRAPH_VARIANT
const StructField node_fields[7] = {
    {&field_v, nullptr, &int64_type, nullptr, kOffV << 1},
    {&field_c, nullptr, &chan_type.common, nullptr, kOffC << 1},
    {&field_s, nullptr, &slice_type.common, nullptr, kOffS << 1},
    {&field_m, nullptr, &map_type.common, nullptr, kOffM << 1},
    {&field_k, nullptr, &chan_map_type.common, nullptr, kOffK << 1},
    {&field_b, nullptr, &node_ptr_type.common, nullptr, kOffB << 1},
    {&field_a, nullptr, &node_ptr_type.common, nullptr, kOffA << 1},
};
constexpr uintptr_t kPtrData = 72;
#else
const StructField node_fields[7] = {
    {&field_a, nullptr, &node_ptr_type.common, nullptr, kOffA << 1},
    {&field_b, nullptr, &node_ptr_type.common, nullptr, kOffB << 1},
    {&field_c, nullptr, &chan_type.common, nullptr, kOffC << 1},
    {&field_s, nullptr, &slice_type.common, nullptr, kOffS << 1},
    {&field_m, nullptr, &map_type.common, nullptr, kOffM << 1},
    {&field_k, nullptr, &chan_map_type.common, nullptr, kOffK << 1},
    {&field_v, nullptr, &int64_type, nullptr, kOffV << 1},
};
constexpr uintptr_t kPtrData = 64;
#endif
const StructType node_type{{graphs::kNodeSize, kPtrData, kNodeHash, 0, 8, 8, kStruct, nullptr, kNodeBits, &node_name,
                            &node_uncommon, &node_ptr_type.common},
                           node_fields,
                           7,
                           7};

// The package's type list as registerTypeDescriptors would record it (types.cpp).
const uintptr_t type_list[] = {2, reinterpret_cast<uintptr_t>(&node_ptr_type), reinterpret_cast<uintptr_t>(&chan_type)};
const uintptr_t* const type_lists[] = {type_list};

// The program's package variables: what its collector scans as roots (scan_data).
Node* roots[graphs::kRoots];
Node* vars[graphs::kVars];  // &G[i]: the image's variables, roots for as long as it runs
Node** pending_array;       // make_array's, until set_slice stores it
void* pending_map;          // make_map's, until set_map stores it
Node* sending;              // go_send's value, until its send returns
// Every channel the harness has the program make, use or take out of a node, as a Go
// program keeps in its variables the channels it goes on using: a collection that reached
// none of them would let go of them (DESIGN.md, "Channels"), and the harness may use any
// again. A script has fewer operations than this has room for. Volatile: nothing in the
// program reads the array, and a compiler may otherwise drop the stores (g++ did, and the
// channels were let go).
volatile uint64_t chans_used[64];
uint32_t nchans_used;
uint64_t used(uint64_t ch) {
    if (ch && nchans_used < sizeof chans_used / sizeof chans_used[0]) chans_used[nchans_used++] = ch;
    return ch;
}

Node*& field(Node* n, int f) {
    return f == 0 ? n->a : n->b;
}

// A message the kernel reads must lie in the caller's memory: its stack will do.
[[noreturn]] void end_with_panic(const char* msg, size_t len) {
    char text[256];
    if (len > sizeof text) len = sizeof text;
    __builtin_memcpy(text, msg, len);
    if (report_panic) report_panic(text, len);
    sys(GOOS_SYS_panic, u(text), len, 0, 0);
    __builtin_trap();
}

// The type segment's chan *Node (start), which makechan is given.
const ChanType* bound_chan_type;

void start(const goos_start_info* info, void (*on_panic)(const char*, size_t), const Type* chan_type) {
    bound_chan_type = reinterpret_cast<const ChanType*>(chan_type);
    syscall_entry = info->syscall;
    program_info = info;
    report_panic = on_panic;
    heap_init(info->pool_base, info->pool_pages);
    layout_init(info);
    barrier_init(info);
}

uint64_t alloc(int slot) {
    roots[slot] = static_cast<Node*>(heap_alloc(sizeof(Node), &node_type.common));
    return u(roots[slot]);
}

// Stores into a node go through the write barrier, as gccgo's code does.
void link(int from, int f, int to) {
    barrier_store_word(reinterpret_cast<uintptr_t*>(&field(roots[from], f)), to < 0 ? 0 : u(roots[to]));
}
void follow(int from, int f, int to) {
    roots[to] = field(roots[from], f);
}
void drop(int slot) {
    roots[slot] = nullptr;
}
uint64_t root(int slot) {
    return u(roots[slot]);
}
void set_vars(uint64_t first) {
    for (int i = 0; i < graphs::kVars; ++i) vars[i] = reinterpret_cast<Node*>(first + i * sizeof(Node));
}
void var_root(int slot, int i) {
    roots[slot] = vars[i];
}
void set_chan(int slot, uint64_t ch) {
    barrier_store_word(reinterpret_cast<uintptr_t*>(&roots[slot]->c), used(ch));
}
uint64_t get_chan(int slot) {
    return used(u(roots[slot]->c));
}

// As makeslice allocates: the array's type word is its element's.
uint64_t make_array(int n) {
    pending_array = static_cast<Node**>(heap_alloc(sizeof(Node*) * n, &node_ptr_type.common));
    return u(pending_array);
}
// The slice's pointer word through the barrier, its length and capacity plainly (gccgo's
// stores of a slice into the heap).
void set_slice(int slot, int n) {
    NodeSlice& s = roots[slot]->s;
    barrier_store_word(reinterpret_cast<uintptr_t*>(&s.ptr), u(pending_array));
    s.len = s.cap = n;
    pending_array = nullptr;
}
void slice_set(int from, int i, int to) {
    barrier_store_word(reinterpret_cast<uintptr_t*>(&roots[from]->s.ptr[i]), to < 0 ? 0 : u(roots[to]));
}
void slice_get(int from, int i, int to) {
    roots[to] = roots[from]->s.ptr[i];
}

}  // namespace

// The runtime's map calls (map.cpp), by their Go names.
extern "C" {
void* rt_makemap_small() GO_SYM("runtime.makemap__small");
void* rt_mapassign_fast64(const MapType* t, void* m, uint64_t key) GO_SYM("runtime.mapassign__fast64");
void* rt_mapaccess1_fast64(const MapType* t, void* m, uint64_t key) GO_SYM("runtime.mapaccess1__fast64");
void rt_mapdelete_fast64(const MapType* t, void* m, uint64_t key) GO_SYM("runtime.mapdelete__fast64");
}

namespace {

uint64_t make_map() {
    pending_map = rt_makemap_small();
    return u(pending_map);
}
void set_map(int slot, bool chans) {
    barrier_store_word(reinterpret_cast<uintptr_t*>(chans ? &roots[slot]->k : &roots[slot]->m), u(pending_map));
    pending_map = nullptr;
}
// The value's store is the compiled code's, through the barrier, into the slot mapassign
// gives.
void map_put(int from, int64_t key, int to) {
    void* slot = rt_mapassign_fast64(&map_type, roots[from]->m, static_cast<uint64_t>(key));
    barrier_store_word(static_cast<uintptr_t*>(slot), to < 0 ? 0 : u(roots[to]));
}
void map_get(int from, int64_t key, int to) {
    roots[to] = *static_cast<Node**>(rt_mapaccess1_fast64(&map_type, roots[from]->m, static_cast<uint64_t>(key)));
}
void map_delete(int from, int64_t key) {
    rt_mapdelete_fast64(&map_type, roots[from]->m, static_cast<uint64_t>(key));
}
void chan_map_put(int from, int64_t key, uint64_t ch) {
    void* slot = rt_mapassign_fast64(&chan_map_type, roots[from]->k, static_cast<uint64_t>(key));
    barrier_store_word(static_cast<uintptr_t*>(slot), used(ch));
}
uint64_t chan_map_get(int from, int64_t key) {
    return used(
        *static_cast<uint64_t*>(rt_mapaccess1_fast64(&chan_map_type, roots[from]->k, static_cast<uint64_t>(key))));
}
// map.cpp's header: count, then its entry array and index (whose offsets it asserts),
// then the entries allotted and used.
graphs::MapTables map_tables(uint64_t m) {
    const auto* w = reinterpret_cast<const uint64_t*>(m);
    const auto* h = reinterpret_cast<const uint32_t*>(m + 24);
    return graphs::MapTables{w[1], w[2], h[0], h[1]};
}

}  // namespace

// The runtime's channel calls (chan.cpp), by their Go names.
extern "C" {
void* rt_makechan(const ChanType* t, intptr_t size) GO_SYM("runtime.makechan");
bool rt_selectnbsend(void* c, const void* elem) GO_SYM("runtime.selectnbsend");
void rt_chansend1(void* c, const void* elem) GO_SYM("runtime.chansend1");
struct NbRecv {
    bool selected;
    bool received;
};
NbRecv rt_selectnbrecv(void* elem, void* c) GO_SYM("runtime.selectnbrecv");
void rt_closechan(void* c) GO_SYM("runtime.closechan");
int64_t goos_lookup(String name, int64_t timeout, Eface* out) GO_SYM("goos.lookup");
}

namespace {

uint64_t make_chan(int64_t cap) {
    return used(u(rt_makechan(bound_chan_type, cap)));
}

int64_t lookup(const char* name, size_t len, uint64_t* ch) {
    Eface found{};
    const int64_t r =
        goos_lookup(String{reinterpret_cast<const uint8_t*>(name), static_cast<intptr_t>(len)}, 0, &found);
    if (r != 0) return r;
    // The program's `.(chan *Node)`: the other Node type's channel is another type.
    if (found.type != &bound_chan_type->common)
        go_panic(kTypeAssertion, "interface conversion: interface {} is chan *main.Node, not chan *main.Node");
    *ch = used(u(found.data));
    return r;
}

// The element is a local, as gccgo passes it: the kernel copies values from the caller's
// stack or pages.
bool send(uint64_t ch, int slot) {
    used(ch);
    Node* v = roots[slot];
    return rt_selectnbsend(reinterpret_cast<void*>(ch), &v);
}

void go_send(uint64_t ch, int slot) {
    used(ch);
    sending = roots[slot];
    Node* v = sending;
    rt_chansend1(reinterpret_cast<void*>(ch), &v);
    sending = nullptr;
}

int recv(uint64_t ch, int slot) {
    used(ch);
    Node* v = nullptr;
    const NbRecv r = rt_selectnbrecv(&v, reinterpret_cast<void*>(ch));
    if (!r.selected) return -1;
    roots[slot] = v;
    return r.received ? 1 : 0;
}

void close(uint64_t ch) {
    used(ch);
    rt_closechan(reinterpret_cast<void*>(ch));
}
void collect() {
    heap_collect();
}
void forget_chans() {
    for (volatile uint64_t& ch : chans_used) ch = 0;
    nchans_used = 0;
}

// Whether the object at addr is one of this program's slots, which only it may free.
bool owns(uint64_t addr) {
    heap.lock.lock();
    Span* s = span_of(addr);
    const bool mine = s && s->slot_of(addr) < s->nslots && s->allocated(s->slot_of(addr));
    heap.lock.unlock();
    return mine;
}

const graphs::Program program{start,        &chan_type, alloc,        link,     follow,     drop,       root,
                              set_vars,     var_root,   set_chan,     get_chan, make_array, set_slice,  slice_set,
                              slice_get,    make_map,   set_map,      map_put,  map_get,    map_delete, chan_map_put,
                              chan_map_get, map_tables, make_chan,    send,     go_send,    recv,       close,
                              lookup,       collect,    forget_chans, owns};

}  // namespace

extern "C" __attribute__((visibility("default"))) const graphs::Program* goos_graph_program() {
    return &program;
}

// What the rest of the runtime gives these files, as a program's runtime does it.
// A key type whose hash panics names the type (hash.cpp); int64's never does.
void goos_rt::type_name(Fmt& f, const Type* t) {
    if (t && t->string) f.str(t->string->ptr, t->string->len);
}
// Node holds no interfaces, so a receive never rebinds a method table (iface.cpp).
extern "C" void* rt_requireitab(const Type*, const Type*) __asm__("runtime.requireitab");
void* rt_requireitab(const Type*, const Type*) {
    fatal_panic("graph program: an interface was rebound");
}
// An actor is a shared library, not a goos build image: no bounds are linked around its
// runtime's variables (tools/goos-rtdata.S), so both ranges are empty.
__asm__(
    ".section .rodata\n"
    ".globl goos_rt_data_begin, goos_rt_data_end, goos_rt_bss_begin, goos_rt_bss_end\n"
    ".hidden goos_rt_data_begin, goos_rt_data_end, goos_rt_bss_begin, goos_rt_bss_end\n"
    "goos_rt_data_begin:\ngoos_rt_data_end:\ngoos_rt_bss_begin:\ngoos_rt_bss_end:\n"
    ".byte 0\n"
    ".previous\n");
extern "C" intptr_t goos_rt_ntype_lists;
extern "C" void* goos_rt_type_lists;
intptr_t goos_rt_ntype_lists = 1;
void* goos_rt_type_lists = const_cast<uintptr_t**>(type_lists);

namespace goos_rt {

[[noreturn]] void fatal_panic(const char* msg, size_t len) {
    end_with_panic(msg, len);
}
[[noreturn]] void fatal_panic(const char* msg) {
    end_with_panic(msg, cstrlen(msg));
}
// No defer or recover in these programs: every panic is unrecovered.
[[noreturn]] void go_panic(PanicKind, const char* msg, size_t len) {
    end_with_panic(msg, len);
}
[[noreturn]] void go_panic(PanicKind kind, const char* msg) {
    go_panic(kind, msg, cstrlen(msg));
}
[[noreturn]] void runtime_error(const char* msg) {
    go_panic(kRuntimeError, msg);
}
// These programs start no goroutines (chan.cpp's go statement is not used).
void g_register(G*) {
    fatal_panic("graph program: a goroutine started");
}
void g_unregister(G*) {}
void g_register_main() {}
// chan.cpp's goroutine_exit, which these programs never reach, asks it.
bool g_is_main(const G*) {
    return true;
}
void stack_release_all(G*) {}
bool stack_scan_segments(void (*)(uintptr_t, uintptr_t)) {
    return true;
}

}  // namespace goos_rt
