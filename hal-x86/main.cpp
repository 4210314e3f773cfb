// GoOS on bare-metal x86-64: brings the machine up, boots the kernel core and reports its
// run status through isa-debug-exit. What runs:
//   - the program images in the boot modules (QEMU -initrd, GRUB module2; a pack written by
//     tools/goos-pack or a bare image), each loaded by the kernel's loader as in goos-sim,
//     with goos-sim's exit status;
//   - else, or when the command line (QEMU -append) names one, a built-in scenario, the
//     same programs as goos-sim's scenarios:
//     goos.scenario=demo|fault|preempt|stuck|deadlock|pingpong|bench|sse|overflow|selftest
//     (default demo).
#include <hal/hal.h>
#include <kernel/elf.h>
#include <kernel/kernel.h>
#include <kernel/klib.h>
#include <kernel/ledger.h>
#include <kernel/loader.h>
#include <sim/programs/catalog.h>
#include <sim/programs/programs.h>
#include <sim/programs/user.h>

#include "x86.h"

namespace {

using programs::Scenario;

// Ping-pong with the round trip measured in TSC cycles (the "bench" scenario).
void ping_cycles(uint64_t rounds) {
    const user::Chan requests = static_cast<user::Chan>(user::lookup("pong"));
    const user::Chan reply = user::make_chan(sizeof(uint64_t), 0);
    const uint64_t chans[1] = {reply};
    goos_transfer x{};
    x.chans = chans;
    x.nchans = 1;
    user::send(requests, reply, &x);
    uint64_t best = ~0ULL;
    const uint64_t start = x86::rdtsc();
    for (uint64_t i = 0; i < rounds; ++i) {
        uint64_t back = 0;
        const uint64_t t0 = x86::rdtsc();
        user::send(requests, i);
        if (user::recv(reply, &back) != 1 || back != i + 1) user::panic("bench: wrong reply");
        const uint64_t d = x86::rdtsc() - t0;
        if (d < best) best = d;
    }
    const uint64_t took = x86::rdtsc() - start;
    user::close(requests);
    user::print("bench: %lu round trips across two processes, %lu TSC cycles each (best %lu), TSC %lu MHz\n",
                static_cast<unsigned long>(rounds), static_cast<unsigned long>(rounds ? took / rounds : 0),
                static_cast<unsigned long>(best), static_cast<unsigned long>(x86::tsc_hz() / 1000000));
}

// Keeps a value in xmm5 across a long loop while other threads run and are preempted:
// only an interrupt path that saves the SSE state (fxsave) keeps it intact.
void xmm_keeper(uint64_t value) {
    uint64_t bad = 0;
    asm volatile(
        "movq %[v], %%xmm5\n"
        "mov $40000000, %%rcx\n"
        "1: movq %%xmm5, %%rax\n"
        "cmp %[v], %%rax\n"
        "je 2f\n"
        "inc %[bad]\n"
        "2: dec %%rcx\n"
        "jnz 1b\n"
        : [bad] "+r"(bad)
        : [v] "r"(value)
        : "rax", "rcx", "xmm5", "cc");
    if (bad) user::panic("xmm: register clobbered across preemption");
    user::print("xmm: %lx kept in xmm5 across preemption\n", static_cast<unsigned long>(value));
}

// Recurses until it runs into the guard page below its stack.
__attribute__((noinline)) uint64_t deep(uint64_t n) {
    volatile char frame[1024];
    frame[0] = static_cast<char>(n);
    if (n > 1'000'000) return n;  // never: 32 KiB of stack run out long before
    return deep(n + 1) + frame[0];
}
void overflow(uint64_t) {
    deep(0);
}

// Checks of this backend, beside the scenarios goos-sim runs (sim/programs/catalog.cpp).
const Scenario kBackendScenarios[] = {
    {"bench", "ping-pong timed in TSC cycles", {{"pong", programs::pong, 0}, {"ping", ping_cycles, 20000}}, 2, 0, 0},
    {"sse",
     "two programs keep values in xmm5 while preempted",
     {{"xmm-a", xmm_keeper, 0x1111222233334444},
      {"xmm-b", xmm_keeper, 0x5555666677778888},
      {"spinner", programs::spinner, 30'000'000}},
     3,
     0,
     0},
    {"overflow",
     "a program overflows its stack into the guard page and ends; the others run on",
     {{"pong", programs::pong, 0}, {"overflow", overflow, 0}, {"ping", programs::ping, 1000}},
     3,
     0,
     1},
};

bool streq(const char* a, const char* b) {
    while (*a && *a == *b) ++a, ++b;
    return *a == *b;
}

// Finds `key=` in the command line and copies its value.
bool cmdline_value(const char* key, char* out, size_t cap) {
    const char* c = x86::cmdline();
    size_t klen = 0;
    while (key[klen]) ++klen;
    for (const char* p = c; *p; ++p) {
        if (p != c && p[-1] != ' ') continue;
        size_t i = 0;
        while (i < klen && p[i] == key[i]) ++i;
        if (i < klen || p[klen] != '=') continue;
        p += klen + 1;
        size_t n = 0;
        while (p[n] && p[n] != ' ' && n + 1 < cap) out[n] = p[n], ++n;
        out[n] = 0;
        return true;
    }
    return false;
}

// A program's budget (DESIGN.md, "Charging"): `goos.budget=SIZE` on the command line (a
// number of bytes with an optional K, M or G, as goos-sim's --budget), else the whole pool.
size_t budget_pages() {
    const size_t pool = hal::Arch::pool_pages();
    char text[24];
    if (!cmdline_value("goos.budget", text, sizeof text)) return pool;
    uint64_t bytes = 0;
    const char* p = text;
    for (; *p >= '0' && *p <= '9'; ++p) bytes = bytes * 10 + static_cast<uint64_t>(*p - '0');
    const uint64_t shift = *p == 'K' ? 10 : *p == 'M' ? 20 : *p == 'G' ? 30 : 0;
    if (p == text || (shift && p[1]) || (!shift && *p) || bytes >> (63 - shift)) {
        x86::printf("goos-x86: goos.budget=%s is not a size (bytes, or a number with K, M or G); the budget is the pool\n", text);
        return pool;
    }
    const size_t pages = static_cast<size_t>((bytes << shift) / GOOS_PAGE_SIZE);
    if (pages == 0 || pages > pool) {
        x86::printf("goos-x86: goos.budget=%s is outside 1 page to the pool; the budget is the pool\n", text);
        return pool;
    }
    return pages;
}

const Scenario* find(const char* name) {
    if (const Scenario* s = programs::find_scenario(name)) return s;
    for (const Scenario& s : kBackendScenarios)
        if (streq(name, s.name)) return &s;
    return nullptr;
}

struct Outcome {
    kernel::RunResult run;
    bool invariants_ok = false;
    bool spawned = true;
};

Outcome run_scenario(const Scenario& s) {
    Outcome out;
    hal::Arch::kernel_enter();  // programs are spawned inside a kernel section, as on hosted
    kernel::Config kc;
    kc.process_page_limit = budget_pages();
    kernel::init(kc);
    for (int i = 0; i < s.nprograms; ++i) {
        auto p = kernel::process_spawn(s.programs[i].name, s.programs[i].entry, s.programs[i].arg);
        if (!p.ok()) {
            out.spawned = false;
            out.run.status = 1;
            return out;
        }
    }
    out.run = kernel::run();  // leaves the kernel section at its end (sti)
    hal::Arch::kernel_enter();
    out.invariants_ok = kernel::check_invariants(true);
    hal::Arch::kernel_leave();
    return out;
}

void summary(const char* name, const Outcome& o) {
    x86::printf(
        "goos-x86: %s finished, status %d, %lu context switches, %lu preemptions, %lu messages, "
        "%lu syscalls, invariants %s\n",
        name, o.run.status, o.run.stats.context_switches, o.run.stats.preemptions, o.run.stats.messages,
        o.run.stats.syscalls, o.invariants_ok ? "hold" : "VIOLATED");
}

int selftest() {
    const char* const names[] = {"demo", "fault", "preempt", "stuck", "deadlock", "sse", "overflow", "demo"};
    int failed = 0;
    const size_t slots = x86::stack_slots_free();
    for (const char* name : names) {
        const Scenario* s = find(name);
        x86::printf("selftest: --- %s ---\n", name);
        const Outcome o = run_scenario(*s);
        summary(name, o);
        bool ok = o.spawned && o.invariants_ok && o.run.status == s->expect_status;
        if (o.run.stats.processes_crashed != static_cast<uint64_t>(s->expect_crashes)) ok = false;
        if (streq(name, "preempt") || streq(name, "sse")) ok = ok && o.run.stats.preemptions > 0;
        if (x86::stack_slots_free() != slots) {
            x86::printf("selftest: %lu kernel stacks leaked\n", slots - x86::stack_slots_free());
            ok = false;
        }
        x86::printf("selftest: %s %s\n", name, ok ? "ok" : "FAILED");
        if (!ok) ++failed;
    }
    x86::printf("selftest: %d of %zu scenarios failed\n", failed, sizeof names / sizeof names[0]);
    return failed ? 1 : 0;
}

// ---- program images from the boot modules ----
//
// A boot module is either a pack of images written by tools/goos-pack (its comment
// describes the format) or one bare image. Each image is loaded by the kernel's own loader,
// as goos-sim loads the files it is given.

struct PackHeader {
    char magic[8];  // "GOOSPACK"
    uint32_t version;
    uint32_t count;
};
struct PackEntry {
    char name[32];
    uint64_t offset;
    uint64_t size;
};
constexpr uint32_t kPackVersion = 1;
constexpr uint32_t kPackMaxImages = 64;

struct Image {
    const uint8_t* bytes;
    size_t size;
    char name[32];
};
constexpr size_t kMaxImages = 64;
Image images[kMaxImages];
size_t nimages = 0;
int refused = 0;

void copy_name(char* out, size_t cap, const char* in, size_t n) {
    size_t i = 0;
    for (; i < n && in[i] && i + 1 < cap; ++i) out[i] = in[i];
    out[i] = 0;
}

void add_image(const uint8_t* bytes, size_t size, const char* name, size_t name_len) {
    if (nimages == kMaxImages) {
        x86::printf("goos-x86: refused %s: more than %zu program images\n", name, kMaxImages);
        ++refused;
        return;
    }
    Image& im = images[nimages++];
    im.bytes = bytes;
    im.size = size;
    copy_name(im.name, sizeof im.name, name, name_len);
}

void refuse_module(size_t i, const char* why) {
    x86::printf("goos-x86: refused boot module %zu: %s\n", i, why);
    ++refused;
}

// A bare image is named after the first word of its module command line, without folders
// and extension ("ping", "/boot/ping.elf x" -> "ping"; GRUB's module2 passes what follows
// the module's path); "module<i>" without one.
void add_bare_image(size_t i, const x86::BootModule& m) {
    const char* c = m.cmdline;
    size_t end = 0;
    while (c[end] && c[end] != ' ') ++end;
    size_t begin = end;
    while (begin && c[begin - 1] != '/') --begin;
    size_t stop = end;
    for (size_t k = end; k > begin + 1; --k)
        if (c[k - 1] == '.') {
            stop = k - 1;
            break;
        }
    if (stop > begin) return add_image(reinterpret_cast<const uint8_t*>(m.addr), m.size, c + begin, stop - begin);
    char name[16];
    kernel::Buf(name, sizeof name).str("module").unum(i);
    add_image(reinterpret_cast<const uint8_t*>(m.addr), m.size, name, sizeof name);
}

void collect_images() {
    for (size_t i = 0; i < x86::module_count(); ++i) {
        const x86::BootModule& m = x86::module(i);
        const auto* base = reinterpret_cast<const uint8_t*>(m.addr);
        x86::printf("goos-x86: boot module %zu: %zu bytes at %lx\n", i, m.size, static_cast<uint64_t>(m.addr));
        PackHeader h;
        if (m.size < sizeof h || memcmp(base, "GOOSPACK", 8) != 0) {
            add_bare_image(i, m);  // the loader says why, if it is no image either
            continue;
        }
        memcpy(&h, base, sizeof h);
        if (h.version != kPackVersion) {
            refuse_module(i, "pack of an unknown version (tools/goos-pack writes version 1)");
            continue;
        }
        if (h.count == 0 || h.count > kPackMaxImages || (m.size - sizeof h) / sizeof(PackEntry) < h.count) {
            refuse_module(i, "pack's image count does not fit its size");
            continue;
        }
        for (uint32_t e = 0; e < h.count; ++e) {
            PackEntry pe;
            memcpy(&pe, base + sizeof h + e * sizeof pe, sizeof pe);
            pe.name[sizeof pe.name - 1] = 0;
            if (!pe.name[0]) kernel::Buf(pe.name, sizeof pe.name).str("image").unum(e);
            if (pe.offset > m.size || pe.size > m.size - pe.offset) {
                x86::printf("goos-x86: refused %s: it lies outside its pack (offset %lu, size %lu, pack %zu bytes)\n",
                            pe.name, static_cast<uint64_t>(pe.offset), static_cast<uint64_t>(pe.size), m.size);
                ++refused;
                continue;
            }
            add_image(base + pe.offset, pe.size, pe.name, sizeof pe.name);
        }
    }
}

// The offset at which the image's symbols lie (for gdb's add-symbol-file -o): where the
// loader put its first executable segment minus that segment's address in the file.
uint64_t load_offset(const Image& im, const kernel::Process* p) {
    kernel::elf::Ehdr eh;
    memcpy(&eh, im.bytes, sizeof eh);
    for (uint16_t i = 0; i < eh.phnum; ++i) {
        kernel::elf::Phdr ph;
        memcpy(&ph, im.bytes + eh.phoff + uint64_t{i} * sizeof ph, sizeof ph);
        if (ph.type == kernel::elf::kPtLoad && (ph.flags & kernel::elf::kPfX)) return p->code_begin - ph.vaddr;
    }
    return 0;
}

struct ExitRecord {
    uint32_t pid;
    int status;
    char name[32];
};
ExitRecord exits[kMaxImages];
size_t nexits = 0;

void record_exit(uint32_t pid, const char* name, int status, void*) {
    if (nexits == kMaxImages) return;
    ExitRecord& r = exits[nexits++];
    r.pid = pid;
    r.status = status;
    copy_name(r.name, sizeof r.name, name, sizeof r.name);
}

// Runs the images and returns goos-sim's exit status (sim/main.cpp): 3 when an invariant
// broke; otherwise the kernel's (2: the whole system deadlocked); otherwise the status of
// the first program that ended with a non-zero one (2 after a panic or fault); otherwise
// 65 when an image was refused; otherwise 0.
int run_images() {
    hal::Arch::kernel_enter();  // processes are made inside a kernel section, as on hosted
    kernel::Config kc;
    kc.exit_sink = record_exit;
    kc.process_page_limit = budget_pages();
    kernel::init(kc);
    size_t loaded = 0;
    for (size_t i = 0; i < nimages; ++i) {
        const Image& im = images[i];
        kernel::LoadError why;
        auto p = kernel::process_load(im.name, im.bytes, im.size, &why);
        if (!p.ok()) {
            x86::printf("goos-x86: refused %s: %s\n", im.name, why.text);
            ++refused;
            continue;
        }
        ++loaded;
        x86::printf(
            "goos-x86: %s is process %u, %zu bytes, loaded at offset 0x%lx (gdb: add-symbol-file %s.elf -o 0x%lx)\n",
            im.name, p.value()->pid, im.size, load_offset(im, p.value()), im.name, load_offset(im, p.value()));
    }
    Outcome out;
    if (loaded) out.run = kernel::run();  // leaves the kernel section at its end (sti)
    hal::Arch::kernel_enter();
    out.invariants_ok = kernel::check_invariants(true);
    hal::Arch::kernel_leave();
    summary("programs", out);
    const kernel::LedgerStats ledger = kernel::ledger_stats();
    x86::printf("goos-x86: pages allocated %lu, recycled %lu, in use %lu; invariants: %s\n", ledger.pages_allocated,
                ledger.pages_recycled, ledger.pages_in_use, out.invariants_ok ? "all six hold" : "VIOLATED");
    for (size_t i = 0; i < nexits; ++i)
        x86::printf("goos-x86: process %u (%s) exit status %d\n", exits[i].pid, exits[i].name, exits[i].status);
    if (!out.invariants_ok) return 3;
    if (out.run.status) return out.run.status;
    for (size_t i = 0; i < nexits; ++i)
        if (exits[i].status) return exits[i].status;
    return refused ? 65 : 0;
}

}  // namespace

