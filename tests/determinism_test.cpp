// Deterministic mode (DESIGN.md): same seed, same run: traces that name threads, processes
// and channels by id come out byte for byte the same; another seed gives another run.
#include "harness.h"

#include <sim/programs/programs.h>

namespace {

using namespace goos_test;

struct Traced {
    std::string trace;
    std::string console;
    std::vector<int64_t> notes;
};

// Runs the programs in deterministic mode with `seed` and returns the Chrome JSON trace
// (names threads, processes and channels by id), the console output and the notes.
Traced traced_run(const std::vector<sim::Program>& programs, uint64_t seed) {
    const auto r = run(programs, deterministic(seed));
    expect_clean(r);
    EXPECT_GT(r.trace.size(), 1000u) << "no trace written";
    return Traced{r.trace, r.console, notes()};
}

// ---- The demo scenario -----------------------------------------------------------------

// Rule: the demo scenario (keyboard and shell, ping-pong, an instrumented spinner, a
// crash while owning objects) gives a byte-identical trace and console output when run
// twice with the same seed, and a different trace with another seed.
TEST(Determinism, DemoScenarioSameSeedSameTrace) {
    const sim::Scenario* demo = sim::find_scenario("demo");
    ASSERT_NE(demo, nullptr);
    const std::vector<sim::Program> programs(demo->programs, demo->programs + demo->nprograms);
    const Traced first = traced_run(programs, 7);
    const Traced second = traced_run(programs, 7);
    const Traced other = traced_run(programs, 8);
    EXPECT_TRUE(first.trace == second.trace) << "same seed, different traces";
    EXPECT_EQ(first.console, second.console);
    EXPECT_FALSE(first.trace == other.trace) << "seeds 7 and 8 gave the same trace";
}

// ---- Select and preemption -------------------------------------------------------------

constexpr int kFeeders = 3;
constexpr int kPerFeeder = 100;
Chan g_feed[kFeeders];

void feeder(uint64_t i) {
    for (int n = 0; n < kPerFeeder; ++n) send64(g_feed[i], i);
}

void selector(uint64_t) {
    for (auto& c : g_feed) c = user::make_chan(sizeof(uint64_t), 2);
    for (uint64_t i = 0; i < kFeeders; ++i) go<feeder>(i);
    uint64_t vals[kFeeders];
    goos_select_case cases[kFeeders];
    for (int i = 0; i < kFeeders; ++i) cases[i] = goos_select_case{g_feed[i], &vals[i], nullptr, 0, 0};
    for (int n = 0; n < kFeeders * kPerFeeder; ++n) note(user::select(cases, kFeeders, true));
}

const std::vector<sim::Program> kSelectMix = {{"selector", selector, 0},
                                              {"spinner", programs::spinner, 2'000'000},
                                              {"pong", programs::pong, 0},
                                              {"ping", programs::ping, 300}};

// Rule: a run with select choices and preemption (seeded at kernel entries and, in the
// instrumented spinner, by basic-block budget) is the same for the same seed: identical
// trace, console output and sequence of select choices; another seed changes them.
TEST(Determinism, SelectAndPreemptionSameSeedSameTrace) {
    const Traced a = traced_run(kSelectMix, 42);
    const Traced b = traced_run(kSelectMix, 42);
    const Traced c = traced_run(kSelectMix, 43);
    ASSERT_EQ(a.notes.size(), static_cast<size_t>(kFeeders * kPerFeeder));
    EXPECT_TRUE(a.trace == b.trace) << "same seed, different traces";
    EXPECT_EQ(a.console, b.console);
    EXPECT_EQ(a.notes, b.notes);
    EXPECT_FALSE(a.trace == c.trace) << "seeds 42 and 43 gave the same trace";
    EXPECT_NE(a.notes, c.notes) << "seeds 42 and 43 made the same select choices";
}

}  // namespace
