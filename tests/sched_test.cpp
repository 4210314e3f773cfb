// The scheduler: sleeping by deadline, and preemption of threads that never call the
// kernel (DESIGN.md, "Scheduler" and "Deterministic mode").
#include "harness.h"

#include <sim/programs/programs.h>

namespace {

using namespace goos_test;

// ---- Sleep -----------------------------------------------------------------------------

constexpr uint64_t kMs = 1'000'000;
int g_sleepers_done;

void sleeper(uint64_t ms) {
    const uint64_t start = user::now_ns();
    user::sleep_ns(ms * kMs);
    const uint64_t took = user::now_ns() - start;
    note(static_cast<int64_t>(ms));
    if (took < ms * kMs) note(-static_cast<int64_t>(ms));  // woke too early
    __atomic_fetch_add(&g_sleepers_done, 1, __ATOMIC_SEQ_CST);
}

void sleep_main(uint64_t) {
    g_sleepers_done = 0;
    // Started in this order; their deadlines are in another.
    for (uint64_t ms : {9, 3, 6, 1}) go<sleeper>(ms);
    while (__atomic_load_n(&g_sleepers_done, __ATOMIC_SEQ_CST) < 4) user::sleep_ns(kMs / 2);
}

// Rule: sleepers wake in the order of their deadlines, none before its deadline; with all
// threads asleep the system idles (no deadlock). Checked on the real clock (timer mode)
// and on the virtual clock (deterministic mode).
TEST(Sched, SleepOrdersWakeupsByDeadline) {
    for (bool det : {false, true}) {
        sim::Options o;
        o.deterministic = det;
        o.seed = 3;
        const auto r = run({{"sleepers", sleep_main, 0}}, o);
        expect_clean(r);
        EXPECT_EQ(notes(), (std::vector<int64_t>{1, 3, 6, 9})) << (det ? "deterministic" : "timer");
    }
}

// ---- Preemption: a spinner does not starve a ping-pong pair ----------------------------

enum { kSpinnerStarts = 1, kPingPongDone = 2, kSpinnerSawDone = 3, kSpinnerGaveUp = 4 };
constexpr uint64_t kRounds = 10;
volatile int g_pingpong_done;

// Never calls the kernel inside its loop: only a timer tick can take the CPU from it. It
// spins until the ping-pong pair is done, or gives up after a bound far beyond that (so a
// broken scheduler fails the test instead of hanging it).
void flag_spinner(uint64_t) {
    note(kSpinnerStarts);
    volatile uint64_t i = 0;
    while (!g_pingpong_done && i < 6'000'000'000ULL) i = i + 1;
    note(g_pingpong_done ? kSpinnerSawDone : kSpinnerGaveUp);
}

void pp_pong(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    user::publish("pp", c);
    uint64_t v;
    while (recv64(c, &v) == 1) {
        // The reply goes back on the same channel: the pinger is its only other receiver.
        send64(c, v + 1);
    }
}

void pp_ping(uint64_t) {
    const Chan c = static_cast<Chan>(user::lookup("pp"));
    for (uint64_t i = 0; i < kRounds; ++i) {
        uint64_t back = 0;
        send64(c, i);
        if (recv64(c, &back) != 1 || back != i + 1) note(-100);
    }
    note(kPingPongDone);
    g_pingpong_done = 1;
    user::close(c);
}

// Rule (timer mode): the timer tick preempts a thread that never enters the kernel, so a
// ping-pong pair completes its rounds while the spinner is still spinning.
TEST(Sched, TimerPreemptsSpinnerThatNeverCallsTheKernel) {
    g_pingpong_done = 0;
    const auto r = run({{"spinner", flag_spinner, 0}, {"pong", pp_pong, 0}, {"ping", pp_ping, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{kSpinnerStarts, kPingPongDone, kSpinnerSawDone}));
    EXPECT_GT(r.out.run.stats.preemptions, 0u);
}

// Rule (deterministic mode): with no timer, a spinner built with basic-block coverage
// callbacks (the built-in programs are) is preempted on a seeded budget of blocks, so the
// ping-pong pair finishes first here too. Without that preemption the spinner would run its
// whole loop first. (In a Debug build 100 round trips are done within the spinner's first
// 2.5 million iterations; the loop is over ten times longer, and with a fixed seed the run
// is the same on every try.)
TEST(Sched, DeterministicModePreemptsInstrumentedSpinner) {
    const auto r =
        run({{"spinner", programs::spinner, 30'000'000}, {"pong", programs::pong, 0}, {"ping", programs::ping, 100}},
            deterministic(11));
    expect_clean(r);
    const size_t ping_line = r.console.find("ping: 100 round trips");
    const size_t spin_line = r.console.find("spinner: 30000000 iterations");
    ASSERT_NE(ping_line, std::string::npos) << r.console;
    ASSERT_NE(spin_line, std::string::npos) << r.console;
    EXPECT_LT(ping_line, spin_line) << r.console;
    EXPECT_GT(r.out.run.stats.preemptions, 0u);
}

// ---- Deterministic preemption at kernel entries ----------------------------------------

int g_yielders_left;

void counter_thread(uint64_t id) {
    // Only non-blocking kernel calls: each kernel exit may be a preemption point.
    for (int i = 0; i < 200; ++i) {
        note(static_cast<int64_t>(id));
        user::now_ns();
    }
    __atomic_fetch_sub(&g_yielders_left, 1, __ATOMIC_SEQ_CST);
}

void interleave_main(uint64_t) {
    g_yielders_left = 2;
    go<counter_thread>(1);
    go<counter_thread>(2);
    while (__atomic_load_n(&g_yielders_left, __ATOMIC_SEQ_CST) > 0) user::sleep_ns(1000);
}

// Rule (deterministic mode): kernel entries are seeded preemption points: two threads that
// never block or yield still interleave, and the interleaving is the same for the same seed.
TEST(Sched, DeterministicModePreemptsAtKernelEntries) {
    const auto first = run({{"interleave", interleave_main, 0}}, deterministic(5));
    expect_clean(first);
    const std::vector<int64_t> order = notes();
    ASSERT_EQ(order.size(), 400u);
    int switches = 0;
    for (size_t i = 1; i < order.size(); ++i) switches += order[i] != order[i - 1];
    EXPECT_GT(switches, 1) << "the two threads never interleaved";
    EXPECT_GT(first.out.run.stats.preemptions, 0u);

    const auto again = run({{"interleave", interleave_main, 0}}, deterministic(5));
    expect_clean(again);
    EXPECT_EQ(notes(), order);
}

// ---- A thread that never reaches a preemption point (deterministic mode) ----------------

void endless_spinner(uint64_t) {
    volatile uint64_t n = 0;
    for (;;) n = n + 1;  // test code is not built with basic-block callbacks
}

// Rule (deterministic mode): a thread that runs far too long without a preemption point
// fails the run, with a message naming it; the run does not hang.
TEST(Sched, DeterministicRunStopsOnAThreadThatNeverYields) {
    sim::Options o = deterministic(3);
    o.stall_ns = 200'000'000;
    const auto r = run({{"pong", programs::pong, 0}, {"endless", endless_spinner, 0}}, o);
    EXPECT_EQ(r.out.run.status, 3);
    EXPECT_TRUE(r.out.run.stalled);
    EXPECT_NE(r.console.find("goos: deterministic run stopped: thread"), std::string::npos) << r.console;
    EXPECT_NE(r.console.find("(endless) ran for 200 ms of CPU time"), std::string::npos) << r.console;
    EXPECT_TRUE(r.out.invariants_ok);
    EXPECT_EQ(r.out.ledger.pages_in_use, 0u);
}

}  // namespace
