// The page ledger (DESIGN.md, "Ownership and kernel-assisted garbage collection"), driven
// by scripted sequences of page_alloc / obj_alloc / obj_free / mark_begin / mark_end and
// sends that carry a goos_transfer {moves, touched, chans}, as the runtime's transfer walk
// will describe them.
//
// Process 1 is the sender "S" and process 2 the receiver "R" unless a test says otherwise.
#include "harness.h"

namespace {

using namespace goos_test;

Record g_s, g_r;  // what S and R saw, each in its own order

void reset_records() {
    g_s.clear();
    g_r.clear();
}

// Blocks until process `pid` has ended.
void wait_end(int64_t pid) {
    const Chan end = user::watch(pid);
    uint8_t dummy;
    user::recv(end, &dummy);
}

goos_transfer moving(const goos_move* moves, uint32_t n) {
    goos_transfer x{};
    x.moves = moves;
    x.nmoves = n;
    return x;
}

goos_transfer touching(const uint64_t* pages, uint32_t n) {
    goos_transfer x{};
    x.touched = pages;
    x.ntouched = n;
    return x;
}

// ---- Objects change owner --------------------------------------------------------------

void owner_sender(uint64_t) {
    const uint64_t page = user::page_alloc();
    g_s(user::obj_alloc(page, 3));
    const Chan work = user::make_chan(sizeof(uint64_t), 1);
    user::publish("work", work);
    const goos_move move{page, 2, 0};
    const goos_transfer x = moving(&move, 1);
    g_s(user::send(work, page, &x));
    g_s(user::obj_free(page, 2));  // it owns only the one it kept
    g_s(user::obj_free(page, 1));
    g_s(user::obj_free(page, 1));  // none left
    wait_end(2);
}

void owner_receiver(uint64_t) {
    const Chan work = static_cast<Chan>(user::lookup("work"));
    uint64_t page = 0;
    user::recv(work, &page);
    g_r(user::obj_free(page, 2));  // the two it received are its own now
    g_r(user::obj_free(page, 1));
}

// Rule: objects sent change owner: the sender can no longer free them (NOT_OWNER), the
// receiver can, and each is freed once.
TEST(Ledger, SentObjectsChangeOwner) {
    reset_records();
    const auto r = run({{"S", owner_sender, 0}, {"R", owner_receiver, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 0, GOOS_NOT_OWNER, 0, GOOS_NOT_OWNER}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{0, GOOS_NOT_OWNER}));
    EXPECT_EQ(r.out.ledger.transfers, 1u);
    EXPECT_EQ(r.out.ledger.objects_moved, 2u);
}

// ---- The list of objects a message moved -----------------------------------------------

void list_sender(uint64_t) {
    const uint64_t page = user::page_alloc();
    user::obj_alloc(page, 4);
    const Chan work = user::make_chan(sizeof(uint64_t), 2);
    user::publish("work", work);
    const goos_move move{page, 2, 0};
    goos_transfer x = moving(&move, 1);
    const goos_object two[2] = {{page, 16, 7}, {page + 64, 32, 0}};
    const goos_object elsewhere[2] = {{page, 16, 7}, {page + GOOS_PAGE_SIZE, 16, 0}};
    x.objects = elsewhere;  // the second starts on a page the moves do not name
    x.nobjects = 2;
    g_s(user::send(work, page, &x));
    x.objects = two;
    x.nobjects = 1;  // one object, but the moves count two
    g_s(user::send(work, page, &x));
    x.nobjects = 2;
    g_s(user::send(work, page, &x));
    wait_end(2);
}

void list_receiver(uint64_t) {
    const Chan work = static_cast<Chan>(user::lookup("work"));
    uint64_t page = 0;
    goos_object got[2] = {};
    g_r(user::taken_objects(got, 2));  // nothing received yet
    user::recv(work, &page);
    g_r(user::taken_objects(got, 1));  // two, and the first copied
    g_r(static_cast<int64_t>(got[0].addr - page));
    g_r(user::taken_objects(got, 2));  // still there: the list goes once read whole
    g_r(static_cast<int64_t>(got[1].addr - page) + static_cast<int64_t>(got[1].size) +
        static_cast<int64_t>(got[0].type_tag));
    g_r(user::taken_objects(got, 2));
    g_r(user::obj_free(page, 2));  // and they are its own
}

// Rule: a send may list the objects it moves (goos_transfer.objects); the kernel refuses a
// list that does not add up to the moves page by page, and hands an accepted one to the
// receiving thread, which reads it with taken_objects (the runtime's collector learns what
// it now owns). A list left unread goes with the thread.
TEST(Ledger, ObjectListTravelsToTheReceiver) {
    reset_records();
    const auto r = run({{"S", list_sender, 0}, {"R", list_receiver, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{GOOS_BAD_ARGUMENT, GOOS_BAD_ARGUMENT, 0}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{0, 2, 0, 2, 64 + 32 + 7, 0, 0}));
}

// ---- Dirty pages -----------------------------------------------------------------------

int64_t page_state(uint64_t page) {
    return user::sys(GOOS_SYS_page_state, page);
}

void dirty_sender(uint64_t) {
    const uint64_t page = user::page_alloc();
    g_s(page_state(page));          // clean
    g_s(user::obj_alloc(page, 1));  // clean: fine
    const Chan data = user::make_chan(sizeof(uint64_t), 1);
    const Chan ack = user::make_chan(sizeof(uint64_t), 1);
    user::publish("data", data);
    user::publish("ack", ack);
    const goos_transfer x = touching(&page, 1);
    g_s(user::send(data, page, &x));
    g_s(user::obj_alloc(page, 1));  // a message touching it is in flight: dirty
    g_s(page_state(page));          // in flight
    uint64_t v;
    recv64(ack, &v);                // R has received it and holds the page
    g_s(user::obj_alloc(page, 1));  // still dirty
    g_s(page_state(page));          // shared
    user::close(data);              // now R may end
    wait_end(2);
    g_s(user::obj_alloc(page, 1));  // R ended, nobody else holds it: clean again
    g_s(page_state(page));          // clean
    g_s(page_state(page + 8));      // not a page
}

void dirty_receiver(uint64_t) {
    const Chan data = static_cast<Chan>(user::lookup("data"));
    const Chan ack = static_cast<Chan>(user::lookup("ack"));
    uint64_t page = 0;
    user::recv(data, &page);
    g_r(page_state(page));  // it holds the page, but is not its origin
    send64(ack, 1);
    uint64_t v;
    recv64(data, &v);  // stays alive until S closes the channel
}

// Rule: a page is dirty while anyone besides its origin holds it (a message in flight
// touching it, or a receiver of such a message): the origin's allocator may not reuse its
// slots (obj_alloc returns BAD_ARGUMENT; page_state says in flight, then shared). When the
// receiver exits it holds nothing, and the page is clean again. page_state answers only
// the page's origin.
TEST(Ledger, PageTouchedBySentValueIsDirtyUntilReceiverEnds) {
    reset_records();
    const auto r = run({{"S", dirty_sender, 0}, {"R", dirty_receiver, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 0, 0, GOOS_BAD_ARGUMENT, GOOS_PAGE_IN_FLIGHT, GOOS_BAD_ARGUMENT,
                                               GOOS_PAGE_SHARED, 0, 0, GOOS_BAD_ADDRESS}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{GOOS_NOT_OWNER}));
}

// ---- Crashes with objects in flight ----------------------------------------------------

void inflight_sender(uint64_t) {
    const uint64_t page = user::page_alloc();
    user::obj_alloc(page, 4);
    const Chan work = static_cast<Chan>(user::lookup("work"));
    const goos_move move{page, 2, 0};
    const goos_transfer x = moving(&move, 1);
    g_s(user::send(work, page, &x));
    g_s(user::send(work, page, &x));  // both buffered: cap 4
    wait_end(2);
    // Two objects died with R, two sit in a message in the channel (the kernel owns them):
    // none is S's.
    g_s(user::obj_free(page, 1));
    g_s(chan_len(work));
}

void inflight_crasher(uint64_t) {
    const Chan work = user::make_chan(sizeof(uint64_t), 4);
    user::publish("work", work);
    uint64_t page = 0;
    recv64(work, &page);  // the first message: two objects become R's
    user::panic("R: crashed owning objects, with more in flight");
}

// Rule: a receiver that crashes with objects it received and more in flight (buffered in a
// channel) leaves the ledger consistent; when everything has ended every page is free.
TEST(Ledger, ReceiverCrashWithObjectsInFlight) {
    reset_records();
    const auto r = run({{"S", inflight_sender, 0}, {"R", inflight_crasher, 0}});
    expect_clean(r);  // includes invariants_ok and pages_in_use == 0
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 0, GOOS_NOT_OWNER, 1}));
    EXPECT_EQ(r.out.run.stats.processes_crashed, 1u);
    EXPECT_EQ(r.out.ledger.transfers, 2u);
    EXPECT_EQ(r.out.ledger.objects_moved, 4u);
    EXPECT_EQ(r.out.ledger.pages_recycled, r.out.ledger.pages_allocated);
}

