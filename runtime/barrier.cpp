// The write barrier (DESIGN.md, "Stores into shared objects expose"): every pointer store
// gccgo emits into memory that may be the heap, and the runtime's own typed copies, go
// through the kernel's restartable fast paths (start info barrier_store, barrier_copy),
// which store unless the destination's page is shared. On a shared page the slow path
// walks what is stored and hands it, with the store itself, to the barrier_store syscall,
// which grants it to everyone else who may read the destination before it stores.
#include "barrier.h"

#include "heap.h"
#include "transfer.h"

using namespace goos_rt;

namespace goos_rt {
namespace {

uint64_t (*fast_copy)(uint64_t* dst, const uint64_t* src, uint64_t nwords);

// The slow path's store: `len` bytes from src to dst, after the grant of what
// prepare(out, mode) describes (a walk, again while the kernel finds it stale).
template <class Prepare>
void slow_store(void* dst, const void* src, uintptr_t len, Prepare prepare) {
    Outgoing out;
    const int64_t r = transfer_retrying([&](WalkMode& mode) {
        return sys(GOOS_SYS_barrier_store, reinterpret_cast<uint64_t>(dst), reinterpret_cast<uint64_t>(src), len,
                   reinterpret_cast<uint64_t>(prepare(&out, mode)));
    });
    if (r == GOOS_OK) return;
    if (r == GOOS_CODE_VALUE)
        go_panic(kPlainError,
                 "store of a func value into an object another program may read (only data crosses programs)");
    if (r == GOOS_NO_MEMORY) fatal_panic("runtime: out of memory");
    fatal_panic("runtime: the kernel refused a write barrier's store");
}

// n values of type t from src to dst (dst below src when they overlap, or apart).
void copy_forward(const Type* t, uint64_t* dst, const uint64_t* src, uintptr_t n) {
    const uintptr_t words = t->size * n / 8;
    const uintptr_t done = fast_copy(dst, src, words);
    if (done == words) return;
    // The whole value is walked (what was copied already went to pages no one else held).
    slow_store(dst + done, src + done, (words - done) * 8,
               [&](Outgoing* out, WalkMode& mode) { return transfer_prepare_values(t, src, n, out, mode); });
}

}  // namespace

}  // namespace goos_rt

extern "C" {
// The kernel's store fast path, which gcWriteBarrier jumps to (defined with it, below).
extern void (*goos_rt_fast_store)(uint64_t* dst, uint64_t value, void (*slow)(uint64_t*, uint64_t));

// The slow path of a word's store: the walk of what is stored, read by the destination's
// layout record, and the syscall that grants it and stores.
__attribute__((visibility("hidden"))) void goos_rt_barrier_slow_word(uint64_t* dst, uint64_t value) {
    slow_store(dst, &value, sizeof value, [&](Outgoing* out, WalkMode& mode) {
        return transfer_prepare_word(reinterpret_cast<uintptr_t>(dst), value, out, mode);
    });
}
}

// runtime.gcWriteBarrier(dst, src), which gccgo calls for every pointer store that may
// reach the heap and which must do the store: straight into the kernel's fast path, with
// the slow path as its third argument, so that a store to a page no one else holds
// returns to Go code from the kernel's sequence.
asm(R"(
  .bss
  .balign 8
  .globl goos_rt_fast_store
  .hidden goos_rt_fast_store
goos_rt_fast_store: .zero 8
  .text
  .globl runtime.gcWriteBarrier
  .type runtime.gcWriteBarrier, @function
runtime.gcWriteBarrier:
  lea goos_rt_barrier_slow_word(%rip), %rdx
  jmp *goos_rt_fast_store(%rip)
  .size runtime.gcWriteBarrier, .-runtime.gcWriteBarrier
)");

namespace goos_rt {

void barrier_init(const goos_start_info* info) {
    goos_rt_fast_store = info->barrier_store;
    fast_copy = info->barrier_copy;
}

void barrier_copy(const Type* t, void* dst, const void* src, uintptr_t n) {
    if (dst == src || n == 0 || t->size == 0) return;
    const uintptr_t bytes = t->size * n;
    if (t->ptrdata == 0 || (reinterpret_cast<uintptr_t>(dst) | reinterpret_cast<uintptr_t>(src) | bytes) % 8) {
        __builtin_memmove(dst, src, bytes);
        return;
    }
    auto* d = static_cast<uint64_t*>(dst);
    const auto* s = static_cast<const uint64_t*>(src);
    if (d < s || d >= s + bytes / 8) {
        copy_forward(t, d, s, n);
        return;
    }
    // Overlapping with the destination above: highest word first, as memmove goes.
    // One word at a time by the copy fast path, so that a word on a shared page stops it.
    for (uintptr_t i = bytes / 8; i-- > 0;) {
        if (fast_copy(d + i, s + i, 1) == 1) continue;
        slow_store(d, s, (i + 1) * 8,
                   [&](Outgoing* out, WalkMode& mode) { return transfer_prepare_values(t, src, n, out, mode); });
        return;
    }
}

void barrier_store_word(uintptr_t* dst, uintptr_t value) {
    goos_rt_fast_store(reinterpret_cast<uint64_t*>(dst), value, goos_rt_barrier_slow_word);
}

}  // namespace goos_rt

extern "C" {

void rt_typedmemmove(const Type* t, void* dst, const void* src) GO_SYM("runtime.typedmemmove");
intptr_t rt_typedslicecopy(const Type* et, void* dst, intptr_t dst_len, const void* src, intptr_t src_len)
    GO_SYM("runtime.typedslicecopy");

// The flag gccgo tests before every pointer store that may reach the heap: on from the
// start, so that every such store reaches gcWriteBarrier. (Off only in the runtime that
// bench/ builds to measure the barrier's cost: tools/goos-build, GOOS_NO_BARRIER.)
#ifdef GOOS_NO_BARRIER
constexpr uint32_t kBarrierOn = 0;
#else
constexpr uint32_t kBarrierOn = 1;
#endif
struct {
    uint32_t enabled;
    uint8_t pad[4];
    uint64_t alignme;
} rt_writeBarrier GO_SYM("runtime.writeBarrier") __attribute__((aligned(8))) = {kBarrierOn, {}, 0};

void rt_typedmemmove(const Type* t, void* dst, const void* src) {
    barrier_copy(t, dst, src, 1);
}

// copy() of slices whose elements hold pointers (the others become memmove): the count.
intptr_t rt_typedslicecopy(const Type* et, void* dst, intptr_t dst_len, const void* src, intptr_t src_len) {
    const intptr_t n = dst_len < src_len ? dst_len : src_len;
    if (n > 0) barrier_copy(et, dst, src, static_cast<uintptr_t>(n));
    return n;
}

}  // extern "C"
