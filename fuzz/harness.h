// Pieces shared by the GoOS fuzz harnesses: booting a fresh kernel per input on the
// hosted backend (deterministic mode, small pool) and reading the input as a byte stream.
// The harnesses call the kernel pieces directly (hal::hosted::configure, kernel::init,
// kernel::process_spawn, kernel::run) instead of sim::run_programs, so that they need
// neither goos-simlib nor goos-programs (built with -fsanitize-coverage=trace-pc, which
// the fuzzer builds do not want).
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <hal/hal.h>
#include <kernel/abi.h>
#include <kernel/kernel.h>
#include <kernel/ledger.h>

namespace fuzz {

// Small pool: kernel::init and kernel::check_invariants (run after every step) touch every
// PageInfo. 192 pages (182 past the records) hold what 64 operations can allocate: at most
// two pages each (a process page, or a channel's buffer and a slab page, or a transfer
// record), three more for a moment in a select, and the threads' and processes' slabs.
constexpr size_t kPoolPages = 192;

// Boots a fresh deterministic kernel; `seed` drives preemption and select choices.
inline void boot(uint64_t seed, size_t pool_pages = kPoolPages) {
    hal::hosted::Config hc;
    hc.deterministic = true;
    hc.pool_pages = pool_pages;
    hal::hosted::configure(hc);
    kernel::Config kc;
    kc.seed = seed;
    kc.deterministic = true;
    kc.quiet = true;
    kernel::init(kc);
}

// Spawns a process; a failure here is a harness bug, not an input's fault.
inline kernel::Process* spawn(const char* name, kernel::ProgramEntry entry, uint64_t arg) {
    auto p = kernel::process_spawn(name, entry, arg);
    if (!p.ok()) {
        fprintf(stderr, "fuzz: process_spawn(%s) failed\n", name);
        abort();
    }
    return p.value();
}

// Ends the host process on a finding. Not __builtin_trap: the hosted HAL turns SIGILL
// (like SIGSEGV, SIGBUS and SIGFPE) raised by program code into the end of that GOOS
// program only, and the run would go on. SIGABRT is libFuzzer's and ASan's to report.
[[noreturn]] inline void die() {
    fflush(stderr);
    abort();
}

// The input as a stream: reads past the end give zeros, so every input decodes.
struct Bytes {
    const uint8_t* data;
    size_t size;
    size_t pos = 0;
    bool empty() const { return pos >= size; }
    uint8_t u8() { return pos < size ? data[pos++] : 0; }
    uint16_t u16() { return static_cast<uint16_t>(u8() | (u8() << 8)); }
    uint32_t u32() { return static_cast<uint32_t>(u16() | (uint32_t{u16()} << 16)); }
    uint64_t u64() { return u32() | (uint64_t{u32()} << 32); }
};

// Is `v` a value a syscall may return: >= 0, or one of abi.h's statuses?
inline bool is_defined_status(int64_t v) {
    if (v >= 0) return true;
    switch (v) {
#define GOOS_X(name, value, text) case value:
        GOOS_STATUSES(GOOS_X)
#undef GOOS_X
        return true;
    }
    return false;
}

// One walk over every page record: how many are free and how many are process pages.
// Runs after every step, so a plain walk of the `use` bytes (no accessor calls). The
// records live in the pool's metadata pages, which ASan never poisons, and the index
// arithmetic cannot overflow: UBSan's checks on it were most of the loop's cost.
struct PageCensus {
    size_t free = 0;
    size_t process = 0;
};
__attribute__((no_sanitize("address", "undefined"))) inline PageCensus page_census() {
    const kernel::PageInfo* info = &kernel::k.pages.info_at(0);
    const size_t end = kernel::k.pages.npages();
    PageCensus c;
    for (size_t i = kernel::k.pages.first_usable(); i < end; ++i) {
        c.free += info[i].use == kernel::PageUse::Free;
        c.process += info[i].use == kernel::PageUse::Process;
    }
    return c;
}

// The kernel's page allocator keeps a free count next to its page records: they must agree.
inline bool allocator_consistent(const PageCensus& census) { return census.free == kernel::k.pages.free_pages(); }

}  // namespace fuzz
