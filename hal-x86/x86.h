// Machine services of the x86-64 backend beyond the HAL contract, for hal-x86/main.cpp.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace x86 {

// Brings the machine up: serial, GDT/TSS, IDT, PIC, PIT, TSC calibration, kernel stacks
// with guard pages, the page pool from the loader's memory map. Returns with interrupts off.
// protocol 0: boot_info is PVH's hvm_start_info (QEMU -kernel); 0x36d76289: boot_info is
// the Multiboot2 information structure (GRUB). Both are copied before page 0 is unmapped.
void init(uintptr_t boot_info, uint32_t protocol);
// The loader's command line (PVH: -append; Multiboot2: the command line tag), "" when none.
const char* cmdline();
// "PVH", "Multiboot2", or "no" when neither handed us information.
const char* boot_protocol_name();
// A boot module: PVH's modules (QEMU -initrd is module 0) or Multiboot2's (GRUB module2),
// in the order the loader gave them. Their memory is outside the page pool and the kernel
// stacks, so it holds what the loader put there for as long as the kernel runs.
struct BootModule {
    uintptr_t addr = 0;
    size_t size = 0;
    char cmdline[64] = {};  // the module's command line (GRUB: what follows the path), or ""
};
size_t module_count();
const BootModule& module(size_t i);
void print(const char* s);
void printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
// Exits QEMU through isa-debug-exit (status (v<<1)|1); halts for ever on real hardware.
[[noreturn]] void exit(int v);
uint64_t tsc_hz();
inline uint64_t rdtsc() {
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t{hi} << 32) | lo;
}
uint64_t ticks();
size_t stack_slots_free();

}  // namespace x86
