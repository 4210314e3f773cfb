// Waits no one can complete (DESIGN.md): a system where every thread is blocked reports
// Go's deadlock message naming each wait and exits with status 2; a process all of whose
// threads wait on what no other live process can complete ends alone, with the same
// message and status 2, while the others run on.
#include "harness.h"

namespace {

using namespace goos_test;

using Statuses = std::map<uint32_t, int64_t>;
const char kDeadlock[] = "fatal error: all goroutines are asleep - deadlock!";

// ---- The whole system ------------------------------------------------------------------

void lonely_receiver(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    // Published, so some other program could still look it up and send: not a wait that
    // no one can complete, but every thread of the system is blocked.
    user::publish("inbox", c);
    uint64_t v;
    recv64(c, &v);
    note(-1);
}

// Rule: when every thread waits, run_programs returns status 2 with deadlock set, and the
// console has Go's message and what the thread waits on, with the process name.
TEST(Deadlock, WholeSystemDeadlockIsReported) {
    const auto r = run({{"lonely", lonely_receiver, 0}});
    EXPECT_EQ(r.out.run.status, 2);
    EXPECT_TRUE(r.out.run.deadlock);
    expect_all_freed(r);  // the processes still there are ended, and all they had freed
    EXPECT_TRUE(notes().empty());
    EXPECT_TRUE(contains(r.console, kDeadlock)) << r.console;
    EXPECT_TRUE(contains(r.console, "goroutine 1 [chan receive]:")) << r.console;
    EXPECT_TRUE(contains(r.console, "process 1 (lonely) waits on receive from channel #1 \"inbox\"")) << r.console;
}

void lonely_sender(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    user::publish("outbox", c);
    send64(c, 1);
    note(-2);
}

void lonely_selector(uint64_t) {
    const Chan a = user::make_chan(sizeof(uint64_t), 0);
    const Chan b = user::make_chan(sizeof(uint64_t), 0);
    user::publish("sel-a", a);
    user::publish("sel-b", b);
    uint64_t va, vb = 4;
    goos_select_case cases[2] = {{a, &va, nullptr, 0, 0}, {b, &vb, nullptr, 1, 0}};
    user::select(cases, 2, true);
    note(-3);
}

// Rule: the deadlock report names every blocked thread of every process: receives, sends
// and selects (all cases).
TEST(Deadlock, WholeSystemReportNamesEveryWait) {
    const auto r = run({{"rx", lonely_receiver, 0}, {"tx", lonely_sender, 0}, {"sel", lonely_selector, 0}});
    EXPECT_EQ(r.out.run.status, 2);
    EXPECT_TRUE(r.out.run.deadlock);
    expect_all_freed(r);
    EXPECT_TRUE(notes().empty());
    EXPECT_TRUE(contains(r.console, kDeadlock)) << r.console;
    EXPECT_TRUE(contains(r.console, "process 1 (rx) waits on receive from channel #")) << r.console;
    EXPECT_TRUE(contains(r.console, "[chan send]:")) << r.console;
    EXPECT_TRUE(contains(r.console, "process 2 (tx) waits on send to channel #")) << r.console;
    EXPECT_TRUE(contains(r.console, "[select]:")) << r.console;
    EXPECT_TRUE(contains(r.console, "\"sel-a\", send to channel #")) << r.console;
    // Every process still there is ended with status 2.
    EXPECT_EQ(exit_statuses(), (Statuses{{1, 2}, {2, 2}, {3, 2}}));
}

// ---- One process -----------------------------------------------------------------------

void stuck_receiver(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    uint64_t v;
    recv64(c, &v);  // no one else holds c: no one can ever send
    note(-1);
}

void busy_worker(uint64_t) {
    for (int i = 0; i < 3; ++i) user::sleep_ns(1'000'000);
    note(1);
}

// Rule: a program waiting on a channel that no other process holds ends with the deadlock
// message, naming its wait, and status 2; another program finishes normally and the run
// is not a deadlock.
TEST(Deadlock, ProcessWaitingOnChannelNobodyElseHoldsEnds) {
    const auto r = run({{"stuck", stuck_receiver, 0}, {"worker", busy_worker, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1}));
    EXPECT_TRUE(contains(r.console, kDeadlock)) << r.console;
    EXPECT_TRUE(contains(r.console, "process 1 (stuck) waits on receive from channel #1")) << r.console;
    EXPECT_TRUE(contains(r.console, "[process 1 (stuck) exited with status 2]")) << r.console;
    EXPECT_EQ(exit_statuses(), (Statuses{{1, 2}, {2, 0}}));
}

volatile int g_sender_ready;

void stuck_sender_thread(uint64_t c) {
    g_sender_ready = 1;
    send64(c, 1);  // no receiver anywhere
    note(-1);
}

void stuck_two_threads(uint64_t) {
    const Chan in = user::make_chan(sizeof(uint64_t), 0);
    const Chan out = user::make_chan(sizeof(uint64_t), 0);
    g_sender_ready = 0;
    go<stuck_sender_thread>(out);
    uint64_t v;
    recv64(in, &v);
    note(-2);
}

// Rule: the process ends when all of its threads are in such waits, whichever blocked
// last; the message names each thread's wait.
TEST(Deadlock, ProcessWhoseThreadsAllWaitOnItsOwnChannelsEnds) {
    const auto r = run({{"pair", stuck_two_threads, 0}, {"worker", busy_worker, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1}));
    EXPECT_TRUE(contains(r.console, "process 1 (pair) waits on receive from channel #1")) << r.console;
    EXPECT_TRUE(contains(r.console, "process 1 (pair) waits on send to channel #2")) << r.console;
    EXPECT_TRUE(contains(r.console, "[process 1 (pair) exited with status 2]")) << r.console;
    EXPECT_EQ(exit_statuses(), (Statuses{{1, 2}, {2, 0}}));
}

void short_lived_publisher(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    user::publish("fleeting", c);
    user::sleep_ns(2'000'000);  // then ends without ever sending
}

void waits_on_fleeting(uint64_t) {
    const int64_t c = user::lookup("fleeting");
    uint64_t v;
    recv64(static_cast<Chan>(c), &v);  // possible while the publisher lives...
    note(-1);
}

// Rule: a wait becomes one no one can complete when the last other holder ends: the
// waiting process ends with the deadlock message at that point.
TEST(Deadlock, ProcessEndsWhenTheLastOtherHolderEnds) {
    const auto r =
        run({{"publisher", short_lived_publisher, 0}, {"waiter", waits_on_fleeting, 0}, {"worker", busy_worker, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1}));
    EXPECT_TRUE(contains(r.console, "process 2 (waiter) waits on receive from channel #1")) << r.console;
    EXPECT_TRUE(contains(r.console, "[process 2 (waiter) exited with status 2]")) << r.console;
    EXPECT_EQ(exit_statuses(), (Statuses{{1, 0}, {2, 2}, {3, 0}}));
}

// ---- The last runnable thread of a process ends ----------------------------------------

void quitter(uint64_t) {}  // returns at once, without sending anything

void stuck_after_helper_ends(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    go<quitter>(0);
    uint64_t v;
    recv64(c, &v);  // when this blocks the helper is still runnable; then it just ends
    note(-1);
}

// Watches process 1 for 50 ms (it should have ended long before) and records whether it
// saw it end while still running itself.
void watcher(uint64_t) {
    const Chan end = user::watch(1);
    int64_t seen = 0;
    for (int i = 0; i < 50 && !seen; ++i) {
        uint8_t dummy;
        seen = user::recv(end, &dummy, true) == 0;
        if (!seen) user::sleep_ns(1'000'000);
    }
    note(seen);
}

// Rule: a process whose last runnable thread ends, leaving the others in waits no one can
// complete, ends at that point with the deadlock message and status 2 (it is "every
// thread of the process is in such a wait", reached through a thread's end rather than a
// thread's block).

TEST(Deadlock, ProcessEndsWhenItsLastRunnableThreadEnds) {
    const auto r = run({{"stuck", stuck_after_helper_ends, 0}, {"watcher", watcher, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1})) << "process 1 was not ended while the watcher ran";
    EXPECT_TRUE(contains(r.console, "[process 1 (stuck) exited with status 2]")) << r.console;
    EXPECT_EQ(exit_statuses(), (Statuses{{1, 2}, {2, 0}}));

    // Alone, the same program must end by the per-process rule, not as a system deadlock.
    const auto alone = run({{"stuck", stuck_after_helper_ends, 0}});
    EXPECT_EQ(alone.out.run.status, 0) << alone.console;
    EXPECT_FALSE(alone.out.run.deadlock) << alone.console;
    EXPECT_TRUE(contains(alone.console, "[process 1 (stuck) exited with status 2]")) << alone.console;
}

}  // namespace
