// Channels: Go's semantics (DESIGN.md, "Kernel objects").
#include "harness.h"
#include "type_encodings.h"

namespace {

using namespace goos_test;

// A non-blocking send of a zero-size element: no buffer needed.
int64_t raw_send_empty(Chan c) {
    return user::sys(GOOS_SYS_chan_send, c, 0, 0, GOOS_NONBLOCK);
}

// ---- Unbuffered rendezvous -------------------------------------------------------------

volatile int rv_receiver_ready;
volatile int rv_receiver_done;
int64_t rv_result, rv_value;

void rv_receiver(uint64_t c) {
    uint64_t v = 0;
    rv_receiver_ready = 1;
    rv_result = recv64(c, &v);
    rv_value = static_cast<int64_t>(v);
    rv_receiver_done = 1;
}

void rv_main(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    // No receiver yet: an unbuffered channel has no room, so a non-blocking send fails.
    note(send64(c, 42, true));
    rv_receiver_ready = 0;
    rv_receiver_done = 0;
    go<rv_receiver>(c);
    wait_flag(&rv_receiver_ready);
    // The receiver now waits in recv: a non-blocking send succeeds only because the value
    // goes straight to it (cap 0, nothing can be buffered).
    int64_t r;
    int tries = 0;
    while ((r = send64(c, 42, true)) == GOOS_WOULD_BLOCK && tries++ < 1000) user::yield();
    note(r);
    note(chan_len(c));
    wait_flag(&rv_receiver_done);
}

// Rule: on an unbuffered channel a send hands the value straight to a waiting receiver.
TEST(Chan, UnbufferedRendezvousHandsValueToWaitingReceiver) {
    rv_result = rv_value = -100;
    const auto r = run({{"rv", rv_main, 0}});
    expect_clean(r);
    // send before a receiver: WOULD_BLOCK; send to the waiting receiver: 0; len stays 0.
    EXPECT_EQ(notes(), (std::vector<int64_t>{GOOS_WOULD_BLOCK, 0, 0}));
    // The receiver got a value (1): 42.
    EXPECT_EQ(rv_result, 1);
    EXPECT_EQ(rv_value, 42);
}

volatile int rv_sender_ready;
volatile int rv_sender_done;
int64_t rv_send_result;

void rv_sender(uint64_t c) {
    rv_sender_ready = 1;
    rv_send_result = send64(c, 43);
    rv_sender_done = 1;
}

void rv_recv_main(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    uint64_t v = 0;
    note(recv64(c, &v, true));  // no sender yet
    rv_sender_ready = 0;
    rv_sender_done = 0;
    go<rv_sender>(c);
    wait_flag(&rv_sender_ready);
    int64_t r;
    int tries = 0;
    while ((r = recv64(c, &v, true)) == GOOS_WOULD_BLOCK && tries++ < 1000) user::yield();
    note(r);
    note(static_cast<int64_t>(v));
    wait_flag(&rv_sender_done);
}

// Rule: the other way round: a receive on an unbuffered channel takes the value straight
// from a blocked sender, which is released with success.
TEST(Chan, UnbufferedReceiveTakesValueFromWaitingSender) {
    rv_send_result = -100;
    const auto r = run({{"rv", rv_recv_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{GOOS_WOULD_BLOCK, 1, 43}));
    EXPECT_EQ(rv_send_result, 0);
}

// ---- Buffered FIFO ---------------------------------------------------------------------

void fifo_sender(uint64_t c) {
    for (uint64_t i = 1; i <= 8; ++i) send64(c, i);  // blocks when the buffer is full
}

void fifo_main(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 4);
    for (uint64_t i = 1; i <= 4; ++i) note(send64(c, 100 + i, true));
    note(send64(c, 105, true));  // full
    for (int i = 0; i < 4; ++i) {
        uint64_t v = 0;
        recv64(c, &v);
        note(static_cast<int64_t>(v));
    }
    // Again with a sender that blocks on the full buffer: its values still arrive in order.
    go<fifo_sender>(c);
    for (int i = 0; i < 8; ++i) {
        uint64_t v = 0;
        recv64(c, &v);
        note(static_cast<int64_t>(v));
    }
}

// Rule: a buffered channel delivers values in the order they were sent (FIFO), including
// values of senders that blocked on a full buffer.
TEST(Chan, BufferedChannelIsFifo) {
    const auto r = run({{"fifo", fifo_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(),
              (std::vector<int64_t>{0, 0, 0, 0, GOOS_WOULD_BLOCK, 101, 102, 103, 104, 1, 2, 3, 4, 5, 6, 7, 8}));
}

volatile int order_sender_ready;

void order_sender(uint64_t arg) {
    const Chan c = arg & ~uint64_t{15};  // channel values are 16-byte aligned
    order_sender_ready = 1;
    send64(c, arg & 15);  // blocks: the buffer is full
}

void order_main(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 1);
    send64(c, 0);
    // Three senders block one after the other on the full buffer.
    for (uint64_t i = 1; i <= 3; ++i) {
        order_sender_ready = 0;
        go<order_sender>(c | i);
        wait_flag(&order_sender_ready);
    }
    for (int i = 0; i < 4; ++i) {
        uint64_t v = 99;
        recv64(c, &v);
        note(static_cast<int64_t>(v));
    }
}

// Rule: senders blocked on a full channel are served in the order they blocked, so the
// channel's order is the order of the sends.
TEST(Chan, BlockedSendersAreServedInOrder) {
    const auto r = run({{"order", order_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{0, 1, 2, 3}));
}

void zero_size_main(uint64_t) {
    const Chan c = user::make_chan(0, 3);  // chan struct{}
    for (int i = 0; i < 3; ++i) note(raw_send_empty(c));
    note(raw_send_empty(c));  // full
    note(chan_len(c));
    note(user::sys(GOOS_SYS_chan_recv, c, 0, GOOS_NONBLOCK));
    note(chan_len(c));
}

// Rule: elements of size 0 (chan struct{}) still count: len, cap and blocking work.
TEST(Chan, ZeroSizeElements) {
    const auto r = run({{"empty", zero_size_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{0, 0, 0, GOOS_WOULD_BLOCK, 3, 1, 2}));
}

// ---- len and cap -----------------------------------------------------------------------

void lencap_main(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 3);
    note(chan_len(c));
    note(chan_cap(c));
    send64(c, 1);
    send64(c, 2);
    note(chan_len(c));
    note(chan_cap(c));
    uint64_t v;
    recv64(c, &v);
    note(chan_len(c));
    const Chan u = user::make_chan(sizeof(uint64_t), 0);
    note(chan_len(u));
    note(chan_cap(u));
}

// Rule: len and cap are the channel value's first two words, kept current at kernel exit.
TEST(Chan, LenAndCapAreTheFirstTwoWords) {
    const auto r = run({{"lencap", lencap_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{0, 3, 2, 3, 1, 0, 0}));
}

// ---- Non-blocking operations -----------------------------------------------------------

void nonblock_main(uint64_t) {
    const Chan b = user::make_chan(sizeof(uint64_t), 1);
    uint64_t v = 7;
    note(recv64(b, &v, true));      // empty buffer
    note(static_cast<int64_t>(v));  // untouched
    note(send64(b, 1, true));       // room: 0
    note(send64(b, 2, true));       // full
    note(chan_len(b));
    const Chan u = user::make_chan(sizeof(uint64_t), 0);
    note(recv64(u, &v, true));  // no sender waits
    note(send64(u, 3, true));   // no receiver waits
}

// Rule: a non-blocking send or receive that cannot complete at once returns WOULD_BLOCK
// and changes nothing.
TEST(Chan, NonBlockingOpsReturnWouldBlock) {
    const auto r = run({{"nonblock", nonblock_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(),
              (std::vector<int64_t>{GOOS_WOULD_BLOCK, 7, 0, GOOS_WOULD_BLOCK, 1, GOOS_WOULD_BLOCK, GOOS_WOULD_BLOCK}));
}

// ---- Nil channel -----------------------------------------------------------------------

void nil_main(uint64_t) {
    uint64_t v = 5;
    note(send64(0, 1, true));
    note(recv64(0, &v, true));
    note(user::close(0));
}

// Rule: the nil channel (value 0) is never ready: non-blocking ops return WOULD_BLOCK;
// closing it is an error (Go panics).
TEST(Chan, NilChannel) {
    const auto r = run({{"nil", nil_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{GOOS_WOULD_BLOCK, GOOS_WOULD_BLOCK, GOOS_NIL_CHANNEL}));
}

void nil_block_main(uint64_t) {
    uint64_t v = 0;
    recv64(0, &v);  // blocks for ever
    note(1);        // never reached
}

// Rule: a blocking receive on the nil channel blocks for ever; when that is all a program
// does it ends with Go's deadlock message and status 2.
TEST(Chan, NilChannelBlocksForever) {
    const auto r = run({{"nilwait", nil_block_main, 0}});
    expect_clean(r);  // the process ended alone: the run itself is not a deadlock
    EXPECT_TRUE(notes().empty());
    EXPECT_TRUE(contains(r.console, "fatal error: all goroutines are asleep - deadlock!")) << r.console;
    EXPECT_TRUE(contains(r.console, "[chan receive (nil chan)]")) << r.console;
    EXPECT_TRUE(contains(r.console, "(nilwait) exited with status 2")) << r.console;
    EXPECT_EQ(r.out.run.stats.processes_crashed, 1u);
}

// ---- Closed channels -------------------------------------------------------------------

void send_closed_main(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 2);
    note(user::close(c));
    note(send64(c, 1, true));
    note(send64(c, 1, false));
    note(chan_len(c));
}

// Rule: send on a closed channel fails with CLOSED (the Go runtime panics the sender), and
// nothing is buffered.
TEST(Chan, SendOnClosedReturnsClosed) {
    const auto r = run({{"sendclosed", send_closed_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{0, GOOS_CLOSED, GOOS_CLOSED, 0}));
}

void close_closed_main(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    note(user::close(c));
    note(user::close(c));
}

// Rule: closing a closed channel fails with CLOSED (Go panics).
TEST(Chan, CloseOfClosedReturnsClosed) {
    const auto r = run({{"closeclosed", close_closed_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{0, GOOS_CLOSED}));
}

void drain_main(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 3);
    send64(c, 7);
    send64(c, 8);
    user::close(c);
    note(chan_len(c));
    for (int i = 0; i < 4; ++i) {
        uint64_t v = 99;
        note(recv64(c, &v, i == 3));  // the last one non-blocking: a closed channel is ready
        note(static_cast<int64_t>(v));
    }
}

// Rule: receiving from a closed channel first drains the buffered values (result 1), then
// gives the zero value with result 0 (ok=false), at once, even when non-blocking.
TEST(Chan, ReceiveOnClosedDrainsThenGivesZeroValue) {
    const auto r = run({{"drain", drain_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{2, 1, 7, 1, 8, 0, 0, 0, 0}));
}

volatile int close_rx_ready[2];
volatile int close_rx_done[2];
int64_t close_rx_result[2], close_rx_value[2];

void close_rx(uint64_t arg) {
    const Chan c = arg & ~uint64_t{1};  // channel values are 16-byte aligned: bit 0 is free
    const int idx = static_cast<int>(arg & 1);
    uint64_t v = 1234;
    close_rx_ready[idx] = 1;
    close_rx_result[idx] = recv64(c, &v);
    close_rx_value[idx] = static_cast<int64_t>(v);
    close_rx_done[idx] = 1;
}

void close_wakes_rx_main(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 1);
    for (int i = 0; i < 2; ++i) {
        close_rx_ready[i] = 0;
        close_rx_done[i] = 0;
    }
    go<close_rx>(c | 0);
    go<close_rx>(c | 1);
    wait_flag(&close_rx_ready[0]);
    wait_flag(&close_rx_ready[1]);
    // Both receivers are blocked now: neither has finished.
    note(close_rx_done[0] + close_rx_done[1]);
    note(user::close(c));
    wait_flag(&close_rx_done[0]);
    wait_flag(&close_rx_done[1]);
}

// Rule: close wakes every blocked receiver with result 0 and the zero value.
TEST(Chan, CloseWakesBlockedReceivers) {
    const auto r = run({{"closerx", close_wakes_rx_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{0, 0}));
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(close_rx_result[i], 0) << "receiver " << i;
        EXPECT_EQ(close_rx_value[i], 0) << "receiver " << i;
    }
}

volatile int close_tx_ready;
volatile int close_tx_done;
int64_t close_tx_result;

void close_tx(uint64_t c) {
    close_tx_ready = 1;
    close_tx_result = send64(c, 5);  // blocks: no receiver, no buffer
    close_tx_done = 1;
}

void close_wakes_tx_main(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    close_tx_ready = 0;
    close_tx_done = 0;
    go<close_tx>(c);
    wait_flag(&close_tx_ready);
    note(close_tx_done);  // still blocked
    note(user::close(c));
    wait_flag(&close_tx_done);
    uint64_t v = 9;
    note(recv64(c, &v, true));  // the blocked send delivered nothing
    note(static_cast<int64_t>(v));
}

// Rule: close wakes every blocked sender with CLOSED (Go panics it); its value is not
// delivered.
TEST(Chan, CloseWakesBlockedSendersWithClosed) {
    close_tx_result = -100;
    const auto r = run({{"closetx", close_wakes_tx_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{0, 0, 0, 0}));
    EXPECT_EQ(close_tx_result, GOOS_CLOSED);
}

}  // namespace

namespace {

uint64_t g_words[3];

uint64_t g_tag;

void tag_maker(uint64_t) {
    uint8_t enc[sizeof goos_test::kChanInt];  // syscall buffers live on the caller's stack (harness.h)
    __builtin_memcpy(enc, goos_test::kChanInt, sizeof enc);
    g_tag = static_cast<uint64_t>(user::sys(GOOS_SYS_type_intern, reinterpret_cast<uint64_t>(enc), sizeof enc));
    const auto c = static_cast<goos_test::Chan>(user::sys(GOOS_SYS_chan_make, 8, 2, g_tag));
    send64(c, 1);
    const auto* words = reinterpret_cast<const uint64_t*>(c);  // programs read these directly
    g_words[0] = words[0];
    g_words[1] = words[1];
    g_words[2] = words[2];
}

}  // namespace

// Rule: a channel value's words 0, 1 and 2 are len, cap and the type tag its creator gave,
// one the kernel's type table issued (gccgo reads len and cap there; the runtime finds its
// own type for a channel by word 2).
TEST(Chan, WordsHoldLenCapAndTypeTag) {
    const auto r = run({{"maker", tag_maker, 0}});
    expect_clean(r);
    EXPECT_EQ(g_words[0], 1u);
    EXPECT_EQ(g_words[1], 2u);
    EXPECT_EQ(g_words[2], g_tag);
}
