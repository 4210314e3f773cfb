// Local channels (DESIGN.md, "Local channels move nothing"; abi.h, GOOS_CHAN_SHARED_WORD):
// a channel only its maker holds carries values without a walk, its maker's marks take
// those values as roots, and nothing makes the channel shared while unwalked values wait
// in it: they are sealed first, and blocked senders that skipped the walk walk again.
#include "harness.h"
#include "type_encodings.h"

namespace {

using namespace goos_test;

Record g_s;

// A channel type whose values hold pointers, as a runtime interns it (types_test.cpp).
uint64_t pointer_tag() {
    uint8_t enc[sizeof kChanPtr];  // syscall buffers live on the caller's stack (harness.h)
    __builtin_memcpy(enc, kChanPtr, sizeof enc);
    return static_cast<uint64_t>(user::sys(GOOS_SYS_type_intern, user::u(enc), sizeof enc));
}

Chan make_local(int64_t cap) {
    return static_cast<Chan>(user::sys(GOOS_SYS_chan_make, 8, static_cast<uint64_t>(cap), pointer_tag()));
}

int64_t shared_word(Chan c) {
    return reinterpret_cast<const volatile int64_t*>(c)[GOOS_CHAN_SHARED_WORD];
}

goos_transfer naming(const uint64_t* pages, uint32_t npages, const uint64_t* chans, uint32_t nchans) {
    goos_transfer x{};
    x.pages = pages;
    x.npages = npages;
    x.chans = chans;
    x.nchans = nchans;
    return x;
}

void seal_main(uint64_t) {
    const Chan c = make_local(4);
    g_s(shared_word(c));  // 0: local
    const uint64_t page = user::page_alloc();
    // Sent and taken back unwalked: the receive says the value is the program's own.
    g_s(user::send(c, page));
    uint64_t v = 0;
    g_s(user::recv(c, &v));
    // Buffered unwalked: a root of the sender's marks, and what chan_peek shows.
    g_s(user::send(c, page));
    uint64_t roots[8] = {};
    g_s(user::sys(GOOS_SYS_chan_roots, user::u(roots), sizeof roots));
    g_s(roots[0] == page);
    uint64_t peeked[4] = {};
    g_s(user::sys(GOOS_SYS_chan_peek, c, user::u(peeked), 4));
    g_s(peeked[0] == page);
    // Nothing shares it while the value waits unwalked: a send naming it, a publish.
    const Chan d = make_local(1);
    g_s(user::publish("d", d));
    const uint64_t chans[1] = {c};
    const goos_transfer carry_c = naming(nullptr, 0, chans, 1);
    g_s(user::send(d, c, &carry_c));
    g_s(user::publish("c", c));
    // A seal that names a channel with unwalked values of its own, not sealed with it.
    const Chan e = make_local(1);
    g_s(user::send(e, page));
    const uint64_t echans[1] = {e};
    const goos_transfer names_e = naming(&page, 1, echans, 1);
    goos_seal seals[2] = {{c, &names_e}, {e, nullptr}};
    g_s(user::sys(GOOS_SYS_chan_seal, user::u(seals), 1));
    // One that names a value more than c holds: refused; then both channels at once.
    const goos_transfer holds_page = naming(&page, 1, nullptr, 0);
    seals[0] = {c, &holds_page};
    const goos_seal too_many[2] = {{c, &holds_page}, {c, &holds_page}};
    g_s(user::sys(GOOS_SYS_chan_seal, user::u(too_many), 2));
    g_s(user::sys(GOOS_SYS_chan_seal, user::u(seals), 2));
    g_s(user::sys(GOOS_SYS_chan_roots, user::u(roots), sizeof roots));  // 0: sealed
    // Sealed: the message holds the page, and c may now be shared.
    g_s(user::send(d, c, &carry_c));
    g_s(shared_word(c));       // 1: a message in flight carries it
    g_s(user::send(c, page));  // a walk-less send on a shared channel: walk again
    g_s(user::recv(c, &v));    // the sealed value, walked
    g_s(v == page);
}

// Rule: values sent unwalked are the sender's roots and stay in their channel until it is
// shared; sharing needs every one sealed, all at once, each exactly once.
TEST(LocalChan, UnwalkedValuesAreRootsAndAreSealedBeforeTheChannelIsShared) {
    g_s.clear();
    const auto r = run({{"S", seal_main, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0,
                                               0,
                                               1 | GOOS_RECV_OWN,
                                               0,
                                               8,
                                               1,
                                               1,
                                               1,
                                               0,
                                               GOOS_UNWALKED,
                                               GOOS_UNWALKED,
                                               0,
                                               GOOS_UNWALKED,
                                               GOOS_BAD_ARGUMENT,
                                               0,
                                               0,
                                               0,
                                               1,
                                               GOOS_RETRY,
                                               1,
                                               1}));
}

volatile int g_blocked = 0;
int64_t g_sender_result = 0;

void blocked_sender(uint64_t c) {
    g_blocked = 1;
    g_sender_result = user::send(c, c);  // unwalked: c is local, and no one receives
}

void wake_main(uint64_t) {
    const Chan c = make_local(0);
    user::go(blocked_sender, c);
    wait_flag(&g_blocked);
    g_s(g_sender_result);
    g_s(user::publish("c", c));  // shared now: the blocked sender must walk
    user::yield();
    g_s(g_sender_result);
}

// Rule: a sender blocked with a value it did not walk is woken with RETRY when its channel
// stops being local, so that no other program takes an unwalked value.
TEST(LocalChan, ABlockedUnwalkedSenderWalksAgainWhenItsChannelIsShared) {
    g_s.clear();
    g_blocked = 0;
    const auto r = run({{"S", wake_main, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 0, GOOS_RETRY}));
}

}  // namespace