void early_leaver(uint64_t) {
    const uint64_t page = user::page_alloc();
    user::obj_alloc(page, 4);
    const Chan work = static_cast<Chan>(user::lookup("work"));
    const goos_move move{page, 2, 0};
    const goos_transfer x = moving(&move, 1);
    user::send(work, page, &x);
    user::send(work, page, &x);
    // Ends with both messages still in the channel: the page stays (they touch it).
}

void late_crasher(uint64_t) {
    const Chan work = user::make_chan(sizeof(uint64_t), 4);
    user::publish("work", work);
    wait_end(1);
    uint64_t page = 0;
    g_r(recv64(work, &page));      // the sender is gone; its message is still delivered
    g_r(user::obj_free(page, 1));  // and its objects are R's
    user::panic("R: crashed with a message still in the channel");
}

// Rule: the same when the sender has already ended: messages in flight keep their pages
// until they are received or die with their channel; nothing leaks.
TEST(Ledger, SenderEndsThenReceiverCrashesWithMessagesInFlight) {
    reset_records();
    const auto r = run({{"S", early_leaver, 0}, {"R", late_crasher, 0}});
    expect_clean(r);
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{1, 0}));
    EXPECT_EQ(r.out.run.stats.processes_crashed, 1u);
    EXPECT_EQ(r.out.ledger.pages_recycled, r.out.ledger.pages_allocated);
}

