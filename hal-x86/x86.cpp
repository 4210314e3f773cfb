// The x86-64 backend: hardware set-up and the HAL. See hal_arch.h for the model.
#include <stdarg.h>

#include <hal/hal.h>
#include <kernel/abi.h>
#include <kernel/barrier.h>

#include "x86.h"

extern "C" {
extern char __image_start[], __image_ro_end[], __kernel_end[];
extern uint64_t boot_pd[2048];
extern uint64_t boot_pml4[512];
extern uint64_t boot_pt0[512];
extern const uint64_t x86_isr_table[48];
void x86_context_switch(uint64_t* save_rsp, uint64_t next_rsp);
void x86_thread_start();
}

namespace {

// ---- port I/O ----
inline void outb(uint16_t port, uint8_t v) {
    asm volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}
inline uint8_t inb(uint16_t port) {
    uint8_t v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
inline void outl(uint16_t port, uint32_t v) {
    asm volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

// ---- serial (COM1) ----
constexpr uint16_t kCom1 = 0x3f8;
void serial_init() {
    outb(kCom1 + 1, 0x00);  // no interrupts
    outb(kCom1 + 3, 0x80);  // DLAB
    outb(kCom1 + 0, 0x01);  // 115200 baud
    outb(kCom1 + 1, 0x00);
    outb(kCom1 + 3, 0x03);  // 8N1
    outb(kCom1 + 2, 0xC7);  // FIFO on, cleared
    outb(kCom1 + 4, 0x0B);  // OUT2: the UART's interrupt reaches the PIC
    outb(kCom1 + 1, 0x01);  // interrupt when a byte arrives
}
void serial_putc(char c) {
    for (int spin = 0; spin < 100000 && !(inb(kCom1 + 5) & 0x20); ++spin) {
    }
    outb(kCom1, static_cast<uint8_t>(c));
}

// ---- formatting for the backend's own messages ----
struct Out {
    char buf[256];
    size_t n = 0;
    void put(char c) {
        if (n < sizeof buf) buf[n++] = c;
    }
    void unum(uint64_t v, unsigned base) {
        char d[24];
        int k = 0;
        do {
            d[k++] = "0123456789abcdef"[v % base];
            v /= base;
        } while (v);
        while (k) put(d[--k]);
    }
};

// ---- hvm_start_info (xen/include/public/arch-x86/hvm/start_info.h) ----
struct HvmStartInfo {
    uint32_t magic;  // 0x336ec578
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr;  // version >= 1
    uint32_t memmap_entries;
    uint32_t reserved;
};
struct HvmModlistEntry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};
struct HvmMemmapEntry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;  // 1: RAM
    uint32_t reserved;
};
// ---- Multiboot2 information (GRUB; the Multiboot2 specification, section 3.6) ----
constexpr uint32_t kMb2BootMagic = 0x36d76289;
struct Mb2Tag {
    uint32_t type;  // 0: end, 1: command line, 3: module, 6: memory map
    uint32_t size;  // including this header, excluding the padding to 8 bytes
};
struct Mb2MmapTag {
    uint32_t type;  // 6
    uint32_t size;
    uint32_t entry_size;
    uint32_t entry_version;
    // entries of entry_size bytes: base, length (uint64_t), type (uint32_t; 1: available)
};
char cmdline_buf[256];
// Copies of what the loader left in low memory (page 0 is unmapped afterwards), in the
// same form whichever protocol booted us.
constexpr uint32_t kMaxMemmap = 64;
HvmMemmapEntry memmap_copy[kMaxMemmap];
uint32_t memmap_count = 0;
const char* boot_protocol = "no";
// The boot modules (PVH: QEMU's -initrd; Multiboot2: GRUB's module2), where the loader put
// them. Their memory is kept out of the kernel stacks and the page pool, so it stays
// intact until hal-x86/main.cpp has loaded the program images in them.
constexpr uint32_t kMaxModules = 16;
x86::BootModule modules[kMaxModules];
uint32_t module_count = 0;

void add_module(uint64_t addr, uint64_t size, const char* cmdline) {
    if (module_count == kMaxModules || !size || addr >= (1ULL << 32) || size > (1ULL << 32) - addr) return;
    x86::BootModule& m = modules[module_count++];
    m.addr = addr;
    m.size = size;
    size_t i = 0;
    if (cmdline)
        for (; cmdline[i] && i < sizeof m.cmdline - 1; ++i) m.cmdline[i] = cmdline[i];
    m.cmdline[i] = 0;
}

void copy_cmdline(const char* c) {
    size_t i = 0;
    for (; c[i] && i < sizeof cmdline_buf - 1; ++i) cmdline_buf[i] = c[i];
    cmdline_buf[i] = 0;
}

void copy_pvh(const HvmStartInfo* si) {
    boot_protocol = "PVH";
    if (si->cmdline_paddr) copy_cmdline(reinterpret_cast<const char*>(si->cmdline_paddr));
    if (si->version >= 1 && si->memmap_paddr)
        for (uint32_t i = 0; i < si->memmap_entries && memmap_count < kMaxMemmap; ++i)
            memmap_copy[memmap_count++] = reinterpret_cast<const HvmMemmapEntry*>(si->memmap_paddr)[i];
    if (si->modlist_paddr)
        for (uint32_t i = 0; i < si->nr_modules; ++i) {
            const auto& m = reinterpret_cast<const HvmModlistEntry*>(si->modlist_paddr)[i];
            add_module(m.paddr, m.size, m.cmdline_paddr ? reinterpret_cast<const char*>(m.cmdline_paddr) : nullptr);
        }
}

void copy_multiboot2(uintptr_t mbi) {
    boot_protocol = "Multiboot2";
    // total_size, reserved, then the tags, each 8-byte aligned.
    const uint32_t total = *reinterpret_cast<const uint32_t*>(mbi);
    uintptr_t p = mbi + 8;
    const uintptr_t end = mbi + total;
    while (p + sizeof(Mb2Tag) <= end) {
        const auto* tag = reinterpret_cast<const Mb2Tag*>(p);
        if (tag->type == 0 || tag->size < sizeof(Mb2Tag)) break;
        if (tag->type == 1) {
            copy_cmdline(reinterpret_cast<const char*>(p + sizeof(Mb2Tag)));
        } else if (tag->type == 3 && tag->size >= 17) {  // module: mod_start, mod_end, string
            const uint32_t start = *reinterpret_cast<const uint32_t*>(p + 8);
            const uint32_t end = *reinterpret_cast<const uint32_t*>(p + 12);
            if (end > start) add_module(start, end - start, reinterpret_cast<const char*>(p + 16));
        } else if (tag->type == 6) {
            const auto* mm = reinterpret_cast<const Mb2MmapTag*>(p);
            if (mm->entry_size >= 20)
                for (uintptr_t e = p + sizeof(Mb2MmapTag);
                     e + mm->entry_size <= p + tag->size && memmap_count < kMaxMemmap; e += mm->entry_size) {
                    HvmMemmapEntry& out = memmap_copy[memmap_count++];
                    out.addr = *reinterpret_cast<const uint64_t*>(e);
                    out.size = *reinterpret_cast<const uint64_t*>(e + 8);
                    out.type = *reinterpret_cast<const uint32_t*>(e + 16);
                    out.reserved = 0;
                }
        }
        p += (tag->size + 7) & ~uint32_t{7};
    }
}

// ---- GDT, TSS, IDT ----
struct __attribute__((packed)) Tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};
struct __attribute__((packed)) DescPtr {
    uint16_t limit;
    uint64_t base;
};
struct IdtGate {
    uint16_t off_lo;
    uint16_t sel;
    uint8_t ist;
    uint8_t type;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t zero;
};
alignas(16) uint64_t gdt[5];
alignas(16) Tss tss;
alignas(16) IdtGate idt[256];
alignas(16) uint8_t df_stack[16384];
alignas(16) uint8_t pf_stack[16384];
alignas(16) uint8_t irq_stack[4096];

