// The syscall ABI: the one header that programs and the runtime share with the kernel.
// Plain C layout so Go's runtime, C++ test programs and the kernel agree on it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "gotype.h"

// X-macro list of syscalls: name, number of arguments. The kernel builds its one dispatch
// table from this list; numbers are positions in it and never change meaning.
#define GOOS_SYSCALLS(X) \
    X(thread_spawn, 2)   \
    X(thread_exit, 0)    \
    X(yield, 0)          \
    X(sleep, 1)          \
    X(now, 0)            \
    X(chan_make, 3)      \
    X(chan_send, 4)      \
    X(chan_recv, 3)      \
    X(chan_close, 1)     \
    X(select, 4)         \
    X(publish, 3)        \
    X(lookup, 3)         \
    X(page_alloc, 1)     \
    X(page_release, 1)   \
    X(mark_begin, 0)     \
    X(mark_end, 2)       \
    X(console_write, 2)  \
    X(exit, 1)           \
    X(panic, 4)          \
    X(getpid, 0)         \
    X(watch, 1)          \
    X(console_read, 3)   \
    X(pause_others, 1)   \
    X(thread_stacks, 2)  \
    X(fault_entry, 2)    \
    X(fault_handled, 0)  \
    X(type_intern, 2)    \
    X(type_info, 3)      \
    X(barrier_store, 4)  \
    X(collect_wait, 1)   \
    X(charged, 0)        \
    X(chan_peek, 3)      \
    X(chan_seal, 2)      \
    X(chan_roots, 2)     \
    X(walk_join, 2)      \
    X(method_table, 2)   \
    X(method_info, 3)

enum goos_sysno : uint32_t {
#define GOOS_X(name, nargs) GOOS_SYS_##name,
    GOOS_SYSCALLS(GOOS_X)
#undef GOOS_X
        GOOS_SYS_COUNT
};

// Status codes: a syscall returns a value >= 0 or one of these.
#define GOOS_STATUSES(X)                                                     \
    X(OK, 0, "ok")                                                           \
    X(BAD_SYSCALL, -1, "no such syscall")                                    \
    X(BAD_HANDLE, -2, "not a channel this process holds")                    \
    X(BAD_ADDRESS, -3, "pointer outside the caller's memory")                \
    X(BAD_SIZE, -4, "size out of range")                                     \
    X(CLOSED, -5, "channel is closed")                                       \
    X(WOULD_BLOCK, -6, "operation would block")                              \
    X(NAME_TAKEN, -7, "name already published")                              \
    X(NOT_FOUND, -8, "no such name or process")                              \
    X(TIMED_OUT, -9, "deadline passed")                                      \
    X(NO_MEMORY, -10, "out of memory")                                       \
    X(NIL_CHANNEL, -11, "nil channel")                                       \
    X(NOT_OWNER, -12, "not the caller's own page")                           \
    X(BAD_ARGUMENT, -13, "invalid argument")                                 \
    X(BAD_IMAGE, -14, "malformed program image")                             \
    X(CODE_VALUE, -15, "a func value cannot go to another program")          \
    X(RETRY, -16, "memory the walk read may have changed since: walk again") \
    X(UNWALKED, -17, "a channel it would share holds values no walk read: seal them")

enum goos_status : int64_t {
#define GOOS_X(name, value, text) GOOS_##name = value,
    GOOS_STATUSES(GOOS_X)
#undef GOOS_X
};

constexpr uint64_t GOOS_PAGE_SIZE = 4096;
// Split stacks (runtime/stack.h): a thread's limit, which Go code's prologues compare with
// %fs:0x70, lies this many bytes above the bottom of its stack or segment. What runs below
// it unchecked needs the room: __morestack and what it calls, an interrupt's or a signal's
// frame, and the kernel entered from there (it is not built for split stacks, and runs from
// the caller's frame down). The kernel keeps each thread's limit with its context and puts
// it at %fs:0x70 whenever it switches threads.
constexpr uint64_t GOOS_STACK_RESERVE = 32768;
constexpr uint32_t GOOS_MAX_ELEM = 65536;  // Go's limit on channel element size
constexpr int64_t GOOS_MAX_CAP = 1 << 20;
constexpr uint32_t GOOS_MAX_SELECT = 65536;  // Go's limit on a select's cases
constexpr uint32_t GOOS_MAX_NAME = 63;
// Pages or channels named by one description or joined by one walk: more than the largest
// pool has pages (1 TiB, 2^28 pages), so memory is the limit (a record is charged to its
// maker); this one keeps the sum of a commit's parts within 32-bit counts.
constexpr uint32_t GOOS_MAX_TRANSFER = 1u << 30;