// ---- Marks -----------------------------------------------------------------------------

enum MarkScript : uint64_t {
    kMarkReachesNothing,  // mark_begin, receive before; mark_end without the page
    kMarkReachesPage,     // mark_begin, receive before; mark_end with the page
    kGrantDuringMark,     // mark_begin; receive; mark_end without the page; then again
};

void mark_sender(uint64_t script) {
    const uint64_t page = user::page_alloc();
    user::obj_alloc(page, 1);
    const Chan data = user::make_chan(sizeof(uint64_t), 1);
    const Chan ack = user::make_chan(sizeof(uint64_t), 1);
    user::publish("data", data);
    user::publish("ack", ack);
    const goos_transfer x = touching(&page, 1);
    user::send(data, page, &x);
    uint64_t v;
    recv64(ack, &v);  // R finished one mark
    g_s(user::obj_alloc(page, 1));
    if (script == kGrantDuringMark) {
        send64(data, 0);  // go on
        recv64(ack, &v);  // R finished a second mark
        g_s(user::obj_alloc(page, 1));
    }
    user::close(data);  // let R end
    wait_end(2);
}

void mark_receiver(uint64_t script) {
    const Chan data = static_cast<Chan>(user::lookup("data"));
    const Chan ack = static_cast<Chan>(user::lookup("ack"));
    uint64_t page = 0;
    if (script == kGrantDuringMark) {
        g_r(user::mark_begin());
        recv64(data, &page);  // granted after the mark began: live for this cycle
    } else {
        recv64(data, &page);
        g_r(user::mark_begin());
    }
    // The mark reaches the channels R goes on using (their header pages), as a collector
    // that scans R's stack would, and the page only in the script that says so.
    const uint64_t reached[3] = {data & ~uint64_t{4095}, ack & ~uint64_t{4095}, page};
    g_r(user::mark_end(reached, script == kMarkReachesPage ? 3 : 2));
    // Can R still use the page? Reading it in a syscall needs a hold.
    g_r(user::write(reinterpret_cast<const char*>(page), 1));
    send64(ack, 1);
    if (script == kGrantDuringMark) {
        uint64_t v;
        recv64(data, &v);
        g_r(user::mark_begin());
        g_r(user::mark_end(reached, 2));  // a whole cycle that did not reach the page
        g_r(user::write(reinterpret_cast<const char*>(page), 1));
        send64(ack, 1);
    }
    uint64_t v;
    while (recv64(data, &v) == 1) {
    }
}