void gdt_init() {
    gdt[0] = 0;
    gdt[1] = 0x00AF9A000000FFFFULL;  // 0x08: 64-bit code
    gdt[2] = 0x00CF92000000FFFFULL;  // 0x10: data
    const auto base = reinterpret_cast<uint64_t>(&tss);
    const uint64_t limit = sizeof(Tss) - 1;
    gdt[3] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ULL << 40) | (((limit >> 16) & 0xF) << 48) |
             (((base >> 24) & 0xFF) << 56);
    gdt[4] = base >> 32;
    tss.ist[0] = reinterpret_cast<uint64_t>(df_stack + sizeof df_stack);  // IST1: #DF
    // IST2: #PF, so that a thread running into the guard page below its stack still gets
    // a page fault (and the program Go's panic) instead of a double fault. A program's
    // fault returns from this stack only to its program's fault entry (iretq), or never
    // (kernel::on_fault switches away for good), and
    // faults cannot nest (the handler runs with interrupts off and the kernel does not
    // fault), so one stack suffices.
    tss.ist[1] = reinterpret_cast<uint64_t>(pf_stack + sizeof pf_stack);
    // IST3: hardware interrupts, only long enough to move their frame below the
    // interrupted code's red zone (isr.S, irq_common).
    tss.ist[2] = reinterpret_cast<uint64_t>(irq_stack + sizeof irq_stack);
    tss.iomap_base = sizeof(Tss);
    DescPtr p{sizeof gdt - 1, reinterpret_cast<uint64_t>(gdt)};
    asm volatile("lgdt %0" ::"m"(p));
    asm volatile("ltr %w0" ::"r"(uint16_t{0x18}));
}

