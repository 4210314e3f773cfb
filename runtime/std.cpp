// The calls behind GoOS's first standard packages that Go cannot make itself: the clock
// and sleeping (package time), ending the program (os), whether a value can be compared
// (errors), and the scheduler calls of package runtime's std.go. Each is a bodyless Go
// function; a bodyless `func f` in package P is the symbol "P.f".
#include "heap.h"
#include "rt.h"

using namespace goos_rt;

extern "C" {

// package time

// Nanoseconds since the kernel started (the virtual clock in deterministic mode):
// monotonic, and GoOS's only clock (there is no wall clock yet).
int64_t time_now() GO_SYM("time.now");
int64_t time_now() {
    return sys(GOOS_SYS_now);
}

// Blocks the calling goroutine for at least ns nanoseconds (the kernel's timer list: the
// thread does not run meanwhile). ns <= 0 returns at once, as Go's Sleep does.
void time_sleep(int64_t ns) GO_SYM("time.sleep");
void time_sleep(int64_t ns) {
    if (ns > 0) sys(GOOS_SYS_sleep, static_cast<uint64_t>(ns));
}

// Waits until a value comes on c (true) or the clock reaches deadline (false; 0: no
// deadline): the timer goroutine's wait (timer.go), one select case with the kernel's
// deadline.
bool time_waitWake(void* c, int64_t deadline) GO_SYM("time.waitWake");
bool time_waitWake(void* c, int64_t deadline) {
    uint64_t value = 0;
    goos_select_case k{reinterpret_cast<uint64_t>(c), &value, nullptr, 0, 0};
    const int64_t r = sys(GOOS_SYS_select, reinterpret_cast<uint64_t>(&k), 1, GOOS_SELECT_BLOCK,
                          deadline > 0 ? static_cast<uint64_t>(deadline) : 0);
    if (r == GOOS_TIMED_OUT) return false;
    if (r < 0) fatal_panic("time: the timers' wait failed");
    return true;
}

// Lets other goroutines run (the timers' lock, timer.go, spins on it).
void time_yield() GO_SYM("time.yield");
void time_yield() {
    sys(GOOS_SYS_yield);
}

// package os

// Ends the program at once with the given status: deferred calls do not run and other
// goroutines end with it, as in Go.
[[noreturn]] void os_exit(intptr_t code) GO_SYM("os.exit");
void os_exit(intptr_t code) {
    sys(GOOS_SYS_exit, static_cast<uint64_t>(code));
    __builtin_trap();
}

// package os

// The process id the kernel gave this program.
int64_t os_getpid() GO_SYM("os.getpid");
int64_t os_getpid() {
    return sys(GOOS_SYS_getpid);
}

// package sync

// Lets other goroutines run while another finishes a few instructions.
void sync_yield() GO_SYM("sync.yield");
void sync_yield() {
    sys(GOOS_SYS_yield);
}

// Go's throw for a misused lock: "fatal error: " + msg on the console and status 2; no
// deferred call runs and nothing can recover (libgo prints goroutine stacks after it).
[[noreturn]] void sync_throw(String msg) GO_SYM("sync.throw");
void sync_throw(String msg) {
    char buf[128];  // on the stack: the kernel reads a program's stack, not its .bss
    Fmt f{buf, sizeof buf};
    f.str("fatal error: ").str(msg.ptr, msg.len).ch('\n');
    sys(GOOS_SYS_console_write, u(buf), f.n);
    sys(GOOS_SYS_exit, 2);
    __builtin_trap();
}

// package os: the console (runtime/go/os/file.go). A slice argument is passed in memory.
int64_t os_console_write(Slice b) GO_SYM("os.consoleWrite");
int64_t os_console_write(Slice b) {
    if (b.len <= 0) return 0;
    const int64_t r = sys(GOOS_SYS_console_write, u(b.ptr), static_cast<uint64_t>(b.len));
    if (r < 0) fatal_panic("os: File.Write: the buffer is outside the program's memory");
    return r;
}

int64_t os_console_read(Slice b) GO_SYM("os.consoleRead");
int64_t os_console_read(Slice b) {
    return console_read(b);
}

// package sync/atomic

// Whether two values, neither nil, have one type (Value's checks); types match by
// structure (DESIGN.md, "Types mean the same in every program").
bool atomic_same_type(Eface a, Eface b) GO_SYM("sync_1atomic.sameType");
bool atomic_same_type(Eface a, Eface b) {
    return a.type == b.type;
}

// package errors

// Whether values of v's dynamic type can be compared with == without a panic: a type
// descriptor has an equal function exactly when the type is comparable (GCCGO.md, "Type
// descriptors"). Stands in for reflectlite's Comparable in errors.Is. A nil interface is
// comparable.
bool errors_comparable(Eface v) GO_SYM("errors.comparable");
bool errors_comparable(Eface v) {
    return v.type == nullptr || v.type->equal != nullptr;
}

// errors.As (errors.go): the checks and the assignment that Go's makes through
// reflectlite. A pointer type descriptor is followed by its element type; an interface
// type descriptor by its method list (GCCGO.md, "Type descriptors").
namespace {
struct Iface {
    void* tab;
    void* data;
};
struct IfaceOk {  // as runtime/iface.cpp returns it
    Iface i;
    bool ok;
};
bool is_kind(const Type* t, Kind k) {
    return (t->kind & kKindMask) == k;
}
}  // namespace

// From runtime/iface.cpp: the conversion of an empty interface to interface type inter
// (ok false when e's dynamic type lacks a method), and whether type from implements to.
IfaceOk rt_ifaceE2I2(const Type* inter, Eface e) GO_SYM("runtime.ifaceE2I2");
bool rt_ifaceT2Ip(const Type* to, const Type* from) GO_SYM("runtime.ifaceT2Ip");

// Why As must panic for this target, as Go's numbers its messages in errors.go
// (asTargetOK and the others); error_ptr is a *error, whose element is error's descriptor.
intptr_t errors_as_check(Eface target, Eface error_ptr) GO_SYM("errors.asCheck");
intptr_t errors_as_check(Eface target, Eface error_ptr) {
    if (!target.type) return 1;                                 // target cannot be nil
    if (!is_kind(target.type, kPtr) || !target.data) return 2;  // must be a non-nil pointer
    const Type* elem = reinterpret_cast<const PtrType*>(target.type)->elem;
    const Type* error_type = reinterpret_cast<const PtrType*>(error_ptr.type)->elem;
    if (!is_kind(elem, kInterface) && !rt_ifaceT2Ip(error_type, elem)) return 3;
    return 0;
}

// Stores err in *target if err's dynamic type can be assigned to target's element type
// (the same type, or an interface type it implements) and reports whether it did.
// target passed errors_as_check.
bool errors_as_assign(Eface target, Eface err) GO_SYM("errors.asAssign");
bool errors_as_assign(Eface target, Eface err) {
    const Type* elem = reinterpret_cast<const PtrType*>(target.type)->elem;
    if (is_kind(elem, kInterface)) {
        if (reinterpret_cast<const InterfaceType*>(elem)->nmethods == 0) {
            *static_cast<Eface*>(target.data) = err;
            return true;
        }
        const IfaceOk r = rt_ifaceE2I2(elem, err);
        if (r.ok) *static_cast<Iface*>(target.data) = r.i;
        return r.ok;
    }
    if (elem != err.type) return false;
    // The collector stops the program's goroutines and needs no write barrier (alloc.cpp),
    // so pointers may be copied as bytes.
    if (err.type->kind & kKindDirectIface)
        *static_cast<void**>(target.data) = err.data;
    else
        __builtin_memmove(target.data, err.data, elem->size);
    return true;
}

// package runtime (std.go)

// Lets other goroutines run; the caller stays runnable.
void runtime_gosched() GO_SYM("runtime.Gosched");
void runtime_gosched() {
    sys(GOOS_SYS_yield);
}

// Runs a collection now (runtime.GC).
void runtime_gc() GO_SYM("runtime.GC");
void runtime_gc() {
    heap_collect();
}

// The number of goroutines: every goroutine is one kernel thread of this process, and
// the kernel counts them (thread_stacks with no buffer).
int64_t runtime_num_goroutine() GO_SYM("runtime.numGoroutine");
int64_t runtime_num_goroutine() {
    return sys(GOOS_SYS_thread_stacks, 0, 0);
}

// What ReadMemStats reports (std.go, memSnapshot: the same layout): the heap's figures.
struct MemSnapshot {
    uint64_t heap_alloc;
    uint64_t total_alloc;
    uint64_t heap_sys;
    uint64_t mallocs;
    uint64_t frees;
    uint64_t num_gc;
    uint64_t pause_total_ns;
    uint64_t next_gc;
};
void runtime_read_stats(MemSnapshot* out) GO_SYM("runtime.readStats");
void runtime_read_stats(MemSnapshot* out) {
    const HeapStats h = heap_stats();
    *out = {h.heap_alloc, h.total_alloc, h.heap_sys, h.mallocs, h.frees, h.num_gc, h.pause_total_ns, h.next_gc};
}
}