// Rule: a mark that began after the receive and did not reach the page ends the
// receiver's hold: the origin's page is clean again (obj_alloc succeeds) while the
// receiver still runs, and the receiver may no longer pass the page to the kernel.
TEST(Ledger, MarkEndWithoutReachingPageDropsHold) {
    reset_records();
    const auto r = run({{"S", mark_sender, kMarkReachesNothing}, {"R", mark_receiver, kMarkReachesNothing}});
    expect_clean(r);
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{0, 0, GOOS_BAD_ADDRESS}));
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0}));
}

// Rule: a mark that reached the page keeps the hold: the page stays dirty.
TEST(Ledger, MarkEndReachingPageKeepsHold) {
    reset_records();
    const auto r = run({{"S", mark_sender, kMarkReachesPage}, {"R", mark_receiver, kMarkReachesPage}});
    expect_clean(r);
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{0, 0, 1}));
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{GOOS_BAD_ARGUMENT}));
}

// Rule (the epoch rule): a grant made after a mark began counts as live for that cycle,
// so that mark does not drop it even without reaching it; the next full cycle does.
TEST(Ledger, GrantAfterMarkBeganSurvivesThatMark) {
    reset_records();
    const auto r = run({{"S", mark_sender, kGrantDuringMark}, {"R", mark_receiver, kGrantDuringMark}});
    expect_clean(r);
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{0, 0, 1, 0, 0, GOOS_BAD_ADDRESS}));
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{GOOS_BAD_ARGUMENT, 0}));
}

// ---- What a send may hand over ---------------------------------------------------------

uint64_t g_foreign_page;

void commit_checker(uint64_t) {
    const uint64_t page = user::page_alloc();
    user::obj_alloc(page, 1);
    const Chan c = user::make_chan(sizeof(uint64_t), 4);
    const goos_move too_many{page, 2, 0};
    const goos_transfer x1 = moving(&too_many, 1);
    g_s(user::send(c, page, &x1));  // owns only 1
    const goos_move zero{page, 0, 0};
    const goos_transfer x2 = moving(&zero, 1);
    g_s(user::send(c, page, &x2));
    const goos_move twice[2] = {{page, 1, 0}, {page, 1, 0}};  // 2 in all, on one page
    const goos_transfer x3 = moving(twice, 2);
    g_s(user::send(c, page, &x3));
    const uint64_t foreign = g_foreign_page;
    const goos_move elsewhere{foreign, 1, 0};
    const goos_transfer x4 = moving(&elsewhere, 1);
    g_s(user::send(c, page, &x4));  // a page it does not hold
    const goos_transfer x5 = touching(&foreign, 1);
    g_s(user::send(c, page, &x5));
    const uint64_t odd = page + 8;
    const goos_transfer x6 = touching(&odd, 1);
    g_s(user::send(c, page, &x6));  // not a page address
    g_s(chan_len(c));               // none of them was sent
    g_s(user::obj_free(page, 1));   // and the object is still S's
}

void foreign_page_owner(uint64_t) {
    g_foreign_page = user::page_alloc();
    user::sleep_ns(3'000'000);  // keeps the page while the checker runs
}

