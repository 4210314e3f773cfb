// Faults as panics (kernel/hal.h, on_fault): a nil dereference or an integer division by
// zero that the hardware caught becomes Go's runtime error, which deferred calls see and
// recover may stop. The kernel sends the faulting goroutine to goos_rt_fault_entry as if
// the faulting instruction had called it (its address + 1 pushed as the return address),
// so libgcc_eh's unwinder walks from here through the faulting frame to its callers.
#include "g.h"

// The entry: a frame the unwinder can step through (CFA = rbp + 16, the return address
// just below it), then the handler on a 16-byte aligned stack.
asm(R"(
        .text
        .globl  goos_rt_fault_entry
        .type   goos_rt_fault_entry, @function
goos_rt_fault_entry:
        .cfi_startproc
        pushq   %rbp
        .cfi_def_cfa_offset 16
        .cfi_offset %rbp, -16
        movq    %rsp, %rbp
        .cfi_def_cfa_register %rbp
        andq    $-16, %rsp
        call    goos_rt_fault
        ud2
        .cfi_endproc
        .size   goos_rt_fault_entry, .-goos_rt_fault_entry
)");

extern "C" {

void goos_rt_fault_entry();

// kind: kernel::Fault (Memory, DivideByZero, Arithmetic, IllegalInstruction).
[[noreturn]] void goos_rt_fault(uint64_t kind, uintptr_t address) {
    goos_rt::sys(GOOS_SYS_fault_handled);  // a fault while panicking comes here again
    goos_rt::G* g = goos_rt::current_g();
    g->fault = static_cast<uint8_t>(kind + 1);
    g->fault_addr = address;
    switch (kind) {
        case 0:
            goos_rt::go_panic(goos_rt::kRuntimeError, "invalid memory address or nil pointer dereference");
        case 1:
            goos_rt::go_panic(goos_rt::kRuntimeError, "integer divide by zero");
        case 2:
            goos_rt::fatal_panic("runtime error: arithmetic fault [signal SIGFPE]");
        default:
            goos_rt::fatal_panic("runtime error: illegal instruction [signal SIGILL]");
    }
}

// A call through a method table's stub (kernel/methods.h) of a method this program does
// not have: the dispatcher comes here instead, with the slot, as if the call had been to
// here, so the panic's traceback starts at the caller.
[[noreturn]] void goos_rt_method_missing(uint64_t slot) {
    uint8_t line[256];
    const int64_t n = goos_rt::sys(GOOS_SYS_method_info, slot, goos_rt::u(line), sizeof line);
    if (n < 0) goos_rt::go_panic(goos_rt::kPlainError, "call of a method this program does not have");
    goos_rt::go_panic(goos_rt::kPlainError, reinterpret_cast<const char*>(line),
                      static_cast<size_t>(n) < sizeof line ? static_cast<size_t>(n) : sizeof line);
}
}

namespace goos_rt {

void faults_as_panics() {
    if (sys(GOOS_SYS_fault_entry, reinterpret_cast<uint64_t>(&goos_rt_fault_entry),
            reinterpret_cast<uint64_t>(&goos_rt_method_missing)) != 0)
        fatal_panic("runtime: the kernel refused the fault entry");
}

}  // namespace goos_rt