extern "C" {
extern void (*__init_array_start[])();
extern void (*__init_array_end[])();
}

// boot.S: boot_info is hvm_start_info (protocol 0, PVH) or the Multiboot2 information
// (protocol 0x36d76289, GRUB).
extern "C" [[noreturn]] void kmain(uintptr_t boot_info, uint32_t protocol) {
    for (auto** f = __init_array_start; f != __init_array_end; ++f) (*f)();
    x86::init(boot_info, protocol);
    char name[32] = "demo";
    const bool scenario = cmdline_value("goos.scenario", name, sizeof name);
    if (!scenario && x86::module_count()) {
        // Program images came with the boot: run them (a scenario named on the command
        // line wins).
        collect_images();
        x86::printf(
            "\ngoos-x86: booted (%s), TSC %lu MHz, page pool %lu pages at %lx, %zu thread stacks, "
            "%zu boot module(s), %zu program image(s)\n",
            x86::boot_protocol_name(), x86::tsc_hz() / 1000000, static_cast<uint64_t>(hal::Arch::pool_pages()),
            static_cast<uint64_t>(hal::Arch::pool_base()), x86::stack_slots_free(), x86::module_count(), nimages);
        x86::exit(run_images());
    }
    x86::printf("\ngoos-x86: booted (%s), TSC %lu MHz, page pool %lu pages at %lx, scenario '%s'\n",
                x86::boot_protocol_name(), x86::tsc_hz() / 1000000, static_cast<uint64_t>(hal::Arch::pool_pages()),
                static_cast<uint64_t>(hal::Arch::pool_base()), name);
    if (streq(name, "selftest")) x86::exit(selftest());
    const Scenario* s = find(name);
    if (!s) {
        x86::printf("goos-x86: no scenario '%s'\n", name);
        x86::exit(1);
    }
    const Outcome o = run_scenario(*s);
    summary(s->name, o);
    x86::exit(o.invariants_ok ? o.run.status : 1);
}
