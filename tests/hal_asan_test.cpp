// The hosted backend under AddressSanitizer (GOOS_SANITIZE builds): stacks that are left
// for good (a dead thread's, a fault handler's) must not carry ASan poison into their next
// use. Each test runs in a child process so that ASan's abort cannot take the suite down.
// Without ASan they pass trivially.
#include "harness.h"

#include <stdlib.h>

namespace {

using namespace goos_test;

// ---- Reused thread stacks --------------------------------------------------------------

void waits_then_ends(uint64_t c) {
    uint64_t v;
    recv64(c, &v);
}

void spawns_and_ends(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    for (int i = 0; i < 4; ++i) user::go(waits_then_ends, c);  // no stack clean-up on purpose
    user::yield();
    user::yield();
    user::close(c);
    user::yield();
}

[[noreturn]] void boot_many_times() {
    for (int i = 0; i < 30; ++i) {
        sim::Program p[2] = {{"a", spawns_and_ends, 0}, {"b", spawns_and_ends, 0}};
        sim::Options o;
        o.console = false;
        if (!sim::run_programs(p, 2, o).invariants_ok) std::exit(1);
    }
    std::exit(0);
}

// Rule: threads that end and new threads that start (within a run, and across boots of
// the kernel in one host process) run without false ASan reports.
// (hal-hosted/hosted.cpp unpoisons a cached stack when it is reused.)
TEST(HalAsan, ReusedThreadStacksCarryNoStalePoison) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(boot_many_times(), testing::ExitedWithCode(0), "");
}

// ---- Repeated faults -------------------------------------------------------------------

__attribute__((no_sanitize("undefined"))) void raw_nil_writer(uint64_t delay_ns) {
    if (delay_ns) user::sleep_ns(delay_ns);
    volatile int* volatile p = nullptr;
    *p = 1;  // no alternate-stack clean-up on purpose
}

void survives(uint64_t) {
    user::sleep_ns(3'000'000);
}

[[noreturn]] void fault_twice() {
    sim::Program p[3] = {{"f1", raw_nil_writer, 0}, {"f2", raw_nil_writer, 1'000'000}, {"ok", survives, 0}};
    sim::Options o;
    o.console = false;
    const sim::Outcome out = sim::run_programs(p, 3, o);
    std::exit(out.invariants_ok && out.run.stats.processes_crashed == 2 ? 0 : 1);
}

// Rule: a second program fault in the same host process is handled like the first.
// (The fault handler never returns; hal-hosted/hosted.cpp unpoisons the alternate signal
// stack on entry.)
TEST(HalAsan, RepeatedFaultsOnTheAlternateSignalStack) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(fault_twice(), testing::ExitedWithCode(0), "");
}

}  // namespace