// type_intern(enc, len) -> tag; type_info(tag, buf, len) -> the encoding's length, with up
// to len bytes of it copied to buf (kernel/types.h). method_table(inter, type) -> the type
// segment's method table of type as the interface inter, whose slots are stubs that run
// the running program's methods (kernel/methods.h); NOT_FOUND when the caller has no
// method of one of the interface's identities. method_info(slot, buf, len) -> the length
// of a line naming a method slot's type and method, with up to len bytes of it in buf. The encoding (kernel/typedesc.h)
// starts with its version and a flags byte; the runtime writes it (runtime/typeid.cpp) and the kernel checks it,
// compares it in full and derives the type's one descriptor from it.
constexpr uint8_t GOOS_TYPE_ENC_VERSION = 2;
constexpr uint8_t GOOS_TYPE_ENC_POINTERS = 1;  // flags: a channel type whose values hold pointers
constexpr uint32_t GOOS_MAX_TYPE_ENCODING = 1 << 20;
constexpr uint64_t GOOS_TYPE_TAG_POINTERS = 2;  // in a tag: the flag above
// FNV-1a over an encoding: where the kernel's table and a runtime's caches look first; a
// match is always confirmed by comparing the bytes.
inline uint64_t goos_type_encoding_hash(const uint8_t* p, uint64_t n) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (uint64_t i = 0; i < n; ++i) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

// Layout records (DESIGN.md, "Layout records"): two bits per word of every pool page, in
// one array indexed by (address - pool_base) / 8 (so one record page covers 32 pool
// pages), and a head per pool page (one page of heads covers 256), both at addresses the
// start info gives. A heap page's origin writes them: the head when it makes a span, the
// bits when it hands out a slot; the kernel clears a page's head whenever it hands the page
// out, and marks the pages of channel headers. Every walk and mark reads them, for another
// program's objects as for its own.
constexpr uint64_t GOOS_LAYOUT_SCALAR = 0;
constexpr uint64_t GOOS_LAYOUT_POINTER = 1;  // a pointer, or a word that may be one
constexpr uint64_t GOOS_LAYOUT_TYPE = 2;     // an interface's first word: a method table or type descriptor
constexpr uint64_t GOOS_LAYOUT_FUNC = 3;     // a func value
// A head's first word: the span's first byte (page-aligned) with these flags in its low bits.
constexpr uint64_t GOOS_LAYOUT_SPAN = 1;      // the page is part of a heap span
constexpr uint64_t GOOS_LAYOUT_CHANNELS = 2;  // the page holds channel headers (the kernel's)
// The page is part of an image's writable data (its package variables), whose objects are
// its variables that hold pointers: the head's slot_size is then the pool page index of
// the image's variable table (goos_image_vars), and base and span_pages bound the data.
// The kernel counts a store into image data as a store into a walked object.
constexpr uint64_t GOOS_LAYOUT_IMAGE = 4;
// The page is part of an image's read-only data (its constants, string literals, type
// descriptors and method tables, from the end of its code to the end of its relocated
// read-only data): one unit, which whoever reaches any byte of holds whole (DESIGN.md,
// "Layout records"). base and span_pages bound the unit; the loader writes these heads.
constexpr uint64_t GOOS_LAYOUT_IMAGE_RO = 8;
constexpr uint64_t GOOS_LAYOUT_FLAGS = GOOS_PAGE_SIZE - 1;
struct goos_layout_head {
    uint64_t base_flags;  // the span's first byte | flags
    uint32_t slot_size;   // its slots' size; 0 for a span of one slot, as large as the span
    uint32_t span_pages;  // the span's length in pages
};
// An image's variable table: a uint64_t count, then that many goos_image_var sorted by
// start, none overlapping, on pages of their own after the image's function table. The
// loader writes it, and the variables' layout bits, from the image's `.goos.vars`
// section (below): the variables that hold pointers, type words or func values.
struct goos_image_var {
    uint64_t start, size;
};