// Rule: a send may move only objects the sender owns, on pages it holds, and touch only
// pages it holds; otherwise it fails (NOT_OWNER / BAD_ADDRESS) and nothing is sent.
TEST(Ledger, SendHandsOverOnlyWhatTheSenderOwnsAndHolds) {
    reset_records();
    g_foreign_page = 0;
    const auto r = run({{"other", foreign_page_owner, 0}, {"S", commit_checker, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{GOOS_NOT_OWNER, GOOS_BAD_ADDRESS, GOOS_NOT_OWNER, GOOS_BAD_ADDRESS,
                                               GOOS_BAD_ADDRESS, GOOS_BAD_ADDRESS, 0, 0}));
    EXPECT_EQ(r.out.ledger.transfers, 0u);
}

Chan g_inner;

void chan_giver(uint64_t) {
    const Chan inner = user::make_chan(sizeof(uint64_t), 1);
    g_inner = inner;  // R sees the value before it is given the channel
    const Chan outer = user::make_chan(sizeof(uint64_t), 1);
    user::publish("outer", outer);
    const uint64_t chans[1] = {inner};
    goos_transfer x{};
    x.chans = chans;
    x.nchans = 1;
    g_s(user::send(outer, inner, &x));
    uint64_t v = 0;
    g_s(recv64(inner, &v));  // R answers on the channel it was given
    g_s(static_cast<int64_t>(v));
}

void chan_taker(uint64_t) {
    const Chan outer = static_cast<Chan>(user::lookup("outer"));
    const Chan known = g_inner;
    g_r(send64(known, 1, true));  // knowing the value is not holding the channel
    uint64_t inner = 0;
    g_r(recv64(outer, &inner));
    g_r(inner == known ? 1 : 0);
    g_r(send64(inner, 77));  // received inside a value: now R holds it
}

// Rule: a channel inside a sent value (goos_transfer.chans) comes to be held by the
// receiver; before that, its value alone gives no access (BAD_HANDLE).
TEST(Ledger, ChannelInsideSentValueBecomesHeld) {
    reset_records();
    g_inner = 0;
    const auto r = run({{"S", chan_giver, 0}, {"R", chan_taker, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 1, 77}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{GOOS_BAD_HANDLE, 1, 1, 0}));
}

// ---- Channel lifetime ------------------------------------------------------------------

void carrier_sender(uint64_t) {
    const Chan c1 = static_cast<Chan>(user::lookup("c1"));
    const Chan c2 = user::make_chan(sizeof(uint64_t), 1);
    send64(c2, 99);  // a value waits inside c2
    const uint64_t chans[1] = {c2};
    goos_transfer x{};
    x.chans = chans;
    x.nchans = 1;
    g_s(user::send(c1, c2, &x));
    // Ends: c2 is now held by no live process, only carried by the message in c1.
}

void carrier_receiver(uint64_t) {
    const Chan c1 = user::make_chan(sizeof(uint64_t), 1);
    user::publish("c1", c1);
    wait_end(1);
    uint64_t c2 = 0;
    g_r(recv64(c1, &c2));
    uint64_t v = 0;
    g_r(recv64(c2, &v));
    g_r(static_cast<int64_t>(v));
}

// Rule: a channel carried by a message buffered in a live channel stays alive (with what
// is buffered in it) after its creator ends; the receiver of the message gets to use it.
TEST(Ledger, ChannelCarriedByBufferedMessageOutlivesItsCreator) {
    reset_records();
    const auto r = run({{"S", carrier_sender, 0}, {"R", carrier_receiver, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{1, 1, 99}));
}

void cycle_maker(uint64_t) {
    const Chan a = user::make_chan(sizeof(uint64_t), 1);
    const Chan b = user::make_chan(sizeof(uint64_t), 1);
    const uint64_t page = user::page_alloc();
    user::obj_alloc(page, 2);
    const goos_move move{page, 1, 0};
    const uint64_t carry_a[1] = {a};
    const uint64_t carry_b[1] = {b};
    goos_transfer xa{};
    xa.moves = &move;
    xa.nmoves = 1;
    xa.chans = carry_a;
    xa.nchans = 1;
    goos_transfer xb = xa;
    xb.chans = carry_b;
    g_s(user::send(b, a, &xa));  // a inside b
    g_s(user::send(a, b, &xb));  // b inside a
    // Ends: a and b hold only each other; the page is held only by their messages.
}

void cycle_observer(uint64_t) {
    wait_end(1);
    // White-box peeks at the kernel's state (reads only, no syscall): right after the
    // maker ended, only this program's watch channel is left, and no process page.
    g_r(static_cast<int64_t>(kernel::k.channels.size()));
    g_r(static_cast<int64_t>(kernel::ledger_stats().pages_in_use));
}

// Rule: messages inside dead channels die with them, so two channels that only hold each
// other are freed when their last holder ends, and the pages their messages touched (and
// the objects they moved) are recycled then, not at the end of the run.
TEST(Ledger, ChannelsHoldingOnlyEachOtherAreFreed) {
    reset_records();
    const auto r = run({{"S", cycle_maker, 0}, {"T", cycle_observer, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 0}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{1, 0}));
}

// ---- Select: a send case not taken gives its objects back ------------------------------

void select_mover(uint64_t) {
    const uint64_t page = user::page_alloc();
    user::obj_alloc(page, 2);
    const Chan a = user::make_chan(sizeof(uint64_t), 0);
    const Chan b = user::make_chan(sizeof(uint64_t), 0);
    user::publish("sel-a", a);
    user::publish("sel-b", b);
    const goos_move move{page, 1, 0};
    const goos_transfer x = moving(&move, 1);
    uint64_t va = page, vb = page;
    goos_select_case cases[2] = {{a, &va, &x, 1, 0}, {b, &vb, &x, 1, 0}};
    g_s(user::select(cases, 2, true));  // R receives from b
    g_s(user::obj_free(page, 1));       // case a's object came back
    g_s(user::obj_free(page, 1));       // case b's went to R
    wait_end(2);
}

void select_taker(uint64_t) {
    const Chan b = static_cast<Chan>(user::lookup("sel-b"));
    uint64_t page = 0;
    g_r(recv64(b, &page));
    g_r(user::obj_free(page, 1));
    g_r(user::obj_free(page, 1));
}

// Rule: a blocking select commits every send case's objects; the case that fires hands
// them to the receiver, the others give them back to the sender.
TEST(Ledger, SelectSendCaseNotTakenGivesObjectsBack) {
    reset_records();
    const auto r = run({{"S", select_mover, 0}, {"R", select_taker, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{1, 0, GOOS_NOT_OWNER}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{1, 0, GOOS_NOT_OWNER}));
}

void same_value_offerer(uint64_t) {
    const uint64_t page = user::page_alloc();
    user::obj_alloc(page, 1);  // one object: the value offered on both channels
    const Chan a = user::make_chan(sizeof(uint64_t), 0);
    const Chan b = user::make_chan(sizeof(uint64_t), 0);
    user::publish("same-a", a);
    user::publish("same-b", b);
    // select { case a <- v: case b <- v: } : the transfer walk of v gives the same moves for
    // both cases.
    const goos_move move{page, 1, 0};
    const goos_transfer x = moving(&move, 1);
    uint64_t va = page, vb = page;
    goos_select_case cases[2] = {{a, &va, &x, 1, 0}, {b, &vb, &x, 1, 0}};
    g_s(user::select(cases, 2, true));  // R receives from b
    g_s(user::obj_free(page, 1));       // case b moved nothing: the object is S's again
    wait_end(2);
}

void same_value_taker(uint64_t) {
    const Chan b = static_cast<Chan>(user::lookup("same-b"));
    uint64_t page = 0;
    g_r(recv64(b, &page));
    g_r(user::obj_free(page, 1));
}

// Rule: a blocking select may offer the same value (the same objects) on several send
// cases, as Go allows. Each case commits its own description, in case order: the first
// moves the objects, a later one that names them again hands over holds on their pages
// only (as the runtime's walk does: it touches what an earlier case claimed). So when
// the later case fires, the receiver may reach the object and holds its page, and the
// object comes back to the sender with the first case's undo (the dirty-page rule keeps
// its slot from reuse while the receiver holds the page).
TEST(Ledger, BlockingSelectMayOfferTheSameObjectsOnSeveralCases) {
    reset_records();
    const auto r = run({{"S", same_value_offerer, 0}, {"R", same_value_taker, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{1, 0}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{1, GOOS_NOT_OWNER}));
}

void budget_main(uint64_t) {
    // A channel is charged to its creator: its buffer, 1000 * (8 + 16) bytes = 6 pages, and
    // its header.
    const Chan c = user::make_chan(sizeof(uint64_t), 1000);
    g_s(c > 0 ? 1 : 0);
    int64_t got = 0;
    int64_t last = 0;
    uint64_t one = 0;
    for (int i = 0; i < 5000; ++i) {
        last = static_cast<int64_t>(user::page_alloc());
        if (last < 0) break;
        if (!one) one = static_cast<uint64_t>(last);
        ++got;
    }
    g_s(got);
    g_s(last);
    g_s(user::page_release(one));
    g_s(user::page_alloc() == one ? 1 : 0);  // room for one again
}

// Rule: a process's pages are limited by its budget, channel buffers included: past it
// page_alloc returns NO_MEMORY, and a released page makes room again.
TEST(Ledger, PageAllocBeyondBudgetReturnsNoMemory) {
    reset_records();
    sim::Options o;
    o.process_page_limit = 64;
    const auto r = run({{"hungry", budget_main, 0}}, o);
    expect_clean(r);
    // 6 pages of buffer, and the header's bytes take a seventh.
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{1, 64 - 7, GOOS_NO_MEMORY, 0, 1}));
}

uint64_t g_their_page;
volatile int g_their_page_ready;

void page_keeper(uint64_t) {
    g_their_page = user::page_alloc();
    g_their_page_ready = 1;
    wait_end(2);
}

void would_be_holder(uint64_t) {
    while (!g_their_page_ready) user::yield();
    const uint64_t theirs[1] = {g_their_page};
    g_r(user::mark_begin());
    g_r(user::mark_end(theirs, 1));  // claims to have reached a page it never held
    g_r(user::write(reinterpret_cast<const char*>(theirs[0]), 1));
    g_r(user::obj_free(theirs[0], 1));
}

// Rule: a mark only ever ends holds; naming a page in mark_end does not make the caller a
// holder of it.
TEST(Ledger, MarkDoesNotGrantHolds) {
    reset_records();
    g_their_page_ready = 0;
    const auto r = run({{"keeper", page_keeper, 0}, {"claimer", would_be_holder, 0}});
    expect_clean(r);
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{0, 0, GOOS_BAD_ADDRESS, GOOS_BAD_ADDRESS}));
}