void idt_init() {
    for (int v = 0; v < 48; ++v) {
        const uint64_t h = x86_isr_table[v];
        IdtGate& g = idt[v];
        g.off_lo = h & 0xFFFF;
        g.sel = 0x08;
        // #DF and #PF on their own stacks, IRQs on IST3 (see gdt_init)
        g.ist = v == 8 ? 1 : v == 14 ? 2 : v >= 32 ? 3 : 0;
        g.type = 0x8E;  // interrupt gate: IF cleared on entry
        g.off_mid = (h >> 16) & 0xFFFF;
        g.off_hi = static_cast<uint32_t>(h >> 32);
        g.zero = 0;
    }
    DescPtr p{sizeof idt - 1, reinterpret_cast<uint64_t>(idt)};
    asm volatile("lidt %0" ::"m"(p));
}

// ---- PIC and PIT ----
constexpr uint32_t kPitHz = 1193182;
constexpr uint32_t kTickHz = 1000;
volatile uint64_t tick_count = 0;
volatile bool timer_on = false;
volatile bool idling = false;

// ---- Console input: the PS/2 keyboard (IRQ1) and the serial port (IRQ4) fill one ring;
// console_read empties it. While the kernel watches for input, each arrival calls
// kernel::on_input() and ends an idle wait.
char input_ring[256];
volatile uint32_t input_head = 0, input_tail = 0;  // head: next read; tail: next write
volatile bool input_watched = false;
volatile bool input_arrived = false;
bool kbd_shift = false, kbd_ctrl = false;

void input_put(char c) {
    const uint32_t tail = input_tail;
    if (tail - input_head < sizeof input_ring) {
        input_ring[tail % sizeof input_ring] = c;
        input_tail = tail + 1;
    }
    input_arrived = true;
}

// Scancode set 1 (what QEMU's i8042 delivers, translated), make codes 0x02..0x39.
const char kKeys[] = "\0\0001234567890-=\b\tqwertyuiop[]\n\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
const char kShifted[] = "\0\000!@#$%^&*()_+\b\tQWERTYUIOP{}\n\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ";

void keyboard_scancode(uint8_t code) {
    const bool release = code & 0x80;
    const uint8_t key = code & 0x7f;
    if (key == 0x2a || key == 0x36) {  // shift
        kbd_shift = !release;
        return;
    }
    if (key == 0x1d) {  // ctrl
        kbd_ctrl = !release;
        return;
    }
    if (release || key >= sizeof kKeys - 1) return;
    char c = (kbd_shift ? kShifted : kKeys)[key];
    if (!c) return;
    if (kbd_ctrl && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 1);  // Ctrl-D is 4
    input_put(c);
}
uint64_t slice_ticks = 5;
uint64_t slice_count = 0;