// The layout records of an image's package variables, which `goos build` makes from the
// image's DWARF (tools/goos-vars) into a section named ".goos.vars" that is not loaded: a
// goos_vars_header, then `count` variables in order of address, none overlapping, each a
// goos_vars_entry followed by (size / 8 + 31) / 32 words of two bits per word of the
// variable (GOOS_LAYOUT_*, word i at bits 2 * (i % 32) of word i / 32). The loader refuses
// an image without it, or with a variable outside the writable segments.
constexpr uint32_t GOOS_VARS_MAGIC = 0x53524156;  // "VARS"
struct goos_vars_header {
    uint32_t magic, count;
};
struct goos_vars_entry {
    uint64_t vaddr, size;  // as linked; 8-aligned, a multiple of 8 bytes
};

// A page's bits in the start info's shared_bits and dirty_bits (DESIGN.md, "The origin
// frees"): shared while a process other than its origin holds it or a message in flight
// touches it; dirty from then until its origin's next mark begins with the page no longer
// shared. A runtime hands out fresh slots only on pages not shared, and frees an unreached
// slot only on a page not dirty at its sweep (so no one else held it since its mark began).
// chan_send / chan_recv flags.
constexpr uint64_t GOOS_NONBLOCK = 1;
// In chan_recv's result (1 for a value) and a select receive case's `ok`: the value was
// sent without a walk (a local channel's), so it is the receiver's own and holds nothing
// of another program's.
constexpr uint64_t GOOS_RECV_OWN = 2;

// Local channels (DESIGN.md, "Local channels move nothing"). A channel is local while one
// live process holds it, no name publishes it and no message in flight carries it. Word 3
// of its header is 0 while the kernel last found it local: a send on it may then skip the
// walk (a null description on a channel whose type tag says its values hold pointers),
// which the kernel refuses with RETRY once the channel is not local; a send on a local
// channel is not walked whatever the description says (it is not read). Such a value is
// "unwalked" while it waits in the buffer, and its sender's marks take it as a root
// (chan_roots). Before anything makes a channel with unwalked values shared (a commit or
// a store's grant naming it, a publish), its holder seals them: chan_peek(c, out, max)
// copies up to max of c's unwalked values, oldest first, and returns how many there are;
// chan_seal(seals, n) commits one walk per unwalked value, each as the message of its
// slot, for all the channels named at once (so channels that carry each other can be
// sealed together): every channel any of the descriptions names must have no unwalked
// value left or be sealed in the same call. Commits naming a channel that still has
// unwalked values fail with UNWALKED. Blocked senders whose values were not walked are
// woken with RETRY when their channel stops being local, and walk then.
constexpr uint64_t GOOS_CHAN_SHARED_WORD = 3;
struct goos_seal {
    uint64_t chan;
    const struct goos_transfer* desc;  // the walk of one unwalked value; in slot order per channel
};
// chan_roots(out, max_bytes): copies the unwalked values buffered in the caller's channels
// into out, as far as max_bytes allows, and returns the bytes they take in all.
// console_read flag: wait for input rather than return WOULD_BLOCK.
constexpr uint64_t GOOS_CONSOLE_WAIT = 1;

