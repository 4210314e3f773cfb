// GoOS on bare-metal x86-64: brings the machine up, boots the kernel core with the same
// built-in programs as goos-sim's scenarios, and reports the kernel's run status through
// isa-debug-exit. The scenario comes from the PVH command line (QEMU -append):
//   goos.scenario=demo|fault|preempt|stuck|deadlock|pingpong|bench|sse|overflow|selftest
// (default demo).
#include <hal/hal.h>
#include <kernel/kernel.h>
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
void overflow(uint64_t) { deep(0); }

// Checks of this backend, beside the scenarios goos-sim runs (sim/programs/catalog.cpp).
const Scenario kBackendScenarios[] = {
    {"bench", "ping-pong timed in TSC cycles", {{"pong", programs::pong, 0}, {"ping", ping_cycles, 20000}}, 2, 0, 0},
    {"sse",
     "two programs keep values in xmm5 while preempted",
     {{"xmm-a", xmm_keeper, 0x1111222233334444}, {"xmm-b", xmm_keeper, 0x5555666677778888},
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
    x86::printf("goos-x86: %s finished, status %d, %lu context switches, %lu preemptions, %lu messages, "
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
    cmdline_value("goos.scenario", name, sizeof name);
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