// ---- Pages -----------------------------------------------------------------------------

void page_owner(uint64_t) {
    const uint64_t p1 = user::page_alloc();
    g_s(user::page_release(p1));
    g_s(user::page_release(p1));  // gone
    const uint64_t p2 = user::page_alloc();
    user::obj_alloc(p2, 1);
    g_s(user::page_release(p2));  // still has a live object
    user::obj_free(p2, 1);
    g_s(user::page_release(p2));
    const uint64_t p3 = user::page_alloc();  // handed to R
    const Chan c = user::make_chan(sizeof(uint64_t), 1);
    user::publish("pages", c);
    const goos_transfer x = touching(&p3, 1);
    user::send(c, p3, &x);
    // Two more pages are never released: they go when S ends.
    const uint64_t p4 = user::page_alloc();
    const uint64_t p5 = user::page_alloc();
    user::obj_alloc(p4, 5);
    user::obj_alloc(p5, 5);
    wait_end(2);
}

void page_borrower(uint64_t) {
    const Chan c = static_cast<Chan>(user::lookup("pages"));
    uint64_t p3 = 0;
    recv64(c, &p3);
    g_r(user::page_release(p3));                         // not its origin
    g_r(user::page_release(p3 + GOOS_PAGE_SIZE * 100));  // not a page it holds
    const uint64_t mine = user::page_alloc();
    user::obj_alloc(mine, 3);
    // Ends holding p3 and its own page with objects on it.
}

