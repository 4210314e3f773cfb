// Bare-metal x86-64 backend (QEMU PVH boot, real PCs later): one CPU, ring 0 only, the
// kernel and the built-in programs share one identity-mapped address space. Threads are
// kernel stacks switched by hand (callee-saved registers + rsp, hal-x86/isr.S); the tick
// is the PIT at 1 kHz on IRQ0; the console is the 16550 UART at COM1.
//
// Kernel sections are "interrupts off": kernel_enter = cli, kernel_leave = sti and never
// reports a deferred tick: a tick that arrived inside the section is held pending by the
// PIC/CPU and delivered right after sti, into the ISR, which calls kernel::on_tick().
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hal {

struct Arch {
    struct Context {
        uint64_t rsp = 0;        // saved stack pointer while suspended
        uintptr_t stack_lo = 0;  // lowest usable byte of the stack (guard page below)
        size_t stack_size = 0;
        int32_t slot = -1;  // stack slot index, -1: no own stack (boot context)
        // The split-stack limit (abi.h, GOOS_STACK_RESERVE) while switched out; the
        // running thread's is at %fs:0x70, in the CPU's block that %fs points to.
        uint64_t stack_limit = 0;
    };

    static void console_write(const char* text, size_t len);
    static long console_read(char* buf, size_t len);
    static void input_watch(bool on);
    static uintptr_t pool_base();
    static size_t pool_pages();
    static bool pool_zeroed() { return false; }  // firmware leaves RAM as it was

    static bool context_create(Context& ctx, void (*entry)(void*), void* arg);
    static void context_destroy(Context& ctx);
    static void context_switch(Context& from, Context& to);
    static bool context_stack_contains(const Context& ctx, uintptr_t addr, size_t len) {
        const uintptr_t top = ctx.stack_lo + ctx.stack_size;
        return ctx.stack_size && addr >= ctx.stack_lo && addr + len <= top && addr + len >= addr;
    }
    static void context_stack(const Context& ctx, uintptr_t* bottom, uintptr_t* sp, uintptr_t* top) {
        *bottom = ctx.stack_lo;
        *top = ctx.stack_lo + ctx.stack_size;
        *sp = ctx.rsp > *bottom && ctx.rsp < *top ? ctx.rsp : *bottom;
    }

    static void kernel_enter() { asm volatile("cli" ::: "memory"); }
    static bool kernel_leave() {
        asm volatile("sti" ::: "memory");
        return false;
    }

    static uint64_t now_ns();
    static uint64_t entropy();
    static void idle_until(uint64_t deadline_ns);
    static void timer_start(uint64_t slice_ns);
    static void timer_stop();
    static uintptr_t image_begin();
    static uintptr_t image_end();
    static void (*block_hook())() { return nullptr; }
    static uint64_t (*barrier_hook())() { return nullptr; }
};

}  // namespace hal
