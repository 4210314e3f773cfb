// Select: Go's semantics (DESIGN.md, "Kernel objects"): a uniformly random choice among
// the ready cases, default when none is ready, otherwise wait on every case and be woken by
// the first, unhooked from the rest.
#include "harness.h"

namespace {

using namespace goos_test;

goos_select_case recv_case(Chan c, void* elem) {
    return goos_select_case{c, elem, nullptr, 0, 0};
}
goos_select_case send_case(Chan c, void* elem) {
    return goos_select_case{c, elem, nullptr, 1, 0};
}

// ---- A ready case is chosen ------------------------------------------------------------

void ready_main(uint64_t) {
    const Chan empty = user::make_chan(sizeof(uint64_t), 1);    // receive: not ready
    const Chan full_rx = user::make_chan(sizeof(uint64_t), 1);  // receive: ready
    send64(full_rx, 77);
    const Chan full_tx = user::make_chan(sizeof(uint64_t), 1);  // send: not ready
    send64(full_tx, 1);
    uint64_t va = 0, vb = 0, vc = 5;
    goos_select_case cases[3] = {recv_case(empty, &va), recv_case(full_rx, &vb), send_case(full_tx, &vc)};
    note(user::select(cases, 3, false));
    note(static_cast<int64_t>(vb));
    note(cases[1].ok);
    note(chan_len(full_rx));
    note(chan_len(full_tx));

    // Only a send case is ready: it is taken and its value is buffered.
    const Chan room = user::make_chan(sizeof(uint64_t), 1);
    uint64_t vd = 33;
    goos_select_case cases2[2] = {recv_case(empty, &va), send_case(room, &vd)};
    note(user::select(cases2, 2, true));
    note(chan_len(room));
    uint64_t got = 0;
    recv64(room, &got, true);
    note(static_cast<int64_t>(got));
}

// Rule: when cases are ready, select takes one of them (and only ready ones): a ready
// receive gets the value with ok=1; a ready send buffers its value.
TEST(Select, ReadyCaseIsChosen) {
    const auto r = run({{"ready", ready_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1, 77, 1, 0, 1, 1, 1, 33}));
}

// ---- Default ---------------------------------------------------------------------------

void default_main(uint64_t) {
    const Chan empty = user::make_chan(sizeof(uint64_t), 2);
    const Chan full = user::make_chan(sizeof(uint64_t), 1);
    send64(full, 9);
    const Chan unbuffered = user::make_chan(sizeof(uint64_t), 0);
    uint64_t a = 1, b = 2, c = 3, d = 4;
    goos_select_case cases[4] = {recv_case(empty, &a), send_case(full, &b), recv_case(unbuffered, &c),
                                 send_case(unbuffered, &d)};
    note(user::select(cases, 4, false));
    // Nothing moved.
    note(chan_len(empty));
    note(chan_len(full));
    note(static_cast<int64_t>(a));
    note(static_cast<int64_t>(c));
    // Only nil channels, and no cases at all: default too.
    goos_select_case nils[2] = {recv_case(0, &a), send_case(0, &b)};
    note(user::select(nils, 2, false));
    note(user::select(nils, 0, false));
}

// Rule: a non-blocking select with no ready case returns GOOS_SELECT_DEFAULT and changes
// nothing; nil-channel cases are never ready.
TEST(Select, DefaultWhenNoneReady) {
    const auto r = run({{"default", default_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(),
              (std::vector<int64_t>{GOOS_SELECT_DEFAULT, 0, 1, 1, 3, GOOS_SELECT_DEFAULT, GOOS_SELECT_DEFAULT}));
}

// ---- Blocking select: woken by the first ready case, unhooked from the rest ------------

struct Three {
    Chan a, b, c, quit;
};
Three g_three;
volatile int g_in_select;
volatile int g_select_done;
int64_t g_fired, g_value, g_ok;  // what the waiting select got

void select_recv_waiter(uint64_t) {
    const Three ch = g_three;  // plain reads of a global are fine; syscall buffers are not
    uint64_t va = 0, vb = 0, vc = 0;
    goos_select_case cases[3] = {recv_case(ch.a, &va), recv_case(ch.b, &vb), recv_case(ch.c, &vc)};
    g_in_select = 1;
    g_fired = user::select(cases, 3, true);
    g_value = static_cast<int64_t>(vb);
    g_ok = cases[1].ok;
    g_select_done = 1;
    // Stay alive (blocked elsewhere) so that a waiter left hooked on a or c would still be
    // found by a sender.
    uint64_t q;
    recv64(ch.quit, &q);
}

void select_recv_main(uint64_t) {
    g_three = {user::make_chan(sizeof(uint64_t), 0), user::make_chan(sizeof(uint64_t), 0),
               user::make_chan(sizeof(uint64_t), 0), user::make_chan(sizeof(uint64_t), 0)};
    g_in_select = 0;
    g_select_done = 0;
    go<select_recv_waiter>(0);
    wait_flag(&g_in_select);
    note(g_select_done);  // 0: the waiter is blocked in select
    note(send64(g_three.b, 7));
    wait_flag(&g_select_done);
    // The finished select must not take these: no receiver waits on a or c any more.
    note(send64(g_three.a, 1, true));
    note(send64(g_three.c, 1, true));
    send64(g_three.quit, 0);
}

// Rule: a blocking select with no ready case waits on all cases, is woken by the first that
// becomes ready (here a send on b by another thread), and is unhooked from the others.
TEST(Select, BlockingSelectWokenByFirstReadyCaseAndUnhookedFromTheRest) {
    g_fired = g_value = g_ok = -100;
    const auto r = run({{"selrecv", select_recv_main, 0}});
    expect_clean(r);
    // Not done before the send; the send completed; then a and c have no receiver.
    EXPECT_EQ(notes(), (std::vector<int64_t>{0, 0, GOOS_WOULD_BLOCK, GOOS_WOULD_BLOCK}));
    EXPECT_EQ(g_fired, 1);
    EXPECT_EQ(g_value, 7);
    EXPECT_EQ(g_ok, 1);
}

void select_send_waiter(uint64_t) {
    const Three ch = g_three;
    uint64_t va = 5, vc = 6, vb = 0;
    goos_select_case cases[3] = {send_case(ch.a, &va), recv_case(ch.b, &vb), send_case(ch.c, &vc)};
    g_in_select = 1;
    g_fired = user::select(cases, 3, true);
    g_select_done = 1;
    uint64_t q;
    recv64(ch.quit, &q);
}

void select_send_main(uint64_t) {
    g_three = {user::make_chan(sizeof(uint64_t), 0), user::make_chan(sizeof(uint64_t), 0),
               user::make_chan(sizeof(uint64_t), 0), user::make_chan(sizeof(uint64_t), 0)};
    g_in_select = 0;
    g_select_done = 0;
    go<select_send_waiter>(0);
    wait_flag(&g_in_select);
    note(g_select_done);
    uint64_t v = 0;
    const int64_t got = recv64(g_three.a, &v);  // takes the select's send case 0
    wait_flag(&g_select_done);
    note(got);
    note(static_cast<int64_t>(v));
    uint64_t w = 99;
    note(recv64(g_three.c, &w, true));  // the other send case is gone
    note(static_cast<int64_t>(w));
    note(send64(g_three.b, 1, true));  // and so is the receive case
    send64(g_three.quit, 0);
}

// Rule: the same with send cases: a receiver takes one send case's value, and the select's
// other send and receive cases are unhooked (their values are not delivered later).
TEST(Select, BlockingSelectSendCaseFiresAndOthersAreUnhooked) {
    g_fired = -100;
    const auto r = run({{"selsend", select_send_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{0, 1, 5, GOOS_WOULD_BLOCK, 99, GOOS_WOULD_BLOCK}));
    EXPECT_EQ(g_fired, 0);
}

// ---- Closed channels in select ---------------------------------------------------------

void select_closed_main(uint64_t) {
    const Chan closed = user::make_chan(sizeof(uint64_t), 1);
    user::close(closed);
    const Chan empty = user::make_chan(sizeof(uint64_t), 1);
    uint64_t v = 123, e = 0;
    goos_select_case cases[2] = {recv_case(empty, &e), recv_case(closed, &v)};
    cases[1].ok = 7;
    note(user::select(cases, 2, true));
    note(cases[1].ok);
    note(static_cast<int64_t>(v));
    uint64_t s = 1;
    goos_select_case sends[2] = {recv_case(empty, &e), send_case(closed, &s)};
    note(user::select(sends, 2, false));
}

// Rule: a receive case on a closed channel is ready and gives the zero value with ok=0; a
// send case on a closed channel fails with CLOSED (Go panics).
TEST(Select, ClosedChannelCases) {
    const auto r = run({{"selclosed", select_closed_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1, 0, 0, GOOS_CLOSED}));
}

void select_close_waiter(uint64_t) {
    const Three ch = g_three;
    uint64_t va = 0, vb = 55;
    goos_select_case cases[2] = {recv_case(ch.a, &va), recv_case(ch.b, &vb)};
    cases[1].ok = 7;
    g_in_select = 1;
    g_fired = user::select(cases, 2, true);
    g_ok = cases[1].ok;
    g_value = static_cast<int64_t>(vb);
    g_select_done = 1;
}

void select_close_main(uint64_t) {
    g_three = {user::make_chan(sizeof(uint64_t), 0), user::make_chan(sizeof(uint64_t), 0), 0, 0};
    g_in_select = 0;
    g_select_done = 0;
    go<select_close_waiter>(0);
    wait_flag(&g_in_select);
    note(g_select_done);
    note(user::close(g_three.b));
    wait_flag(&g_select_done);
    note(send64(g_three.a, 1, true));  // unhooked from a
}

// Rule: closing a channel wakes a select blocked on it; the case fires with ok=0 and the
// zero value.
TEST(Select, CloseWakesBlockedSelect) {
    g_fired = g_ok = g_value = -100;
    const auto r = run({{"selclose", select_close_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{0, 0, GOOS_WOULD_BLOCK}));
    EXPECT_EQ(g_fired, 1);
    EXPECT_EQ(g_ok, 0);
    EXPECT_EQ(g_value, 0);
}

void empty_select_main(uint64_t) {
    goos_select_case none[1];
    user::select(none, 0, true);  // select {}
    note(-1);
}

void select_bystander(uint64_t) {
    user::sleep_ns(2'000'000);
    note(1);
}

// Rule: a blocking select with no cases (or only nil channels) blocks for ever: alone in
// its process, the process ends by the deadlock rule; others run on.
TEST(Select, EmptySelectBlocksForever) {
    const auto r = run({{"empty", empty_select_main, 0}, {"other", select_bystander, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1}));
    EXPECT_TRUE(contains(r.console, "fatal error: all goroutines are asleep - deadlock!")) << r.console;
    EXPECT_TRUE(contains(r.console, "[process 1 (empty) exited with status 2]")) << r.console;
}

// ---- Deadlines -------------------------------------------------------------------------

void deadline_main(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    uint64_t v = 0;
    goos_select_case cases[1] = {recv_case(c, &v)};
    const uint64_t start = user::now_ns();
    const uint64_t deadline = start + 2000000;  // 2 ms
    note(user::sys(GOOS_SYS_select, reinterpret_cast<uint64_t>(cases), 1, GOOS_SELECT_BLOCK, deadline));
    note(user::now_ns() >= deadline ? 1 : 0);
    // Unhooked: a sender finds no receiver waiting (a send that blocks would hang here).
    note(send64(c, 5, true));
    // A case that comes ready before the deadline wins as usual.
    const Chan ready = user::make_chan(sizeof(uint64_t), 1);
    send64(ready, 9);
    goos_select_case ready_cases[1] = {recv_case(ready, &v)};
    note(user::sys(GOOS_SYS_select, reinterpret_cast<uint64_t>(ready_cases), 1, GOOS_SELECT_BLOCK,
                   user::now_ns() + 1000000));
    note(static_cast<int64_t>(v));
    // No case at all: a sleep until the deadline.
    note(user::sys(GOOS_SYS_select, 0, 0, GOOS_SELECT_BLOCK, user::now_ns() + 1000000));
}

// Rule: a blocking select with a deadline (its fourth argument) returns TIMED_OUT once the
// deadline passed with no case taken, unhooked from every case; a timed wait is no deadlock.
TEST(Select, DeadlinePassesWithTimedOutAndUnhooks) {
    const auto r = run({{"deadline", deadline_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{GOOS_TIMED_OUT, 1, GOOS_WOULD_BLOCK, 0, 9, GOOS_TIMED_OUT}));
}

// ---- Fairness --------------------------------------------------------------------------

constexpr int kFairCases = 4;
constexpr int kFairRounds = 20000;
uint64_t g_fair_counts[kFairCases];
int64_t g_fair_bad;

void fairness_main(uint64_t) {
    Chan ch[kFairCases];
    uint64_t vals[kFairCases];
    goos_select_case cases[kFairCases];
    for (int i = 0; i < kFairCases; ++i) {
        ch[i] = user::make_chan(sizeof(uint64_t), 1);
        send64(ch[i], 0);  // full: always ready to receive
        cases[i] = recv_case(ch[i], &vals[i]);
    }
    uint64_t counts[kFairCases] = {};
    int64_t bad = 0;
    for (int n = 0; n < kFairRounds; ++n) {
        const int64_t fired = user::select(cases, kFairCases, true);
        if (fired < 0 || fired >= kFairCases) {
            ++bad;
            continue;
        }
        ++counts[fired];
        if (send64(ch[fired], 0, true) != 0) ++bad;  // keep it full
    }
    for (int i = 0; i < kFairCases; ++i) g_fair_counts[i] = counts[i];
    g_fair_bad = bad;
}

// Rule: select chooses uniformly among ready cases. 20,000 selects over 4 always-ready
// cases, under a fixed seed (deterministic mode) so that the test cannot fail at random;
// the chi-square statistic must stay below 16.27, the 0.999 quantile for 3 degrees of
// freedom.
TEST(Select, FairnessChiSquare) {
    for (auto& c : g_fair_counts) c = 0;
    g_fair_bad = -1;
    const auto r = run({{"fair", fairness_main, 0}}, deterministic(20240601));
    expect_clean(r);
    EXPECT_EQ(g_fair_bad, 0);
    const double expected = static_cast<double>(kFairRounds) / kFairCases;
    double chi2 = 0;
    uint64_t total = 0;
    for (uint64_t c : g_fair_counts) {
        chi2 += (static_cast<double>(c) - expected) * (static_cast<double>(c) - expected) / expected;
        total += c;
    }
    EXPECT_EQ(total, static_cast<uint64_t>(kFairRounds));
    EXPECT_LT(chi2, 16.27) << "counts " << g_fair_counts[0] << " " << g_fair_counts[1] << " " << g_fair_counts[2] << " "
                           << g_fair_counts[3];
}

}  // namespace

// ---- Large selects and bad descriptions ------------------------------------------------

namespace {

void large_waiter(uint64_t) {
    Chan chans[20];
    for (Chan& c : chans) c = user::make_chan(sizeof(uint64_t), 0);
    uint64_t v[200] = {};
    goos_select_case cases[200];
    for (int i = 0; i < 200; ++i) cases[i] = recv_case(chans[i % 20], &v[i]);
    note(1);
    user::select(cases, 200, true);  // no one ever sends: it waits until its process ends
    note(2);
}

void large_main(uint64_t) {
    go<large_waiter>(0);
    user::yield();
    // Ready among 200 cases: the only ready one is taken.
    const Chan ready = user::make_chan(sizeof(uint64_t), 1);
    send64(ready, 7);
    const Chan idle = user::make_chan(sizeof(uint64_t), 0);
    uint64_t v[200] = {};
    goos_select_case cases[200];
    for (int i = 0; i < 200; ++i) cases[i] = recv_case(i == 123 ? ready : idle, &v[i]);
    note(user::select(cases, 200, true));
    note(static_cast<int64_t>(v[123]));
}

}  // namespace

// Rule: a select may have as many cases as Go allows (65,536); one too large for the
// kernel stack keeps its cases in kernel pages, freed when it returns and when its thread
// is ended while it waits (expect_clean: no Buffer page is left).
TEST(Select, LargeSelectsWorkAndTheirPagesGoBack) {
    const auto r = run({{"large", large_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1, 123, 7}));
}

namespace {

void wild_arrays_main(uint64_t) {
    const Chan a = user::make_chan(sizeof(uint64_t), 0);
    const Chan b = user::make_chan(sizeof(uint64_t), 0);
    const uint64_t page = user::page_alloc();
    const uint64_t touched[1] = {page};
    // Two cases with the same counts whose arrays lie outside the program: a kernel that
    // compared them before checking them would read wild memory.
    const goos_transfer wild{reinterpret_cast<const uint64_t*>(0x1000), 1, 0, nullptr, 0, 0};
    const goos_transfer good{touched, 1, 0, nullptr, 0, 0};
    uint64_t va = 1, vb = 2;
    goos_select_case cases[2] = {send_case(a, &va), send_case(b, &vb)};
    cases[0].transfer = &wild;
    cases[1].transfer = &wild;
    note(user::select(cases, 2, true));
    // A good case first and a wild one after: refused before the good one commits.
    cases[0].transfer = &good;
    note(user::select(cases, 2, true));
    const goos_transfer huge{touched, GOOS_MAX_TRANSFER + 1, 0, nullptr, 0, 0};
    cases[1].transfer = &huge;
    note(user::select(cases, 2, true));
}

}  // namespace

// Rule: every array a select's cases name is checked before any is read: wild arrays and
// absurd sizes are errors, nothing is committed, and the kernel runs on.
TEST(Select, EveryTransferArrayIsCheckedBeforeAnyIsRead) {
    const auto r = run({{"wild", wild_arrays_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{GOOS_BAD_ADDRESS, GOOS_BAD_ADDRESS, GOOS_BAD_SIZE}));
}