void pic_init() {
    outb(0x20, 0x11);
    outb(0xA0, 0x11);
    outb(0x21, 0x20);  // IRQ0-7 -> vectors 32-39
    outb(0xA1, 0x28);  // IRQ8-15 -> 40-47
    outb(0x21, 0x04);
    outb(0xA1, 0x02);
    outb(0x21, 0x01);
    outb(0xA1, 0x01);
    outb(0x21, 0xEC);  // IRQ0 (the PIT), IRQ1 (the PS/2 keyboard), IRQ4 (COM1)
    outb(0xA1, 0xFF);
}
void pit_init() {
    const uint32_t div = kPitHz / kTickHz;
    outb(0x43, 0x34);  // channel 0, lo/hi, rate generator
    outb(0x40, div & 0xFF);
    outb(0x40, (div >> 8) & 0xFF);
}

// ---- TSC ----
uint64_t tsc_boot = 0;
uint64_t tsc_freq = 0;
uint64_t ns_mult = 0;  // ns per cycle, 32.32 fixed point

void tsc_calibrate() {
    asm volatile("sti");
    uint64_t t = tick_count;
    while (tick_count == t) asm volatile("hlt");
    const uint64_t t0 = x86::rdtsc();
    const uint64_t start = tick_count;
    constexpr uint64_t kTicks = 20;
    while (tick_count - start < kTicks) asm volatile("hlt");
    const uint64_t t1 = x86::rdtsc();
    asm volatile("cli");
    tsc_freq = (t1 - t0) * kTickHz / kTicks;
    if (!tsc_freq) tsc_freq = 1000000000;
    ns_mult = (1000000000ULL << 32) / tsc_freq;
}

// ---- kernel stacks: slots in a region mapped with 4 KiB pages, a guard page below each ----
// 64 KiB as on goos-sim, so that a program runs out of stack at the same depth on both.
// The region takes half the RAM after the kernel, between 8 and 128 MiB (1,927 threads,
// as many goroutines as all programs have together).
constexpr size_t kStackSize = 64 * 1024;
constexpr size_t kSlotSize = kStackSize + 4096;
constexpr size_t kStackRegionMin = 8 * 1024 * 1024;
constexpr size_t kStackRegionMax = 128 * 1024 * 1024;  // 2 MiB pages split into 4 KiB pages
constexpr size_t kMaxSlots = kStackRegionMax / kSlotSize;
alignas(4096) uint64_t stack_pt[kStackRegionMax >> 21][512];
uintptr_t stack_region = 0;
size_t stack_region_size = kStackRegionMin;
int32_t free_slots[kMaxSlots];
size_t nfree_slots = 0;

// The boot module that overlaps [lo, hi), or null.
const x86::BootModule* module_in(uintptr_t lo, uintptr_t hi) {
    for (uint32_t i = 0; i < module_count; ++i)
        if (lo < modules[i].addr + modules[i].size && modules[i].addr < hi) return &modules[i];
    return nullptr;
}

constexpr uintptr_t align_2m(uintptr_t a) {
    return (a + (1u << 21) - 1) & ~uintptr_t{(1u << 21) - 1};
}

// How much RAM the memory map says lies from a on (within the identity map); 0 if none.
uint64_t ram_after(uintptr_t a) {
    for (uint32_t i = 0; i < memmap_count; ++i) {
        const HvmMemmapEntry& e = memmap_copy[i];
        uint64_t end = e.addr + e.size;
        if (end > (1ULL << 32)) end = 1ULL << 32;
        if (e.type == 1 && a >= e.addr && a < end) return end - a;
    }
    return 0;
}

