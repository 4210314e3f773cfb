// Processes: threads inside a process, exit codes, and crash isolation: a panicking or
// faulting program ends with status 2 while the others keep running (DESIGN.md, "Kernel
// objects" and "Bad input and failure").
#include "harness.h"

#include <stdlib.h>
#include <time.h>

namespace {

using namespace goos_test;

using Statuses = std::map<uint32_t, int64_t>;

// ---- Panic -----------------------------------------------------------------------------

void panicker(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 1);
    user::publish("crashy", c);
    user::panic("boom: something went wrong");
    note(-1);  // never reached
}

void survivor(uint64_t) {
    const Chan end = user::watch(1);  // the panicker
    uint8_t dummy;
    note(user::recv(end, &dummy));  // 0: closed, the panicker ended
    // The survivor goes on as before.
    const Chan c = user::make_chan(sizeof(uint64_t), 1);
    send64(c, 8);
    uint64_t v = 0;
    recv64(c, &v);
    note(static_cast<int64_t>(v));
}

// Rule: a program that panics is ended with Go's panic message and status 2; the other
// programs keep running, and the run as a whole ends normally.
TEST(Process, PanicEndsOnlyThatProgramWithStatus2) {
    const auto r = run({{"panicker", panicker, 0}, {"survivor", survivor, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{0, 8}));
    EXPECT_TRUE(contains(r.console, "panic: boom: something went wrong\n")) << r.console;
    EXPECT_TRUE(contains(r.console, "[process 1 (panicker) exited with status 2]")) << r.console;
    EXPECT_EQ(exit_statuses(), (Statuses{{1, 2}, {2, 0}}));
    EXPECT_EQ(r.out.run.stats.processes_crashed, 1u);
}

void names_survivor(uint64_t) {
    const int64_t c = user::lookup("crashy");  // published just before the panic
    note(c > 0 ? 1 : c);
    const Chan end = user::watch(2);  // the panicker
    uint8_t dummy;
    user::recv(end, &dummy);
    note(user::lookup("crashy", 0));
}

// Rule: a panicking program's published names go with it.
TEST(Process, PanickingProgramsNamesGo) {
    // The survivor runs first and waits in lookup; the panicker publishes, which wakes it,
    // then panics.
    const auto r = run({{"survivor", names_survivor, 0}, {"panicker", panicker, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1, GOOS_NOT_FOUND}));
    EXPECT_EQ(exit_statuses(), (Statuses{{1, 0}, {2, 2}}));
}

// ---- Faults ----------------------------------------------------------------------------

// UBSan (GOOS_SANITIZE builds) would catch the null store itself and abort the test
// binary; the point here is the real SIGSEGV path, so UBSan stays out of this function.
__attribute__((no_sanitize("undefined"))) void nil_writer(uint64_t) {
    volatile int* volatile p = nullptr;
    *p = 1;    // SIGSEGV: the kernel ends this program
    note(-1);  // never reached
}

void bystander(uint64_t) {
    for (int i = 0; i < 3; ++i) user::sleep_ns(1'000'000);
    note(1);
}

// Rule: a nil dereference (a real SIGSEGV on the hosted backend) ends that program with
// Go's runtime error and status 2; the others run on.
TEST(Process, NilDereferenceEndsOnlyThatProgram) {
    const auto r = run({{"faulty", nil_writer, 0}, {"bystander", bystander, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1}));
    EXPECT_TRUE(contains(r.console, "panic: runtime error: invalid memory address or nil pointer dereference"))
        << r.console;
    EXPECT_TRUE(contains(r.console, "[signal SIGSEGV: segmentation violation")) << r.console;
    EXPECT_TRUE(contains(r.console, "[process 1 (faulty) exited with status 2]")) << r.console;
    EXPECT_EQ(exit_statuses(), (Statuses{{1, 2}, {2, 0}}));
}

void faulting_thread_main(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    go<nil_writer>(0);
    uint64_t v;
    recv64(c, &v);  // would wait for ever; the fault in the other thread ends the process
    note(-2);
}

// Rule: a fault in any thread ends the whole process (every thread), with status 2.
TEST(Process, FaultInAnyThreadEndsTheWholeProcess) {
    const auto r = run({{"faulty", faulting_thread_main, 0}, {"bystander", bystander, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1}));
    EXPECT_TRUE(contains(r.console, "[process 1 (faulty) exited with status 2]")) << r.console;
    EXPECT_EQ(exit_statuses(), (Statuses{{1, 2}, {2, 0}}));
}

// Deep recursion with 2 KiB frames runs off the end of the 64 KiB thread stack.
__attribute__((noinline)) uint64_t recurse(uint64_t depth) {
    volatile char frame[2048];
    frame[0] = static_cast<char>(depth);
    frame[sizeof frame - 1] = static_cast<char>(depth);
    if (depth == 0) return frame[0];
    return recurse(depth - 1) + static_cast<uint64_t>(frame[sizeof frame - 1]);
}

void overflower(uint64_t) {
    note(static_cast<int64_t>(recurse(100000)));  // never returns
}

// Rule: stacks have a guard page below them: a stack overflow faults and ends only that
// program, with status 2.
TEST(Process, StackOverflowHitsTheGuardPage) {
    const auto r = run({{"overflow", overflower, 0}, {"bystander", bystander, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1}));
    EXPECT_TRUE(contains(r.console, "[process 1 (overflow) exited with status 2]")) << r.console;
    EXPECT_EQ(exit_statuses(), (Statuses{{1, 2}, {2, 0}}));
}

void second_nil_writer(uint64_t) {
    user::sleep_ns(1'000'000);  // faults after the first one has been handled
    nil_writer(0);
}

// Rule: faults are handled again and again: two programs faulting one after the other in
// one run both end with status 2, and a third runs on.
TEST(Process, TwoFaultsInOneRun) {
    const auto r = run({{"faulty1", nil_writer, 0}, {"faulty2", second_nil_writer, 0}, {"bystander", bystander, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1}));
    EXPECT_EQ(exit_statuses(), (Statuses{{1, 2}, {2, 2}, {3, 0}}));
}

__attribute__((no_sanitize("undefined"))) void divides_by_zero(uint64_t) {
    volatile int64_t zero = 0;
    volatile int64_t x = 42;
    x = x / zero;  // SIGFPE on x86-64: gccgo-built Go code relies on it for Go's panic
    note(-1);
}

// Rule: an arithmetic fault (integer division by zero, SIGFPE on x86-64) is a program
// fault like a nil dereference: it ends that program with status 2, not the kernel. Run in
// a child process (death-test style) so that a kernel that dies cannot take the suite down.
// (gccgo compiles Go's integer division without a check and relies on SIGFPE for Go's
// "integer divide by zero" panic.)
[[noreturn]] void run_divider_and_exit() {
    const auto r = run({{"divider", divides_by_zero, 0}, {"bystander", bystander, 0}});
    const bool ok = r.out.run.status == 0 && r.out.invariants_ok && notes() == std::vector<int64_t>{1} &&
                    exit_statuses() == Statuses{{1, 2}, {2, 0}};
    std::exit(ok ? 0 : 1);
}

TEST(Process, DivisionByZeroEndsOnlyThatProgram) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(run_divider_and_exit(), testing::ExitedWithCode(0), "");
}