// What a send hands over, as the runtime's send walk found it: every page the value
// reaches (the receiver will hold it, and the message holds it until then) and every
// channel inside the value (likewise).
struct goos_transfer {
    const uint64_t* pages;
    uint32_t npages;
    uint32_t nchans;
    const uint64_t* chans;
    uint64_t flags;  // GOOS_TRANSFER_*
    // The start info's walk_clock as the walk began: a loaded program's commit fails with
    // RETRY, naming nothing, when it has moved since (DESIGN.md, "Sending": walks are
    // optimistic).
    uint64_t clock;
};
// The value holds a func value (code of the sender's): the kernel refuses the send with
// CODE_VALUE, before anything commits, on a channel another program may receive from
// (DESIGN.md, "Sending": only data crosses programs); a channel only the sender holds
// takes it, as Go's own `chan func()` does.
constexpr uint64_t GOOS_TRANSFER_FUNCS = 1;
// The walk joined its pages as it went (walk_join): its clock is not checked, and what it
// commits (a message, a store's grant, a seal's messages) names everything the thread's
// joined message holds as well, which includes what others stored into those pages
// meanwhile.
constexpr uint64_t GOOS_TRANSFER_JOINED = 2;
// The walk streamed its pages (DESIGN.md, "Sending": no size limit but memory): what it
// joined (walk_join) it does not repeat in the description, and the commit names the
// thread's joined pages too (those its seal's walks joined in the same try as well). Set
// with GOOS_TRANSFER_JOINED by a walk that commits alone (a send, a store's grant, a select
// with one send whose value holds pointers), when it reaches more pages than the runtime
// keeps in one description, and on its third try.
constexpr uint64_t GOOS_TRANSFER_STREAMED = 4;
// walk_join(pages, n) (DESIGN.md, "Sending": after two stale walks): the calling thread's
// joined message comes to hold the n pages, all of which the caller holds, before its walk
// reads any object on them. Such a page is shared (abi.h, shared_bits) while the message
// holds it, so that a store into it takes the slow path, and what that store grants goes to
// the joined message too. walk_join(0, 0) lets go of the joined message once the commits
// that named it (GOOS_TRANSFER_JOINED) are done; so do the thread's end and a send or
// select that waits after its commits (its offers name those pages from then on).

// collect_wait(seen): blocks the calling thread (one per process: the runtime's) until the
// start info's collect_asks differs from `seen`, and returns it. A thread waiting here
// neither keeps its process alive nor hides a deadlock.

// barrier_store(dst, src, len, transfer): the write barrier's slow path. Copies len bytes
// from src to dst (memmove) after granting what the description names (the walk of the
// value stored) to every other holder of the destination's pages, messages in flight
// included, so that nothing stored is visible before its grant. CODE_VALUE, storing
// nothing, when the value holds a func value and another may read the destination.

// One select case. dir: 0 = receive, 1 = send. For a receive, elem receives the value;
// `ok` is written with 1 for a value, 0 for a closed channel.
struct goos_select_case {
    uint64_t chan;
    void* elem;
    const goos_transfer* transfer;  // send only; may be null
    uint32_t dir;
    uint32_t ok;
};
constexpr uint64_t GOOS_SELECT_BLOCK = 1;
// select returns the chosen case index, or GOOS_SELECT_DEFAULT when none was ready and
// the call did not block. Its fourth argument, when not 0, is a deadline (the `now`
// clock's nanoseconds) for a blocking select: past it, the call returns TIMED_OUT.
constexpr int64_t GOOS_SELECT_DEFAULT = 0x7fffffff;

// The one way into the kernel. On the hosted backend it is a call into the kernel's
// entry; on x86-64 the same call. Code linked with the kernel (the built-in programs)
// calls it by name; a loaded program image reaches it through goos_start_info.
extern "C" int64_t goos_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
using goos_syscall_fn = int64_t (*)(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);