void stacks_init() {
    // The first 2 MiB boundary after the kernel, past any boot module there (GRUB puts
    // modules right after the kernel's image).
    stack_region = align_2m(reinterpret_cast<uintptr_t>(__kernel_end));
    for (;;) {
        stack_region_size = (ram_after(stack_region) / 2) & ~size_t{(1u << 21) - 1};
        if (stack_region_size > kStackRegionMax) stack_region_size = kStackRegionMax;
        if (stack_region_size < kStackRegionMin) stack_region_size = kStackRegionMin;
        const x86::BootModule* m = module_in(stack_region, stack_region + stack_region_size);
        if (!m) break;
        stack_region = align_2m(m->addr + m->size);
    }
    const size_t slots = stack_region_size / kSlotSize;
    for (size_t c = 0; c < (stack_region_size >> 21); ++c) {
        const uintptr_t chunk = stack_region + (c << 21);
        for (size_t i = 0; i < 512; ++i) stack_pt[c][i] = (chunk + (i << 12)) | 3;
        boot_pd[chunk >> 21] = reinterpret_cast<uintptr_t>(stack_pt[c]) | 3;
    }
    for (size_t s = 0; s < slots; ++s) {
        const uintptr_t guard = stack_region + s * kSlotSize;
        const size_t page = (guard - stack_region) >> 12;
        stack_pt[page / 512][page % 512] = 0;  // not present
        free_slots[nfree_slots++] = static_cast<int32_t>(slots - 1 - s);
    }
    asm volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" ::: "rax", "memory");
}

// ---- the page pool ----
uintptr_t pool_start = 0;
size_t pool_count = 0;

// The largest piece of [lo, hi) that overlaps neither the kernel, its stacks nor a boot
// module, if larger than [*best, *best_end).
void largest_free(uintptr_t lo, uintptr_t hi, uintptr_t* best, uintptr_t* best_end) {
    lo = (lo + 4095) & ~uintptr_t{4095};
    hi &= ~uintptr_t{4095};
    if (hi <= lo) return;
    const uintptr_t kernel_end = reinterpret_cast<uintptr_t>(__kernel_end);
    if (lo < kernel_end) return largest_free(kernel_end, hi, best, best_end);  // and low memory
    if (lo < stack_region + stack_region_size && stack_region < hi) {
        largest_free(lo, stack_region, best, best_end);
        return largest_free(stack_region + stack_region_size, hi, best, best_end);
    }
    if (const x86::BootModule* m = module_in(lo, hi)) {
        largest_free(lo, m->addr, best, best_end);
        return largest_free(m->addr + m->size, hi, best, best_end);
    }
    if (hi - lo > *best_end - *best) *best = lo, *best_end = hi;
}

void pool_init() {
    uintptr_t best = 0, best_end = 0;
    if (memmap_count) {
        const auto* e = memmap_copy;
        for (uint32_t i = 0; i < memmap_count; ++i) {
            if (e[i].type != 1) continue;
            uintptr_t lo = e[i].addr, hi = e[i].addr + e[i].size;
            if (hi > (1ULL << 32)) hi = 1ULL << 32;  // identity map covers 4 GiB
            if (lo < hi) largest_free(lo, hi, &best, &best_end);
        }
    } else {
        // No PVH memory map: the CMOS says how much RAM lies above 16 MiB (64 KiB units).
        outb(0x70, 0x34);
        uint64_t above16 = inb(0x71);
        outb(0x70, 0x35);
        above16 |= uint64_t{inb(0x71)} << 8;
        largest_free(1u << 20, (16ULL << 20) + (above16 << 16), &best, &best_end);
        x86::printf("goos-x86: no memory map from the %s loader, RAM size from CMOS\n", boot_protocol);
    }
    // The pool is the largest free piece of RAM the identity map covers (DESIGN.md,
    // "Memory is sized to the machine").
    pool_start = best;
    pool_count = (best_end - best) / 4096;
}

[[noreturn]] void halt_exit(int v) {
    outl(0xf4, static_cast<uint32_t>(v));
    for (;;) asm volatile("cli; hlt");
}