// ---- Watching a process -----------------------------------------------------------------

void ends_in_3ms(uint64_t) {
    user::sleep_ns(3'000'000);
}

void process_watcher(uint64_t) {
    const Chan w = user::watch(1);
    uint8_t v = 9;
    note(user::recv(w, &v, true));  // still running
    const uint64_t start = user::now_ns();
    note(user::recv(w, &v));  // blocks until it ends: closed
    note(user::now_ns() - start >= 2'000'000 ? 1 : 0);
    const Chan gone = user::watch(1);  // already ended: closed at once
    note(user::recv(gone, &v, true));
    const Chan never = user::watch(99);  // no such process
    note(user::recv(never, &v, true));
}

// Rule: watch(pid) gives a channel that is closed when that process ends (at once when it
// has already ended or never existed); waiting on it is not a deadlock.
TEST(Process, WatchChannelClosesWhenProcessEnds) {
    const auto r = run({{"short", ends_in_3ms, 0}, {"watcher", process_watcher, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{GOOS_WOULD_BLOCK, 0, 1, 0, 0}));
}

// ---- Exit codes ------------------------------------------------------------------------

void exits_7(uint64_t) {
    user::exit(7);
    note(-1);
}

void returns_normally(uint64_t) {}

void exit_from_thread_helper(uint64_t) {
    user::exit(3);
}

void exit_from_thread_main(uint64_t) {
    go<exit_from_thread_helper>(0);
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    uint64_t v;
    recv64(c, &v);  // never completes: another thread of the process exits it
    note(-3);
}

void exits_wide(uint64_t) {
    user::exit(0x105);
}

// Rule: exit(code) ends the process with that status (low 8 bits, as on Unix), from any of
// its threads; returning from the main thread is status 0. Non-zero statuses count as
// crashes in the run's stats.
TEST(Process, ExitCodes) {
    const auto r = run({{"seven", exits_7, 0},
                        {"zero", returns_normally, 0},
                        {"three", exit_from_thread_main, 0},
                        {"wide", exits_wide, 0}});
    expect_clean(r);
    EXPECT_TRUE(notes().empty());
    EXPECT_EQ(exit_statuses(), (Statuses{{1, 7}, {2, 0}, {3, 3}, {4, 5}}));
    EXPECT_EQ(r.out.run.stats.processes_crashed, 3u);
}

// ---- Threads ---------------------------------------------------------------------------

Chan g_results;

void worker_thread(uint64_t arg) {
    send64(g_results, arg * 10);
}

void spawn_main(uint64_t) {
    g_results = user::make_chan(sizeof(uint64_t), 0);
    int64_t ids[3];
    for (uint64_t i = 0; i < 3; ++i) ids[i] = go<worker_thread>(i + 1);
    uint64_t sum = 0;
    for (int i = 0; i < 3; ++i) {
        uint64_t v = 0;
        recv64(g_results, &v);
        sum += v;
    }
    note(static_cast<int64_t>(sum));
    note(ids[0] > 0 && ids[1] > ids[0] && ids[2] > ids[1] ? 1 : 0);
}

// Rule: a program can spawn threads (goroutines) in its own process; they share its
// channels, and thread_spawn returns distinct thread ids.
TEST(Process, ThreadSpawnInsideProcess) {
    const auto r = run({{"spawner", spawn_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{60, 1}));
    EXPECT_EQ(r.out.run.stats.threads_created, 4u);
}

volatile int g_blocked_started;
volatile int g_sleeper_started;

void blocked_forever(uint64_t c) {
    g_blocked_started = 1;
    uint64_t v;
    recv64(c, &v);
    note(-1);  // never: the process ends under it
}

void long_sleeper(uint64_t) {
    g_sleeper_started = 1;
    user::sleep_ns(30'000'000'000ULL);  // 30 s
    note(-2);
}

void main_returns(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    g_blocked_started = 0;
    g_sleeper_started = 0;
    go<blocked_forever>(c);
    go<long_sleeper>(0);
    wait_flag(&g_blocked_started);
    wait_flag(&g_sleeper_started);
    note(1);
    // Returning ends the process, as returning from main does in Go.
}

// Rule: the main thread returning ends the process with status 0 even while its other
// threads are blocked (on a channel, or asleep for a long time): they are stopped, and the
// run does not wait for them.
TEST(Process, MainReturnEndsProcessWhileOtherThreadsBlock) {
    timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const auto r = run({{"main", main_returns, 0}});
    clock_gettime(CLOCK_MONOTONIC, &t1);
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1}));
    EXPECT_EQ(exit_statuses(), (Statuses{{1, 0}}));
    const double secs =
        static_cast<double>(t1.tv_sec - t0.tv_sec) + 1e-9 * static_cast<double>(t1.tv_nsec - t0.tv_nsec);
    EXPECT_LT(secs, 5.0);
}

volatile int g_helper_done;

void returning_helper(uint64_t) {
    g_helper_done = 1;
}

void exiting_helper(uint64_t) {
    user::sys(GOOS_SYS_thread_exit);
    note(-1);
}

void helpers_main(uint64_t) {
    g_helper_done = 0;
    go<returning_helper>(0);
    go<exiting_helper>(0);
    wait_flag(&g_helper_done);
    for (int i = 0; i < 4; ++i) user::yield();
    note(1);                          // still running
    user::sys(GOOS_SYS_thread_exit);  // from the main thread: ends the process, status 0
    note(-2);
}

// Rule: a thread other than the main one ends alone (returning or thread_exit); the main
// thread's thread_exit ends the process with status 0.
TEST(Process, OtherThreadsEndAlone) {
    const auto r = run({{"helpers", helpers_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1}));
    EXPECT_EQ(exit_statuses(), (Statuses{{1, 0}}));
    EXPECT_EQ(r.out.run.stats.threads_created, 3u);
}

}  // namespace
