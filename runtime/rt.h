// GoOS runtime, shared internals: Go's value layouts as gccgo-12 lays them out, the
// syscall wrappers, and the helpers the runtime's own files share. Freestanding C++20:
// no libc, no exceptions, no RTTI; the kernel is reached only through kernel/abi.h.
//
// Entry points that gccgo-compiled code calls carry their Go symbol names through asm
// labels (GO_SYM), e.g. "runtime.printstring"; a func value such as
// "runtime.memequal64..f" is a data cell whose first word is the code address.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <kernel/abi.h>

#define GO_SYM(name) __asm__(name)

namespace goos_rt {

// Go's layouts (kernel/gotype.h), by their short names.
using goos_go::ArrayType;
using goos_go::ChanType;
using goos_go::Eface;
using goos_go::FuncType;
using goos_go::IMethod;
using goos_go::InterfaceType;
using goos_go::Kind;
using goos_go::kKindDirectIface;
using goos_go::kKindMask;
using goos_go::MapType;
using goos_go::Method;
using goos_go::PtrType;
using goos_go::Slice;
using goos_go::SliceType;
using goos_go::String;
using goos_go::StructField;
using goos_go::StructType;
using goos_go::Type;
using goos_go::Uncommon;
using enum goos_go::Kind;

// The kernel's syscall entry, from the goos_start_info the loader gave goos_rt_start.
extern goos_syscall_fn syscall_entry;
// The kernel is not built for split stacks (stack.h): it runs in the reserve below the
// caller's limit (GOOS_STACK_RESERVE), which a checked frame never uses.
inline int64_t sys(goos_sysno nr, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0) {
    return syscall_entry(nr, a0, a1, a2, a3);
}
// The same for the files built without split stacks that __morestack calls into (g.cpp,
// stack.cpp): always inlined, so that no copy of sys with a split-stack prologue, which
// would grow the stack again, is ever what they call.
__attribute__((always_inline)) inline int64_t sys_direct(goos_sysno nr, uint64_t a0 = 0, uint64_t a1 = 0,
                                                         uint64_t a2 = 0, uint64_t a3 = 0) {
    return syscall_entry(nr, a0, a1, a2, a3);
}
template <class T>
inline uint64_t u(T* p) {
    return reinterpret_cast<uint64_t>(p);
}

// Ends the program with Go's "panic: <msg>" and status 2 (the kernel adds the goroutine
// line). msg need not be terminated.
// Asks the kernel to send this program's faults to fault.cpp, which makes them panics.
void faults_as_panics();

// Whether p lies in this program's image: code, constants, package variables (chantype.cpp).
bool in_own_image(const void* p);

// What the console has typed into p, waiting for it (at most 4 KiB); 0 at the end of
// input (goos.cpp: goos.ReadConsole and os.Stdin).
int64_t console_read(Slice p);

// What the kernel's loader gave goos_rt_start (start.cpp).
extern const goos_start_info* program_info;

// The calling goroutine's Go frames, one "name(...)\n\t+0xoff\n" each (traceback.cpp).
size_t traceback(char* buf, size_t cap);

[[noreturn]] void fatal_panic(const char* msg, size_t len);
[[noreturn]] void fatal_panic(const char* msg);
// Go panics the runtime raises (panic.cpp), recoverable like any panic; the value is made
// by package runtime (runtime.go, panicWith): kRuntimeError prints as "runtime error: " +
// msg, kPlainError as msg (both runtime.Error), kTypeAssertion as msg (a
// *runtime.TypeAssertionError).
enum PanicKind : intptr_t { kRuntimeError = 0, kPlainError = 1, kTypeAssertion = 2 };
[[noreturn]] void go_panic(PanicKind kind, const char* msg, size_t len);
[[noreturn]] void go_panic(PanicKind kind, const char* msg);
// A runtime error: "runtime error: " + msg.
[[noreturn]] void runtime_error(const char* msg);

// The heap (alloc.cpp): zeroed memory of `size` bytes, aligned to 8 (16 from 16 up),
// scanned word by word by the collector and the transfer walk.
void* alloc(uintptr_t size);
// The same for bytes that hold no pointers (string bytes, runes): never scanned, so no
// word of text is ever taken for a pointer.
void* alloc_noscan(uintptr_t size);
// Go's roundupsize: the size class an allocation of `size` bytes gets.
uintptr_t roundupsize(uintptr_t size);

// A lock for runtime state shared by goroutines: threads are preemptive, so a holder may
// be switched out; waiters yield to it.
struct SpinLock {
    int locked = 0;
    void lock() {
        while (__atomic_exchange_n(&locked, 1, __ATOMIC_ACQUIRE)) sys(GOOS_SYS_yield);
    }
    void unlock() { __atomic_store_n(&locked, 0, __ATOMIC_RELEASE); }
};

// Small formatting helpers into a caller's buffer (print.cpp).
struct Fmt {
    char* buf;
    size_t cap;
    size_t n = 0;
    void ch(char c) {
        if (n < cap) buf[n++] = c;
    }
    Fmt& str(const char* s) {
        while (*s) ch(*s++);
        return *this;
    }
    Fmt& str(const uint8_t* s, intptr_t len) {
        for (intptr_t i = 0; i < len; ++i) ch(static_cast<char>(s[i]));
        return *this;
    }
    Fmt& unum(uint64_t v);
    Fmt& hex(uint64_t v);  // lower-case digits, no prefix
    Fmt& num(int64_t v);
};

// Hashes of map keys (hash.cpp): bytes, a string, and any comparable value by its type.
uintptr_t mem_hash(const void* p, uintptr_t seed, uintptr_t n);
uintptr_t str_hash(const String* s, uintptr_t seed);
uintptr_t type_hash(const Type* t, const void* p, uintptr_t seed);
// Whether two values of type t held in interfaces are equal (types.cpp): x and y are the
// data words; panics for an uncomparable type.
bool eface_equal(const Type* t, void* x, void* y);
// Go's == on two values of type t, by the kernel's layout-driven code; panics on a type
// that cannot be compared, or an interface inside holding one.
bool values_equal(const Type* t, const void* p, const void* q);
// A float64 as print shows it (print.cpp): the length written to out (kFloatText bytes).
constexpr size_t kFloatText = 14;
size_t float_text(char* out, double v);
// A type descriptor's name as Go prints it (panic.cpp).
void type_name(Fmt& f, const Type* t);

inline size_t cstrlen(const char* s) {
    size_t n = 0;
    while (s[n]) ++n;
    return n;
}

}  // namespace goos_rt