const char* const kExceptionNames[32] = {"divide error",
                                         "debug",
                                         "NMI",
                                         "breakpoint",
                                         "overflow",
                                         "bound range",
                                         "invalid opcode",
                                         "device not available",
                                         "double fault",
                                         "coprocessor overrun",
                                         "invalid TSS",
                                         "segment not present",
                                         "stack fault",
                                         "general protection",
                                         "page fault",
                                         "reserved",
                                         "x87 floating point",
                                         "alignment check",
                                         "machine check",
                                         "SIMD floating point",
                                         "virtualization",
                                         "control protection",
                                         "reserved",
                                         "reserved",
                                         "reserved",
                                         "reserved",
                                         "reserved",
                                         "reserved",
                                         "hypervisor injection",
                                         "VMM communication",
                                         "security",
                                         "reserved"};

}  // namespace

struct IsrFrame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

extern "C" void x86_isr_dispatch(IsrFrame* f) {
    constexpr uint64_t kIF = 0x200;
    if (f->vector == 32) {
        tick_count = tick_count + 1;
        outb(0x20, 0x20);  // EOI first: on_tick may switch away for a long time
        // Only outside kernel sections: IF was set in the interrupted code, and it was not
        // the scheduler idling (sti;hlt inside a kernel section).
        if (!timer_on || idling || !(f->rflags & kIF)) return;
        if (++slice_count < slice_ticks) return;
        slice_count = 0;
        f->rip = kernel::barrier_restart_pc(f->rip);  // a write barrier's sequence restarts at its test
        kernel::on_tick();                            // may switch threads; this thread resumes here later
        return;
    }
    if (f->vector == 33 || f->vector == 36) {  // the keyboard, the serial port
        if (f->vector == 33)
            keyboard_scancode(inb(0x60));
        else
            while (inb(kCom1 + 5) & 1) {
                // A terminal's Enter sends CR: it ends a line, as the keyboard's does.
                const char c = static_cast<char>(inb(kCom1));
                input_put(c == '\r' ? '\n' : c);
            }
        outb(0x20, 0x20);
        // In program code or the idle loop the kernel is not mid-section (IF was set).
        if (input_watched && (f->rflags & kIF)) kernel::on_input();
        return;
    }
    if (f->vector >= 32) return;  // masked IRQs, spurious IRQ7/15: nothing to do
    uint64_t cr2 = 0;
    asm volatile("mov %%cr2, %0" : "=r"(cr2));
    const bool program = (f->rflags & kIF) && !idling && f->vector != 8 && f->vector != 2 && f->vector != 18;
    if (program) {
        kernel::Fault kind = kernel::Fault::Memory;
        uintptr_t address = 0;
        bool known = true;
        switch (f->vector) {
            case 0:
                kind = kernel::Fault::DivideByZero, address = f->rip;
                break;
            case 6:
            case 3:
            case 7:
                kind = kernel::Fault::IllegalInstruction, address = f->rip;
                break;
            case 16:
            case 19:
                kind = kernel::Fault::Arithmetic, address = f->rip;
                break;
            case 14:
                address = cr2;
                break;
            case 12:
            case 13:
            case 17:
                break;
            default:
                known = false;
                break;
        }
        if (known) {
            // Either the program goes on at its fault entry, as if the faulting instruction
            // had called entry(kind, address), or on_fault does not return.
            const uintptr_t entry = kernel::on_fault(kind, address, f->rip, f->rsp);
            f->rsp -= 8;
            *reinterpret_cast<uint64_t*>(f->rsp) = f->rip + 1;
            f->rip = entry;
            f->rdi = static_cast<uint64_t>(kind);
            f->rsi = address;
            return;
        }
    }
    x86::printf("\ngoos-x86: %s exception %lu (%s) at rip=%lx err=%lx cr2=%lx rsp=%lx rflags=%lx\n",
                program ? "program" : "kernel", f->vector, kExceptionNames[f->vector], f->rip, f->error, cr2, f->rsp,
                f->rflags);
    halt_exit(3);
}