// Rule: page_release frees only the origin's own page without live objects; and whatever
// is left, every page is back in the pool once every program has ended.
TEST(Ledger, EveryPageFreeAfterAllProgramsEnd) {
    reset_records();
    const auto r = run({{"S", page_owner, 0}, {"R", page_borrower, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, GOOS_BAD_ADDRESS, GOOS_BAD_ARGUMENT, 0}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{GOOS_NOT_OWNER, GOOS_BAD_ADDRESS}));
    EXPECT_EQ(r.out.ledger.pages_allocated, 6u);
    EXPECT_EQ(r.out.ledger.pages_recycled, 6u);
    EXPECT_EQ(r.out.ledger.pages_in_use, 0u);
    EXPECT_EQ(r.out.ledger.pages_dirty, 0u);
}

}  // namespace

namespace goos_test {
namespace {

size_t g_record_pages_used;
uint64_t g_kernel_bytes_charged;

size_t kernel_pages_in_use() {
    return kernel::k.pages.npages() - kernel::k.pages.first_usable() - kernel::k.pages.free_pages();
}

void record_flooder(uint64_t) {
    const uint64_t page = user::page_alloc();
    const Chan c = user::make_chan(sizeof(uint64_t), 10000);
    const uint64_t touched[1] = {page};
    const goos_transfer x = touching(touched, 1);
    const size_t before = kernel_pages_in_use();
    int64_t sent = 0;
    for (int i = 0; i < 10000; ++i) sent += user::send(c, page, &x) == 0;
    g_s(sent);
    g_record_pages_used = kernel_pages_in_use() - before;
    g_kernel_bytes_charged = kernel::process_by_pid(1)->kernel_bytes;
    uint64_t v;
    for (int i = 0; i < 10000; ++i) recv64(c, &v);
    g_s(static_cast<int64_t>(kernel::process_by_pid(1)->kernel_bytes));
}

// Rule: a message record costs its bytes, not a page (10,000 buffered messages once took
// 10,000 pages of records), and is charged to its sender while it lives.
TEST(Ledger, MessageRecordsCostBytesChargedToTheSender) {
    reset_records();
    sim::Options o;
    o.process_page_limit = 1024;
    const auto r = run({{"flooder", record_flooder, 0}}, o);
    expect_clean(r);
    // The channel, header and buffer, is charged to its maker too.
    const uint64_t chan_cost = kernel::kChanHeaderBytes + kernel::kblock_cost(10000 * (8 + sizeof(kernel::Slot)));
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{10000, static_cast<int64_t>(chan_cost)}));
    EXPECT_LE(g_record_pages_used, 10000u * 64 / 4096 + 2);
    EXPECT_EQ(g_kernel_bytes_charged, 10000u * 64 + chan_cost);
}

