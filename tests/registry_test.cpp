// The registry: publish(name, ch), lookup(name) blocking or with a timeout, names removed
// when the publisher ends (DESIGN.md, "Kernel objects").
#include "harness.h"

namespace {

using namespace goos_test;

// ---- publish / lookup ------------------------------------------------------------------

uint64_t g_published_value, g_looked_up_value;

void svc_server(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    g_published_value = c;
    note(user::publish("svc", c));
    uint64_t v = 0;
    recv64(c, &v);  // from the client, through the name
    note(static_cast<int64_t>(v));
}

void svc_client(uint64_t) {
    const int64_t c = user::lookup("svc");
    g_looked_up_value = static_cast<uint64_t>(c);
    if (c > 0) send64(static_cast<Chan>(c), 5);
}

// Rule: lookup finds the channel published under a name, and the caller comes to hold it
// (it can send on it).
TEST(Registry, PublishThenLookup) {
    g_published_value = 1;
    g_looked_up_value = 2;
    const auto r = run({{"server", svc_server, 0}, {"client", svc_client, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{0, 5}));
    EXPECT_EQ(g_looked_up_value, g_published_value);
}

int64_t g_taken_main[4], g_taken_other[2];

void taken_main(uint64_t) {
    const Chan a = user::make_chan(sizeof(uint64_t), 0);
    const Chan b = user::make_chan(sizeof(uint64_t), 0);
    const Chan other_end = user::watch(2);
    g_taken_main[0] = user::publish("dup", a);
    g_taken_main[1] = user::publish("dup", b);   // another channel, same name
    g_taken_main[2] = user::publish("dup", a);   // same channel, same name
    g_taken_main[3] = user::publish("dup2", a);  // one channel may have several names
    uint8_t dummy;
    user::recv(other_end, &dummy);  // keep the names until the other program is done
}

void taken_other(uint64_t) {
    const int64_t found = user::lookup("dup");  // waits until the name is there
    const Chan mine = user::make_chan(sizeof(uint64_t), 0);
    g_taken_other[0] = found > 0 ? 1 : found;
    g_taken_other[1] = user::publish("dup", mine);
}

// Rule: publishing a name that is already published fails with NAME_TAKEN, whoever asks.
TEST(Registry, PublishingATakenNameFails) {
    for (auto& v : g_taken_main) v = -100;
    for (auto& v : g_taken_other) v = -100;
    const auto r = run({{"taken", taken_main, 0}, {"other", taken_other, 0}});
    expect_clean(r);
    EXPECT_EQ(g_taken_main[0], 0);
    EXPECT_EQ(g_taken_main[1], GOOS_NAME_TAKEN);
    EXPECT_EQ(g_taken_main[2], GOOS_NAME_TAKEN);
    EXPECT_EQ(g_taken_main[3], 0);
    EXPECT_EQ(g_taken_other[0], 1);
    EXPECT_EQ(g_taken_other[1], GOOS_NAME_TAKEN);
}

void not_found_main(uint64_t) {
    note(user::lookup("nobody", 0));
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    user::publish("somebody", c);
    note(user::lookup("nobody", 0));
    note(user::lookup("somebody", 0) == static_cast<int64_t>(c) ? 1 : 0);
}

// Rule: lookup with timeout 0 does not wait: NOT_FOUND when the name is not published.
TEST(Registry, LookupWithZeroTimeoutReturnsNotFound) {
    const auto r = run({{"notfound", not_found_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{GOOS_NOT_FOUND, GOOS_NOT_FOUND, 1}));
}

// ---- lookup blocks until published -----------------------------------------------------

enum { kClientAsks = 1, kServerPublishes = 2, kClientGotIt = 3 };

void late_client(uint64_t) {
    note(kClientAsks);
    const int64_t c = user::lookup("late");
    note(kClientGotIt);
    if (c > 0) send64(static_cast<Chan>(c), 11);
}

void late_server(uint64_t) {
    user::sleep_ns(3'000'000);  // long after the client asked
    const Chan c = user::make_chan(sizeof(uint64_t), 1);
    note(kServerPublishes);
    user::publish("late", c);
    uint64_t v = 0;
    recv64(c, &v);
    note(static_cast<int64_t>(v));
}

// Rule: lookup (no timeout) blocks until another process publishes the name, then
// returns the channel.
TEST(Registry, LookupBlocksUntilPublished) {
    const auto r = run({{"client", late_client, 0}, {"server", late_server, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{kClientAsks, kServerPublishes, kClientGotIt, 11}));
}

void client_after_channel_wait(uint64_t) {
    // A wait on a channel first (the server answers on it), then a lookup that blocks: the
    // second wait must not see the first one's wait records.
    const Chan mine = user::make_chan(sizeof(uint64_t), 0);
    user::publish("ask-me", mine);
    uint64_t v = 0;
    recv64(mine, &v);
    note(static_cast<int64_t>(v));
    const int64_t c = user::lookup("later");
    note(c > 0 ? 1 : 0);
}

void server_after_channel_wait(uint64_t) {
    send64(static_cast<Chan>(user::lookup("ask-me")), 5);
    user::sleep_ns(2'000'000);
    const Chan c = user::make_chan(sizeof(uint64_t), 1);
    user::publish("later", c);
    user::sleep_ns(2'000'000);
}

// Rule: a thread's waits are independent: one that blocked on a channel before can block
// in a lookup later (regression: the blocking path read the finished wait's records).
TEST(Registry, LookupBlocksAfterAChannelWait) {
    const auto r = run({{"client", client_after_channel_wait, 0}, {"server", server_after_channel_wait, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{5, 1}));
}

// ---- lookup with a deadline ------------------------------------------------------------

int64_t g_timeout_result, g_waited_ns;

void timeout_main(uint64_t) {
    const uint64_t start = user::now_ns();
    g_timeout_result = user::lookup("never", 2'000'000);
    g_waited_ns = static_cast<int64_t>(user::now_ns() - start);
    // The thread is not left on the lookup list: publishing the name now wakes no one and
    // a later lookup finds it.
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    note(user::publish("never", c));
    note(user::lookup("never", 0) == static_cast<int64_t>(c) ? 1 : 0);
}

// Rule: lookup with a timeout returns TIMED_OUT once the deadline passed, no earlier.
TEST(Registry, LookupWithDeadlineTimesOut) {
    for (bool det : {false, true}) {
        g_timeout_result = g_waited_ns = -100;
        sim::Options o;
        o.deterministic = det;
        const auto r = run({{"timeout", timeout_main, 0}}, o);
        expect_clean(r);
        EXPECT_EQ(g_timeout_result, GOOS_TIMED_OUT) << (det ? "deterministic" : "timer");
        EXPECT_GE(g_waited_ns, 2'000'000) << (det ? "deterministic" : "timer");
        EXPECT_EQ(notes(), (std::vector<int64_t>{0, 1}));
    }
}

// ---- names go with their publisher -----------------------------------------------------

void temp_publisher(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    user::publish("temp", c);
    uint64_t v;
    recv64(c, &v);  // until the observer says so; then this program ends
}

void temp_observer(uint64_t) {
    const Chan end = user::watch(1);  // the publisher is process 1
    const int64_t c = user::lookup("temp");
    note(c > 0 ? 1 : c);
    send64(static_cast<Chan>(c), 0);
    uint8_t dummy;
    note(user::recv(end, &dummy));  // closed: the publisher ended
    note(user::lookup("temp", 0));
    // Still holding the channel it looked up, it may publish it under the old name.
    note(user::publish("temp", static_cast<Chan>(c)));
}

// Rule: a name goes when its publisher ends: a later lookup with timeout 0 gets NOT_FOUND
// (and the name is free to publish again).
TEST(Registry, NameGoesWhenPublisherEnds) {
    const auto r = run({{"publisher", temp_publisher, 0}, {"observer", temp_observer, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{1, 0, GOOS_NOT_FOUND, 0}));
}

// ---- Lookups of a process that ends ---------------------------------------------------

volatile int g_lookups_started;

void waiting_lookup(uint64_t timeout) {
    __atomic_fetch_add(&g_lookups_started, 1, __ATOMIC_SEQ_CST);
    user::lookup("awaited", timeout);
    note(-1);  // never: the process ends first
}

void abandoning_main(uint64_t) {
    g_lookups_started = 0;
    go<waiting_lookup>(~0ULL);          // waits for ever
    go<waiting_lookup>(1'000'000'000);  // waits up to 1 s
    while (g_lookups_started < 2) user::yield();
    user::yield();
    // Returns: the process ends with two threads waiting in lookup.
}

void late_publisher(uint64_t) {
    const Chan end = user::watch(1);
    uint8_t dummy;
    user::recv(end, &dummy);
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    note(user::publish("awaited", c));  // must not try to wake the dead waiters
    note(user::lookup("awaited", 0) == static_cast<int64_t>(c) ? 1 : 0);
}

// Rule: a process that ends while its threads wait in lookup leaves nothing behind: a
// later publish of the name wakes no one, and the timed wait does not fire later.
TEST(Registry, LookupWaitersOfEndedProcessAreForgotten) {
    const auto r = run({{"abandoner", abandoning_main, 0}, {"publisher", late_publisher, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{0, 1}));
}

}  // namespace