namespace x86 {

void print(const char* s) {
    size_t n = 0;
    while (s[n]) ++n;
    hal::Arch::console_write(s, n);
}

void printf(const char* fmt, ...) {
    Out o;
    va_list ap;
    va_start(ap, fmt);
    for (const char* p = fmt; *p; ++p) {
        if (*p != '%') {
            o.put(*p);
            continue;
        }
        int longs = 0;
        while (p[1] == 'l' || p[1] == 'z') ++longs, ++p;
        switch (*++p) {
            case 's':
                for (const char* q = va_arg(ap, const char*); *q; ++q) o.put(*q);
                break;
            case 'd': {
                const int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
                if (v < 0) o.put('-');
                o.unum(v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v), 10);
                break;
            }
            case 'u':
                o.unum(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10);
                break;
            case 'x':
                o.unum(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16);
                break;
            case '%':
                o.put('%');
                break;
            default:
                o.put('?');
                break;
        }
        if (!*p) break;
    }
    va_end(ap);
    hal::Arch::console_write(o.buf, o.n);
}

void init(uintptr_t boot_info, uint32_t protocol) {
    serial_init();
    if (protocol == kMb2BootMagic && boot_info) {
        copy_multiboot2(boot_info);
    } else if (protocol == 0 && boot_info) {
        const auto* loader = reinterpret_cast<const HvmStartInfo*>(boot_info);
        if (loader->magic == 0x336ec578) copy_pvh(loader);
    }
    // From here on page 0 is unmapped: a nil dereference faults.
    boot_pt0[0] = 0;
    asm volatile("invlpg (%0)" ::"r"(uintptr_t{0}) : "memory");
    gdt_init();
    idt_init();
    pic_init();
    pit_init();
    tsc_calibrate();
    tsc_boot = rdtsc();
    stacks_init();
    pool_init();
    // %fs points at the CPU's block, whose word at 0x70 is the running thread's split-stack
    // limit (Arch::context_switch).
    static uint64_t cpu_block[32];
    const auto fs = reinterpret_cast<uint64_t>(cpu_block);
    asm volatile("wrmsr" ::"c"(0xC0000100u), "a"(static_cast<uint32_t>(fs)), "d"(static_cast<uint32_t>(fs >> 32)));
}

const char* cmdline() {
    return cmdline_buf;
}
const char* boot_protocol_name() {
    return boot_protocol;
}
size_t module_count() {
    return ::module_count;
}
const BootModule& module(size_t i) {
    return modules[i];
}
[[noreturn]] void exit(int v) {
    halt_exit(v);
}
uint64_t tsc_hz() {
    return tsc_freq;
}
uint64_t ticks() {
    return tick_count;
}
size_t stack_slots_free() {
    return nfree_slots;
}

}  // namespace x86