void record_hog(uint64_t) {
    const uint64_t page = user::page_alloc();
    const Chan c = user::make_chan(sizeof(uint64_t), 100000);  // 586 pages of buffer
    const uint64_t touched[1] = {page};
    const goos_transfer x = touching(touched, 1);
    int64_t last = 0;
    int sent = 0;
    while ((last = user::send(c, page, &x)) == 0) ++sent;
    g_s(last);
    g_s(sent > 1000 && sent < 100000);
}

// Rule: records count against the sender's budget: a program that floods a channel with
// messages runs out of memory itself (NO_MEMORY), instead of taking the kernel's.
TEST(Ledger, MessageRecordsCountAgainstTheBudget) {
    reset_records();
    sim::Options o;
    o.process_page_limit = 1024;
    const auto r = run({{"hog", record_hog, 0}}, o);
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{GOOS_NO_MEMORY, 1}));
}

}  // namespace
}  // namespace goos_test

// ---- Channels are held like pages ------------------------------------------------------

namespace goos_test {
namespace {

Chan g_waited;
volatile int g_waiter_ready;

void chan_waiter(uint64_t) {
    uint64_t v = 0;
    g_waiter_ready = 1;
    recv64(g_waited, &v);  // blocks until main sends, after its marks
    g_r(static_cast<int64_t>(v));
}

void chan_marker(uint64_t) {
    const auto live = [] { return static_cast<int64_t>(kernel::k.chans.live()); };
    const Chan a = user::make_chan(8, 1);
    g_s(user::mark_begin());
    const Chan b = user::make_chan(8, 1);  // made while the mark runs: kept this cycle
    const int64_t before = live();
    g_s(user::mark_end(nullptr, 0));
    g_s(before - live());     // a is freed: no one holds it, no name, no message
    g_s(send64(a, 1, true));  // and is no longer the program's
    g_s(send64(b, 2, true));  // b was kept
    g_s(user::mark_begin());
    g_s(user::mark_end(nullptr, 0));  // a whole cycle that did not reach b
    g_s(send64(b, 3, true));
    // A mark that reaches a channel's header page keeps it.
    const Chan c = user::make_chan(8, 1);
    g_s(user::mark_begin());
    const uint64_t page = c & ~uint64_t{4095};
    g_s(user::mark_end(&page, 1));
    g_s(send64(c, 4, true));
    // A channel a thread of the program waits on is held.
    g_waited = user::make_chan(8, 0);
    go<chan_waiter>(0);
    while (!g_waiter_ready) user::yield();
    user::yield();
    g_s(user::mark_begin());
    g_s(user::mark_end(nullptr, 0));
    g_s(send64(g_waited, 5));
    while (g_r.n == 0) user::yield();
    // A published channel that no mark reached: the program lets go, the name keeps it,
    // and a lookup gives it back.
    const Chan e = user::make_chan(8, 1);
    user::publish("kept", e);
    g_s(user::mark_begin());
    g_s(user::mark_end(nullptr, 0));
    g_s(send64(e, 6, true));
    g_s(user::lookup("kept") == static_cast<int64_t>(e));
    g_s(send64(e, 6, true));
}

}  // namespace

// Rule: channels are held like pages (DESIGN.md, "Channels"): a mark that did not reach a
// channel's header page ends the program's hold on it, unless the hold was granted after
// the mark began or a thread of the program waits on it; a channel no one holds, no name
// publishes and no message carries is freed. (A request/reply client that makes a fresh
// reply channel per request, or a time.After per select, once kept every one until it
// ended.)
TEST(Ledger, MarksLetGoOfChannelsTheyDidNotReach) {
    reset_records();
    g_waiter_ready = 0;
    const auto r = run({{"marker", chan_marker, 0}});
    expect_clean(r);
    const int64_t H = GOOS_BAD_HANDLE;
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 0, 1, H, 0,     // a freed, b kept
                                               0, 0, H,           // b let go
                                               0, 0, 0,           // c reached
                                               0, 0, 0,           // waited on
                                               0, 0, H, 1, 0}));  // published
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{5}));
}

}  // namespace goos_test
