// What the graphs harness (fuzz/graphs.cpp) asks of each of its programs
// (fuzz/graph_program.cpp): a program built from the runtime's own heap, layout records,
// collector, send walk and channel calls (runtime/heap.cpp, layout.cpp, gc.cpp,
// transfer.cpp, chantype.cpp, chan.cpp, print.cpp, map.cpp, hash.cpp, goos.cpp), loaded
// once per actor so that each has its own heap; the actor's process itself is loaded from
// an image whose data holds the program's package variables G (kVars).
//
// A program keeps kRoots root variables (package variables, scanned by its collector) of
// type *Node, where Node is the Go type
//     type Node struct {
//         A, B *Node; C chan *Node; S []*Node; M map[int64]*Node; K map[int64]chan *Node; V int64
//     }
// and every call acts on them as Go code would. S's arrays are of the unnamed type
// [n]*Node. The program of the last actor (kVariantActor) declares a Node of the same
// name with other fields,
//     type Node struct {
//         V int64; C chan *Node; S []*Node; M map[int64]*Node; K map[int64]chan *Node; B, A *Node
//     }
// another type (types match by structure, not by name): its channels are of another type.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <kernel/abi.h>

namespace graphs {

constexpr int kRoots = 8;
constexpr int kVariantActor = 3;
constexpr uint64_t kNodeSize = 72;
// Each program's package variables of type Node (var G [kVars]Node), which lie in its image
// as the kernel's loader placed it: their layout records are the image's (.goos.vars, two
// bits a word as abi.h's GOOS_LAYOUT_*), as goos build makes them from a program's DWARF.
constexpr int kVars = 2;
constexpr uint64_t kNodeLayout = 0x5055;          // A, B, C, S's array, M and K: pointers
constexpr uint64_t kVariantNodeLayout = 0x15414;  // C, S's array, M, K, B and A

// A map's tables as its header names them (map.cpp): its entry array (0 before the first
// assignment) and index, the entries allotted and those used (live or deleted).
struct MapTables {
    uint64_t entries, index;
    uint32_t cap, used;
};
constexpr int kMaxSlice = 4;

struct Program {
    // The program's start (start.cpp's part): the syscall entry, the pool its heap's tables
    // cover, where an unrecovered panic is reported before the program ends, and the type
    // segment's descriptor for its channel type (the harness binds chan_type, below, as the
    // loader binds an image's descriptors).
    void (*start)(const goos_start_info* info, void (*on_panic)(const char* msg, size_t len),
                  const goos_go::Type* chan_type);
    const void* chan_type;  // the library's own descriptor for chan *Node
    // roots[slot] = &Node{}; the new object's address.
    uint64_t (*alloc)(int slot);
    // roots[from].A (field 0) or .B (field 1) = roots[to], or nil for to < 0.
    void (*link)(int from, int field, int to);
    // roots[to] = roots[from].A or .B.
    void (*follow)(int from, int field, int to);
    // roots[slot] = nil.
    void (*drop)(int slot);
    uint64_t (*root)(int slot);
    // Where the program's variables G[0..kVars) lie (its image's data, which the harness's
    // loader placed); roots[slot] = &G[i].
    void (*set_vars)(uint64_t first);
    void (*var_root)(int slot, int i);
    // roots[slot].C = ch; roots[slot].C.
    void (*set_chan)(int slot, uint64_t ch);
    uint64_t (*get_chan)(int slot);
    // roots[slot].S = make([]*Node, n), in two steps: the new array's address (kept in a
    // variable of the program's until stored), then the store.
    uint64_t (*make_array)(int n);
    void (*set_slice)(int slot, int n);
    // roots[from].S[i] = roots[to], or nil for to < 0; roots[to] = roots[from].S[i].
    void (*slice_set)(int from, int i, int to);
    void (*slice_get)(int from, int i, int to);
    // roots[slot].M = make(map[int64]*Node), or .K = make(map[int64]chan *Node) for
    // `chans`, in two steps as make_array and set_slice.
    uint64_t (*make_map)();
    void (*set_map)(int slot, bool chans);
    // roots[from].M[key] = roots[to] (nil for to < 0); roots[to] = roots[from].M[key];
    // delete(roots[from].M, key).
    void (*map_put)(int from, int64_t key, int to);
    void (*map_get)(int from, int64_t key, int to);
    void (*map_delete)(int from, int64_t key);
    // roots[from].K[key] = ch; roots[from].K[key].
    void (*chan_map_put)(int from, int64_t key, uint64_t ch);
    uint64_t (*chan_map_get)(int from, int64_t key);
    MapTables (*map_tables)(uint64_t m);
    // make(chan *Node, cap).
    uint64_t (*make_chan)(int64_t cap);
    // select { case ch <- roots[slot]: true; default: false }
    bool (*send)(uint64_t ch, int slot);
    // go func(v *Node) { ch <- v }(roots[slot]), the goroutine's part: the caller is the
    // program's second thread, which blocks until the value is taken (the program keeps v
    // in a variable of its own meanwhile, as the goroutine's stack would).
    void (*go_send)(uint64_t ch, int slot);
    // select { case roots[slot], ok = <-ch: 1 if ok else 0; default: -1 }
    int (*recv)(uint64_t ch, int slot);
    void (*close)(uint64_t ch);
    // ch, ok := goos.Lookup(name).(chan *Node) without waiting (package goos): the status
    // (NOT_FOUND), else 0 with the channel in *ch; a channel of another type panics.
    int64_t (*lookup)(const char* name, size_t len, uint64_t* ch);
    // runtime.GC().
    void (*collect)();
    // The program stops keeping the channels it used (graph_program.cpp's chans_used), as a
    // Go program drops the variables that held them: its next collection lets go of those
    // it no longer reaches, and a channel no one holds dies with the messages in it.
    void (*forget_chans)();
    // Whether a slot of the program's own heap holds an object at addr (only it frees one).
    bool (*owns)(uint64_t addr);
};

}  // namespace graphs

extern "C" const graphs::Program* goos_graph_program();