namespace hal {

// What the keyboard and the serial port have delivered, without waiting. A keyboard has
// no end of input, so Ctrl-D stands for it, as on a terminal: the bytes before it are
// returned first, then the Ctrl-D itself reads as the end of input (-1) once; later
// reads go on with what follows.
long Arch::console_read(char* buf, size_t len) {
    constexpr char kCtrlD = 4;
    size_t n = 0;
    // Called in a kernel section (interrupts off), so the IRQ handlers cannot write meanwhile.
    uint32_t head = input_head;
    if (head != input_tail && input_ring[head % sizeof input_ring] == kCtrlD) {
        input_head = head + 1;
        return -1;
    }
    while (n < len && head != input_tail && input_ring[head % sizeof input_ring] != kCtrlD)
        buf[n++] = input_ring[head++ % sizeof input_ring];
    input_head = head;
    return static_cast<long>(n);
}

void Arch::input_watch(bool on) {
    input_watched = on;
}

void Arch::console_write(const char* text, size_t len) {
    for (size_t i = 0; i < len; ++i) {
        if (text[i] == '\n') serial_putc('\r');
        serial_putc(text[i]);
    }
}

uintptr_t Arch::pool_base() {
    return pool_start;
}
size_t Arch::pool_pages() {
    return pool_count;
}

bool Arch::context_create(Context& ctx, void (*entry)(void*), void* arg) {
    if (!nfree_slots) return false;
    const int32_t slot = free_slots[--nfree_slots];
    ctx.slot = slot;
    ctx.stack_lo = stack_region + static_cast<size_t>(slot) * kSlotSize + 4096;
    ctx.stack_size = kStackSize;
    auto* top = reinterpret_cast<uint64_t*>(ctx.stack_lo + kStackSize);
    top[-1] = 0;
    top[-2] = reinterpret_cast<uint64_t>(&x86_thread_start);
    top[-3] = 0;                                  // rbp
    top[-4] = reinterpret_cast<uint64_t>(entry);  // rbx
    top[-5] = reinterpret_cast<uint64_t>(arg);    // r12
    top[-6] = 0;                                  // r13
    top[-7] = 0;                                  // r14
    top[-8] = 0;                                  // r15
    ctx.rsp = reinterpret_cast<uint64_t>(top - 8);
    ctx.stack_limit = ctx.stack_lo + GOOS_STACK_RESERVE;
    return true;
}

void Arch::context_destroy(Context& ctx) {
    if (ctx.slot < 0) return;
    free_slots[nfree_slots++] = ctx.slot;
    ctx.slot = -1;
    ctx.stack_size = 0;
}

void Arch::context_switch(Context& from, Context& to) {
    asm volatile("movq %%fs:0x70, %0" : "=r"(from.stack_limit));
    asm volatile("movq %0, %%fs:0x70" ::"r"(to.stack_limit) : "memory");
    x86_context_switch(&from.rsp, to.rsp);
}

uint64_t Arch::now_ns() {
    const uint64_t d = x86::rdtsc() - tsc_boot;
    return static_cast<uint64_t>((static_cast<unsigned __int128>(d) * ns_mult) >> 32);
}

// The time stamp counter's low bits at load time: not secret against a program that
// reads it too, but unknown ahead of the run (no RDRAND assumed on every machine).
uint64_t Arch::entropy() {
    uint64_t x = x86::rdtsc();
    x ^= x >> 31;
    x *= 0x9e3779b97f4a7c15ULL;
    return x ^ (x >> 29);
}

void Arch::idle_until(uint64_t deadline_ns) {
    // Inside a kernel section (IF=0). The tick wakes hlt every millisecond; sti;hlt is
    // atomic (the sti shadow), so a tick cannot slip in between.
    idling = true;
    input_arrived = false;
    while (now_ns() < deadline_ns && !input_arrived) asm volatile("sti; hlt; cli" ::: "memory");
    idling = false;
}

void Arch::timer_start(uint64_t slice_ns) {
    slice_ticks = slice_ns / (1000000000ULL / kTickHz);
    if (!slice_ticks) slice_ticks = 1;
    slice_count = 0;
    timer_on = true;
}

void Arch::timer_stop() {
    timer_on = false;
}

uintptr_t Arch::image_begin() {
    return reinterpret_cast<uintptr_t>(__image_start);
}
uintptr_t Arch::image_end() {
    return reinterpret_cast<uintptr_t>(__image_ro_end);
}

}  // namespace hal

// The syscall instruction of this target: programs run in ring 0 in the kernel's address
// space, so it is a call into the kernel's entry (which enters the kernel section).
extern "C" int64_t goos_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3) {
    return kernel::syscall_entry(nr, a0, a1, a2, a3);
}

// The C memory primitives the compiler emits calls to.
extern "C" {
void* memcpy(void* dst, const void* src, size_t n) {
    void* d = dst;
    asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
    return dst;
}
void* memmove(void* dst, const void* src, size_t n) {
    auto* d = static_cast<unsigned char*>(dst);
    auto* s = static_cast<const unsigned char*>(src);
    if (d <= s || d >= s + n) return memcpy(dst, src, n);
    d += n - 1;
    s += n - 1;
    asm volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return dst;
}
void* memset(void* dst, int c, size_t n) {
    void* d = dst;
    asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return dst;
}
int memcmp(const void* a, const void* b, size_t n) {
    auto* x = static_cast<const unsigned char*>(a);
    auto* y = static_cast<const unsigned char*>(b);
    for (size_t i = 0; i < n; ++i)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}
}