// What the kernel's loader hands a program image's entry point, the only argument of
// `entry(const goos_start_info*)`. Programs share one address space with the kernel, so
// the syscall entry is a call through `syscall`; `block_hook`, when not null, is called
// by the image's basic-block callback (-fsanitize-coverage=trace-pc) so that
// deterministic mode can preempt a loop that never enters the kernel.
struct goos_start_info {
    uint32_t version;  // GOOS_ABI_VERSION
    uint32_t pid;
    goos_syscall_fn syscall;
    void (*block_hook)();
    uint64_t hash_seed;   // seeds the program's generator of per-map hash seeds (DESIGN.md, "Maps")
    uint64_t pool_base;   // the page pool every page_alloc comes from, for a runtime's
    uint64_t pool_pages;  // page-indexed tables
    char name[32];        // the program's name (os.Args[0]), NUL-terminated
    // The image's functions, sorted by address (from its ELF symbol table, when it has
    // one): what a traceback names frames by. Offsets are from image_base. The image's
    // loaded pages are [image_base, image_end).
    uint64_t image_base;
    uint64_t image_end;
    const struct goos_symbol* symbols;
    uint64_t nsymbols;
    const char* symbol_names;
    // Written by the kernel as the program runs: the bytes of pages and channels it was
    // granted since it started (a page counts 4 KiB, a channel its header), which its
    // runtime counts as allocation when it paces its collections (DESIGN.md, "Charging,
    // pacing"): a program that only receives also collects, and lets go of what it no
    // longer reaches.
    uint64_t granted_bytes;
    // The layout records (GOOS_LAYOUT_*): two bits per word of the pool, and a head per page.
    uint64_t* layout_bits;
    goos_layout_head* layout_heads;
    // A bit per pool page (GOOS_PAGE_* above: the kernel writes them, programs read them).
    const uint64_t* shared_bits;
    const uint64_t* dirty_bits;
    // A bit per word of the pool (indexed as layout_bits, by (address - pool_base) / 8): set
    // at an object's first word by every walk that reaches it (a send's, or a store's
    // exposure), before the walk reads it; cleared by the kernel when it hands a page out
    // and by the runtime when it hands the slot out again. A store into an object no walk
    // reached needs no grant, whoever holds its page: no other program can reach it.
    uint64_t* walked_bits;
    // Written by the kernel: moves whenever another thread of this program than the one
    // that ran last is switched in, and whenever any program's store exposed something
    // (barrier_store). A walk reads it first and hands it over in goos_transfer::clock; a
    // commit whose clock is stale fails with RETRY, since what the walk read may have
    // changed under it.
    uint64_t walk_clock;
    // Written by the kernel: grows whenever it asks this program to collect (the pool runs
    // low, or much was granted to it since its last mark began); collect_wait returns when
    // it differs from what the caller saw.
    uint64_t collect_asks;
    // The write barrier's fast paths (DESIGN.md, "Stores into shared objects expose"),
    // restartable sequences in the kernel's code: a store, which on a shared page tail-calls
    // the given slow path instead, and a copy of words lowest first, which stops short of
    // the first destination word on a shared page (kernel/barrier.h). The slow path ends in
    // the barrier_store syscall.
    void (*barrier_store)(uint64_t* dst, uint64_t value, void (*slow)(uint64_t* dst, uint64_t value));
    uint64_t (*barrier_copy)(uint64_t* dst, const uint64_t* src, uint64_t nwords);
    // Every type descriptor the image names is the type segment's (kernel/typedesc.h):
    // equality and hashing by layout, in the kernel's code (-1 and *bad set for an
    // interface holding a value of an uncomparable type, as goos_type_equal), and the
    // program's method sets, sorted by type.
    int (*type_equal)(const goos_go::Type* t, const void* p, const void* q, const goos_go::Type** bad);
    uint64_t (*type_hash)(const goos_go::Type* t, const void* p, uint64_t seed, const goos_go::Type** bad);
    const struct goos_method_set* methods;
    uint64_t nmethods;
    // Where every pointer to a zero-size value points, in every program: a word of the type
    // segment that holds nothing (DESIGN.md, "One descriptor per type").
    const void* zerobase;
};
// A type's methods in one program (DESIGN.md, "Methods stay with their program"): the
// type segment's descriptor, and the image's own descriptor for it, whose uncommon part
// lists the program's methods. The loader gives a program these sorted by type.
struct goos_method_set {
    const goos_go::Type* type;
    const goos_go::Type* own;
};
struct goos_symbol {
    uint32_t offset;  // of the function's first byte from image_base
    uint32_t size;
    uint32_t name;  // offset into symbol_names
    uint32_t pad;
};

// thread_stacks fills an array of these, one per thread of the calling process.
struct goos_stack {
    uint64_t lo;  // lowest address of the stack
    uint64_t hi;  // one past its highest
};
constexpr uint32_t GOOS_ABI_VERSION = 12;

// A program image carries an ELF note that `goos build` adds only after its safety checks
// (no `unsafe`, `//extern` or `//go:linkname` in the program's own packages): owner
// "GoOS", type GOOS_NOTE_BUILD, and a 4-byte descriptor holding GOOS_ABI_VERSION. The
// loader refuses an image without it (DESIGN.md, "Programs").
constexpr uint32_t GOOS_NOTE_BUILD = 0x474f4f53;  // "GOOS"

inline const char* goos_status_text(int64_t status) {
    switch (status) {
#define GOOS_X(name, value, text) \
    case value:                   \
        return text;
        GOOS_STATUSES(GOOS_X)
#undef GOOS_X
    }
    return "unknown status";
}
