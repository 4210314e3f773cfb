// The page ledger (DESIGN.md, "Ownership and kernel-assisted garbage collection"), driven
// by scripted sequences of page_alloc / page_release / mark_begin / mark_end and sends that
// carry a goos_transfer {pages, chans}, as the runtime's send walk describes them, with
// the pages' shared and dirty bits read as a program's runtime reads them.
//
// Process 1 is the sender "S" and process 2 the receiver "R" unless a test says otherwise.
#include "harness.h"

#include <kernel/barrier.h>

namespace {

using namespace goos_test;

Record g_s, g_r, g_t;  // what S, R (and a third, T) saw, each in its own order

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

goos_transfer touching(const uint64_t* pages, uint32_t n) {
    goos_transfer x{};
    x.pages = pages;
    x.npages = n;
    return x;
}

// The page's bits (abi.h) as a runtime reads them: 1 shared (and so dirty), 2 dirty only,
// 0 clean.
int64_t bits(uint64_t page) {
    const size_t i = kernel::k.pages.index_of(page);
    return kernel::k.pages.shared(i) ? 1 : kernel::k.pages.dirty(i) ? 2 : 0;
}

// ---- Shared and dirty pages ------------------------------------------------------------

void dirty_sender(uint64_t) {
    const uint64_t page = user::page_alloc();
    g_s(bits(page));  // a fresh page is clean
    const Chan data = user::make_chan(sizeof(uint64_t), 1);
    const Chan ack = user::make_chan(sizeof(uint64_t), 1);
    user::publish("data", data);
    user::publish("ack", ack);
    const goos_transfer x = touching(&page, 1);
    g_s(user::send(data, page, &x));
    g_s(bits(page));  // a message holds it: shared
    uint64_t v;
    recv64(ack, &v);  // R has received it and holds the page
    g_s(bits(page));  // shared
    // S's marks reach the channels it goes on using (their header pages), as its collector's would.
    const uint64_t chans[2] = {data & ~uint64_t{4095}, ack & ~uint64_t{4095}};
    g_s(user::mark_begin());
    g_s(bits(page));  // a mark does not clean a page someone else holds
    g_s(user::mark_end(chans, 2));
    user::close(data);  // now R may end
    wait_end(2);
    g_s(bits(page));  // R ended, so no one else holds it, but it was held since S's mark began
    g_s(user::mark_begin());
    g_s(bits(page));  // clean from this mark on: this mark's sweep may free on it
    g_s(user::mark_end(chans, 2));
    g_s(user::page_release(page));
}

void dirty_receiver(uint64_t) {
    const Chan data = static_cast<Chan>(user::lookup("data"));
    const Chan ack = static_cast<Chan>(user::lookup("ack"));
    uint64_t page = 0;
    user::recv(data, &page);
    g_r(user::write(reinterpret_cast<const char*>(page), 1));  // it holds the page now
    g_r(user::page_release(page));                             // but is not its origin
    send64(ack, 1);
    uint64_t v;
    recv64(data, &v);  // stays alive until S closes the channel
}

// Rule (DESIGN.md, "The origin frees"): a page is shared while anyone besides its origin
// holds it (a message in flight, or a receiver of one), and dirty from then until its
// origin's next mark begins with the page no longer shared; the origin frees slots only on
// pages not dirty at its sweep. Only the origin releases a page.
TEST(Ledger, PageIsSharedWhileOthersHoldItAndDirtyUntilTheOriginsNextMark) {
    reset_records();
    const auto r = run({{"S", dirty_sender, 0}, {"R", dirty_receiver, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 0, 1, 1, 0, 1, 0, 2, 0, 0, 0, 0}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{1, GOOS_NOT_OWNER}));
}

// ---- The origin gives a page up while others hold it ------------------------------------

void giving_origin(uint64_t) {
    const uint64_t page = user::page_alloc();
    *reinterpret_cast<volatile uint64_t*>(page) = 42;
    const Chan c = user::make_chan(sizeof(uint64_t), 1);
    user::publish("given", c);
    const goos_transfer x = touching(&page, 1);
    g_s(user::send(c, page, &x));
    g_s(user::page_release(page));  // S gives it up: R's message still holds it
    g_s(user::page_release(page));  // no longer S's
    g_s(static_cast<int64_t>(kernel::ledger_stats().pages_in_use));
    wait_end(2);
    g_s(static_cast<int64_t>(kernel::ledger_stats().pages_in_use));
}

void late_holder(uint64_t) {
    const Chan c = static_cast<Chan>(user::lookup("given"));
    uint64_t page = 0;
    recv64(c, &page);
    g_r(static_cast<int64_t>(*reinterpret_cast<volatile uint64_t*>(page)));
    g_r(user::write(reinterpret_cast<const char*>(page), 1));  // still held
}

// Rule: an origin that releases a page others hold stops holding it and stops being its
// origin; the page stays until its last holder lets go, and is then free.
TEST(Ledger, ReleasedPageStaysWhileOthersHoldIt) {
    reset_records();
    const auto r = run({{"S", giving_origin, 0}, {"R", late_holder, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 0, GOOS_BAD_ADDRESS, 1, 0}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{42, 1}));
}

// ---- Crashes with messages in flight ----------------------------------------------------

void inflight_sender(uint64_t) {
    const uint64_t page = user::page_alloc();
    const Chan work = static_cast<Chan>(user::lookup("work"));
    const goos_transfer x = touching(&page, 1);
    g_s(user::send(work, page, &x));
    g_s(user::send(work, page, &x));  // both buffered: cap 4
    wait_end(2);
    // R died holding the page; one message still sits in the channel (S holds it: it
    // looked it up), and holds the page too.
    g_s(bits(page));
    g_s(user::page_release(page));  // S gives it up: the message keeps it until it dies
}

void inflight_crasher(uint64_t) {
    const Chan work = user::make_chan(sizeof(uint64_t), 4);
    user::publish("work", work);
    uint64_t page = 0;
    recv64(work, &page);  // the first message: R holds the page
    user::panic("R: crashed holding a page, with a message in flight");
}

// Rule: a receiver that crashes holding pages it received, with more messages in flight
// (buffered in a channel only it held), leaves the ledger consistent; when everything
// has ended every page is free.
TEST(Ledger, ReceiverCrashWithMessagesInFlight) {
    reset_records();
    const auto r = run({{"S", inflight_sender, 0}, {"R", inflight_crasher, 0}});
    expect_clean(r);  // includes invariants_ok and pages_in_use == 0
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 0, 1, 0}));
    EXPECT_EQ(r.out.run.stats.processes_crashed, 1u);
    EXPECT_EQ(r.out.ledger.transfers, 2u);
    EXPECT_EQ(r.out.ledger.pages_recycled, r.out.ledger.pages_allocated);
}

void early_leaver(uint64_t) {
    const uint64_t page = user::page_alloc();
    *reinterpret_cast<volatile uint64_t*>(page) = 7;
    const Chan work = static_cast<Chan>(user::lookup("work"));
    const goos_transfer x = touching(&page, 1);
    user::send(work, page, &x);
    user::send(work, page, &x);
    // Ends with both messages still in the channel: the page stays (they hold it).
}

void late_crasher(uint64_t) {
    const Chan work = user::make_chan(sizeof(uint64_t), 4);
    user::publish("work", work);
    wait_end(1);
    uint64_t page = 0;
    g_r(recv64(work, &page));  // the sender is gone; its message is still delivered
    g_r(static_cast<int64_t>(*reinterpret_cast<volatile uint64_t*>(page)));  // and the page with it
    user::panic("R: crashed with a message still in the channel");
}

// Rule: the same when the sender has already ended: messages in flight keep their pages
// until they are received or die with their channel; nothing leaks.
TEST(Ledger, SenderEndsThenReceiverCrashesWithMessagesInFlight) {
    reset_records();
    const auto r = run({{"S", early_leaver, 0}, {"R", late_crasher, 0}});
    expect_clean(r);
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{1, 7}));
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
    const Chan data = user::make_chan(sizeof(uint64_t), 1);
    const Chan ack = user::make_chan(sizeof(uint64_t), 1);
    user::publish("data", data);
    user::publish("ack", ack);
    const goos_transfer x = touching(&page, 1);
    user::send(data, page, &x);
    uint64_t v;
    recv64(ack, &v);  // R finished one mark
    g_s(bits(page));
    if (script == kGrantDuringMark) {
        send64(data, 0);  // go on
        recv64(ack, &v);  // R finished a second mark
        g_s(bits(page));
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
// receiver's hold: the origin's page is no longer shared (dirty until the origin's next
// mark) while the receiver still runs, and the receiver may no longer pass the page to
// the kernel.
TEST(Ledger, MarkEndWithoutReachingPageDropsHold) {
    reset_records();
    const auto r = run({{"S", mark_sender, kMarkReachesNothing}, {"R", mark_receiver, kMarkReachesNothing}});
    expect_clean(r);
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{0, 0, GOOS_BAD_ADDRESS}));
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{2}));
}

// Rule: a mark that reached the page keeps the hold: the page stays shared.
TEST(Ledger, MarkEndReachingPageKeepsHold) {
    reset_records();
    const auto r = run({{"S", mark_sender, kMarkReachesPage}, {"R", mark_receiver, kMarkReachesPage}});
    expect_clean(r);
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{0, 0, 1}));
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{1}));
}

// Rule (the epoch rule): a grant made after a mark began counts as live for that cycle,
// so that mark does not drop it even without reaching it; the next full cycle does.
TEST(Ledger, GrantAfterMarkBeganSurvivesThatMark) {
    reset_records();
    const auto r = run({{"S", mark_sender, kGrantDuringMark}, {"R", mark_receiver, kGrantDuringMark}});
    expect_clean(r);
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{0, 0, 1, 0, 0, GOOS_BAD_ADDRESS}));
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{1, 2}));
}

// ---- What a send may hand over ---------------------------------------------------------

uint64_t g_foreign_page;

void commit_checker(uint64_t) {
    const uint64_t page = user::page_alloc();
    const Chan c = user::make_chan(sizeof(uint64_t), 4);
    const uint64_t foreign = g_foreign_page;
    const goos_transfer x1 = touching(&foreign, 1);
    g_s(user::send(c, page, &x1));  // a page it does not hold
    const uint64_t odd = page + 8;
    const goos_transfer x2 = touching(&odd, 1);
    g_s(user::send(c, page, &x2));  // not a page address
    const uint64_t mixed[2] = {page, foreign};
    const goos_transfer x3 = touching(mixed, 2);
    g_s(user::send(c, page, &x3));  // one good page does not carry a bad one
    const uint64_t wild_chan = page + 64;
    goos_transfer x4{};
    x4.chans = &wild_chan;
    x4.nchans = 1;
    g_s(user::send(c, page, &x4));  // not a channel
    g_s(chan_len(c));               // none of them was sent
    g_s(bits(page));                // and the page is S's alone
}

void foreign_page_owner(uint64_t) {
    g_foreign_page = user::page_alloc();
    user::sleep_ns(3'000'000);  // keeps the page while the checker runs
}

// Rule: a send hands over only pages and channels the sender holds; otherwise it fails
// (BAD_ADDRESS, BAD_HANDLE) and nothing is sent.
TEST(Ledger, SendHandsOverOnlyWhatTheSenderHolds) {
    reset_records();
    g_foreign_page = 0;
    const auto r = run({{"other", foreign_page_owner, 0}, {"S", commit_checker, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(),
              (std::vector<int64_t>{GOOS_BAD_ADDRESS, GOOS_BAD_ADDRESS, GOOS_BAD_ADDRESS, GOOS_BAD_HANDLE, 0, 0}));
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
    const uint64_t carry_a[1] = {a};
    const uint64_t carry_b[1] = {b};
    goos_transfer xa = touching(&page, 1);
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
// other are freed when their last holder ends, and the pages their messages held are
// recycled then, not at the end of the run.
TEST(Ledger, ChannelsHoldingOnlyEachOtherAreFreed) {
    reset_records();
    const auto r = run({{"S", cycle_maker, 0}, {"T", cycle_observer, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 0}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{1, 0}));
}

// ---- Func values go only where no other program receives --------------------------------

void func_sender(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 4);
    goos_transfer funcs{};
    funcs.flags = GOOS_TRANSFER_FUNCS;
    g_s(user::send(c, uint64_t{1}, &funcs));  // only S holds c: as Go's own chan func()
    g_s(user::publish("funcs", c));
    g_s(user::send(c, uint64_t{2}, &funcs));  // now another program may receive it
    g_s(chan_len(c));
    const Chan inner = user::make_chan(sizeof(uint64_t), 1);
    const uint64_t carried[1] = {inner};
    goos_transfer x{};
    x.chans = carried;
    x.nchans = 1;
    g_s(user::send(c, inner, &x));                // inner travels in a message on a published channel
    g_s(user::send(inner, uint64_t{3}, &funcs));  // so a func value may not go on it either
}

// Rule: a send whose value holds a func value (GOOS_TRANSFER_FUNCS) is refused with
// CODE_VALUE, before anything commits, on a channel another program holds, a name
// publishes or a message in flight carries; on a channel only the sender holds it goes.
TEST(Ledger, FuncValuesGoOnlyOnChannelsNoOtherProgramReceivesFrom) {
    reset_records();
    const auto r = run({{"S", func_sender, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 0, GOOS_CODE_VALUE, 1, 0, GOOS_CODE_VALUE}));
}

// ---- Select: a send case not taken lets go of its pages ---------------------------------

void select_sender(uint64_t) {
    const uint64_t page = user::page_alloc();
    const Chan a = user::make_chan(sizeof(uint64_t), 0);
    const Chan b = user::make_chan(sizeof(uint64_t), 0);
    const Chan done = user::make_chan(sizeof(uint64_t), 0);
    user::publish("sel-a", a);
    user::publish("sel-b", b);
    user::publish("sel-done", done);
    // select { case a <- v: case b <- v: }: the walk of v names the same page for both.
    const goos_transfer x = touching(&page, 1);
    uint64_t va = page, vb = page;
    goos_select_case cases[2] = {{a, &va, &x, 1, 0}, {b, &vb, &x, 1, 0}};
    g_s(user::select(cases, 2, true));                               // R receives from b
    g_s(static_cast<int64_t>(kernel::k.pages.info(page).inflight));  // case a's message is gone
    g_s(bits(page));                                                 // R holds it
    user::close(done);
    wait_end(2);
    g_s(bits(page));
}

void select_taker(uint64_t) {
    const Chan b = static_cast<Chan>(user::lookup("sel-b"));
    uint64_t page = 0;
    g_r(recv64(b, &page));
    g_r(user::write(reinterpret_cast<const char*>(page), 1));
    uint64_t v;
    recv64(static_cast<Chan>(user::lookup("sel-done")), &v);  // holds the page until S has looked
}

// Rule: a blocking select commits every send case's description, the same value on
// several cases included, as Go allows; the case that fires hands its pages to the
// receiver, the others' messages let go of them.
TEST(Ledger, SelectSendCaseNotTakenLetsGoOfItsPages) {
    reset_records();
    const auto r = run({{"S", select_sender, 0}, {"R", select_taker, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{1, 0, 1, 2}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{1, 1}));
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

// ---- Charges (DESIGN.md, "Charging") ----------------------------------------------------

int64_t charged_pages() {
    return user::sys(GOOS_SYS_charged) / GOOS_PAGE_SIZE;  // channels' bytes are under a page here
}

uint64_t g_batch[2][25];

void charging_origin(uint64_t) {
    const Chan data = user::make_chan(sizeof(uint64_t), 1);
    const Chan ack = user::make_chan(sizeof(uint64_t), 1);
    user::publish("data", data);
    user::publish("ack", ack);
    for (auto& batch : g_batch)
        for (uint64_t& page : batch) page = user::page_alloc();
    g_s(charged_pages());  // its own 50 pages, no one else holds them
    for (int i = 0; i < 2; ++i) {
        uint64_t pages[25];  // a description in the program's own memory
        for (int j = 0; j < 25; ++j) pages[j] = g_batch[i][j];
        const goos_transfer x = touching(pages, 25);
        user::send(data, static_cast<uint64_t>(i), &x);
        if (i == 1) break;  // the holder ends with it
        uint64_t v;
        recv64(ack, &v);
        g_s(charged_pages());  // the pages the holder received are charged to it
    }
    wait_end(2);
    g_s(charged_pages());  // the holder ended: its origin is charged again for what only it holds
}

void charged_holder(uint64_t) {
    const Chan data = user::lookup("data");
    const Chan ack = user::lookup("ack");
    uint64_t own[20];
    for (uint64_t& page : own) page = user::page_alloc();
    uint64_t v;
    recv64(data, &v);
    g_r(charged_pages());
    // A second holder of 10 pages of the batch: those are split between the two.
    const Chan half = user::make_chan(sizeof(uint64_t), 1);
    const Chan half_ack = user::make_chan(sizeof(uint64_t), 1);
    user::publish("half", half);
    user::publish("half_ack", half_ack);
    uint64_t pages[10];
    for (int j = 0; j < 10; ++j) pages[j] = g_batch[0][j];
    const goos_transfer x = touching(pages, 10);
    user::send(half, uint64_t{0}, &x);
    recv64(half_ack, &v);  // the other holder holds them
    g_r(charged_pages());
    send64(ack, 0);
    recv64(data, &v);  // 25 more: 65 pages and its channels, over a budget of 64
    g_r(charged_pages());
    // Its mark reaches every page it holds: still over its budget after collecting, it ends.
    uint64_t all[50];
    for (int i = 0; i < 50; ++i) all[i] = g_batch[i / 25][i % 25];
    g_r(user::mark_begin());
    g_r(user::mark_end(all, 50));
    g_r(-1);  // not reached
}

void half_holder(uint64_t) {
    const Chan half = user::lookup("half");
    const Chan half_ack = user::lookup("half_ack");
    uint64_t v;
    recv64(half, &v);
    g_t(charged_pages());
    send64(half_ack, 0);
    wait_end(2);
    g_t(charged_pages());  // the other holder ended: the 10 pages are all its now
    wait_end(1);           // holding them while the origin looks
}

// Rule: a page is charged to its holders other than its origin, split evenly, and to its
// origin when no one else holds it; a holder whose charge is still over its budget after
// its mark ends, naming what it holds, and the origin is charged again what it still holds.
TEST(Ledger, PagesAreChargedToTheirOtherHoldersAndAHolderOverBudgetEnds) {
    reset_records();
    g_t.clear();
    sim::Options o;
    o.process_page_limit = 64;
    const auto r = run({{"origin", charging_origin, 0}, {"holder", charged_holder, 0}, {"half", half_holder, 0}}, o);
    EXPECT_TRUE(r.out.invariants_ok);
    EXPECT_EQ(exit_statuses()[2], 2);
    EXPECT_EQ(exit_statuses()[1], 0);
    EXPECT_EQ(exit_statuses()[3], 0);
    EXPECT_NE(r.console.find("goos: process 2 (holder) ended: over its budget of 64 pages after it collected: "
                             "charged 66 pages; it holds 50 pages of other programs and 20 of its own"),
              std::string::npos)
        << r.console;
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{50, 25, 40}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{45, 40, 65, 0}));
    EXPECT_EQ(g_t.all(), (std::vector<int64_t>{5, 10}));
}

uint64_t g_waiter_page = 0;
volatile int g_waiter_hooked = 0;

void waiter_page_sender(uint64_t) {
    const Chan data = user::make_chan(sizeof(uint64_t), 1);
    const Chan late = user::make_chan(sizeof(uint64_t), 0);
    const Chan marked = user::make_chan(sizeof(uint64_t), 1);
    user::publish("data", data);
    user::publish("late", late);
    user::publish("marked", marked);
    const uint64_t page = user::page_alloc();
    g_waiter_page = page;
    const goos_transfer x = touching(&page, 1);
    user::send(data, page, &x);
    uint64_t v;
    recv64(marked, &v);  // the receiver's mark ended while its thread waited into the page
    send64(late, 42);
    wait_end(2);
}

void waiter_page_thread(uint64_t page) {
    const Chan late = user::lookup("late");
    g_waiter_hooked = 1;
    recv64(late, reinterpret_cast<uint64_t*>(page));  // written into the sender's page
    g_waiter_hooked = 2;
}

void waiter_page_receiver(uint64_t) {
    const Chan data = user::lookup("data");
    const Chan marked = user::lookup("marked");
    uint64_t page;
    recv64(data, &page);
    user::go(waiter_page_thread, page);
    wait_flag(&g_waiter_hooked);
    // A mark that reaches nothing but the channel it signals on: the page its thread waits
    // to write into stays its own to hold.
    const uint64_t reached[1] = {marked & ~uint64_t{4095}};
    g_r(user::mark_begin());
    g_r(user::mark_end(reached, 1));
    g_r((kernel::k.pages.info(page).holders & kernel::k.current->proc->bit()) != 0);
    send64(marked, 0);
    while (g_waiter_hooked != 2) user::yield();
    g_r(static_cast<int64_t>(*reinterpret_cast<const uint64_t*>(page)));
}

// Rule: a mark's end keeps every page a blocked thread of the program names (a value it
// offers, or where a value it waits for will be written), reached or not.
TEST(Ledger, AMarkKeepsThePagesItsBlockedThreadsName) {
    reset_records();
    g_waiter_hooked = 0;
    const auto r = run({{"sender", waiter_page_sender, 0}, {"receiver", waiter_page_receiver, 0}});
    expect_clean(r);
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{0, 0, 1, 42}));
}

goos_start_info g_pacing_info;  // the origin's start info, as a loaded program has one

void pacing_origin(uint64_t) {
    const Chan data = user::make_chan(sizeof(uint64_t), 1);
    const Chan ack = user::make_chan(sizeof(uint64_t), 1);
    user::publish("data", data);
    user::publish("ack", ack);
    uint64_t pages[4];
    for (uint64_t& page : pages) page = user::page_alloc();
    const goos_transfer x = touching(pages, 4);
    user::send(data, uint64_t{0}, &x);
    uint64_t v;
    recv64(ack, &v);  // the holder holds them: they are charged to it
    kernel::k.current->proc->info = &g_pacing_info;
    send64(data, 1);  // and it may end
    wait_end(2);
    g_s(static_cast<int64_t>(g_pacing_info.granted_bytes));  // charged to the origin again
    kernel::k.current->proc->info = nullptr;
}

void pacing_holder(uint64_t) {
    const Chan data = user::lookup("data");
    const Chan ack = user::lookup("ack");
    uint64_t v;
    recv64(data, &v);
    send64(ack, 0);
    recv64(data, &v);
}

// Rule: a charge that grows because others let go counts as allocation for pacing, as a
// grant does (DESIGN.md, "Charging, pacing"): the origin of 4 pages its only other holder
// let go of is granted their 16 KiB.
TEST(Ledger, AChargeThatGrowsBecauseOthersLetGoCountsForPacing) {
    reset_records();
    g_pacing_info = goos_start_info{};
    const auto r = run({{"origin", pacing_origin, 0}, {"holder", pacing_holder, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{4 * int64_t{GOOS_PAGE_SIZE}}));
}

goos_start_info g_pressed_info[2];  // start infos, as loaded programs have: they can be asked

// Takes pages until the pool runs low (the kernel asks every program to collect), answers
// with a mark when `arg` says so, then runs for 0.6 s.
volatile int g_answerer_ready = 0;

void pressed_program(uint64_t arg) {
    kernel::k.current->proc->info = &g_pressed_info[arg];
    if (arg == 0) {
        wait_flag(&g_answerer_ready);  // so that the kernel asks both
        while (kernel::k.pages.free_pages() >= kernel::k.pages.npages() / 10)
            if (static_cast<int64_t>(user::page_alloc()) <= 0) break;
    } else {
        g_answerer_ready = 1;
        while (g_pressed_info[1].collect_asks == 0) user::yield();  // asked with the other
        uint64_t none = 0;
        user::mark_begin();
        user::mark_end(&none, 0);
    }
    const uint64_t start = user::now_ns();
    for (volatile uint64_t spin = 0; user::now_ns() - start < 600'000'000ULL; spin = spin + 1) {
    }
    kernel::k.current->proc->info = nullptr;
}

// Rule: a program asked to collect under memory pressure that begins no mark in 100 ms of
// its run time ends, naming what it holds; one that answers goes on.
TEST(Ledger, AProgramSilentUnderPressureEnds) {
    g_pressed_info[0] = g_pressed_info[1] = goos_start_info{};
    g_answerer_ready = 0;
    sim::Options o;
    o.pool_pages = 2048;
    const auto r = run({{"silent", pressed_program, 0}, {"answers", pressed_program, 1}}, o);
    EXPECT_TRUE(r.out.invariants_ok);
    EXPECT_EQ(exit_statuses()[1], 2);
    EXPECT_EQ(exit_statuses()[2], 0);
    EXPECT_NE(r.console.find("goos: process 1 (silent) ended: asked to collect under memory pressure, it began no "
                             "mark in 100 ms of its run time"),
              std::string::npos)
        << r.console;
}

void chan_maker(uint64_t) {
    const Chan big = user::make_chan(sizeof(uint64_t), 1000);  // a buffer of 6 pages
    user::publish("big", big);
    const Chan ack = user::lookup("ack");
    uint64_t v;
    recv64(ack, &v);  // the taker holds it
    g_s(user::sys(GOOS_SYS_charged) >= int64_t{6 * GOOS_PAGE_SIZE} ? 1 : 0);
}

void big_chan_taker(uint64_t) {
    const Chan ack = user::make_chan(sizeof(uint64_t), 1);
    user::publish("ack", ack);
    user::lookup("big");
    const int64_t before = user::sys(GOOS_SYS_charged);
    send64(ack, 0);
    wait_end(1);
    const int64_t after = user::sys(GOOS_SYS_charged);
    g_r(after - before >= int64_t{6 * GOOS_PAGE_SIZE} ? 1 : 0);  // the channel is its to pay for now
}

// Rule: a channel's header and buffer are charged to its creator while it lives, then to
// a holder (DESIGN.md, "Charging").
TEST(Ledger, AChannelIsChargedToAHolderOnceItsCreatorEnds) {
    reset_records();
    const auto r = run({{"maker", chan_maker, 0}, {"taker", big_chan_taker, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{1}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{1}));
}

void split_maker(uint64_t) {
    const Chan big = user::make_chan(sizeof(uint64_t), 1000);  // a buffer of 6 pages
    user::publish("big", big);
    uint64_t v;
    recv64(user::lookup("t0"), &v);  // both takers hold it
    recv64(user::lookup("t1"), &v);
}

// Each taker makes its own channel to signal on, so that only `big` changes payer.
void split_taker(uint64_t arg) {
    const char mine_name[3] = {'t', static_cast<char>('0' + arg), 0};
    const char other_name[3] = {'t', static_cast<char>('1' - arg), 0};
    const Chan mine = user::make_chan(sizeof(uint64_t), 2);
    user::publish(mine_name, mine);
    const Chan other = user::lookup(other_name);
    user::lookup("big");
    const Chan end = user::watch(1);
    const int64_t before = user::sys(GOOS_SYS_charged);
    send64(mine, 0);  // to the maker
    uint8_t ended;
    user::recv(end, &ended);
    (arg ? g_t : g_r)(user::sys(GOOS_SYS_charged) - before);
    send64(mine, 1);  // to the other taker: measured
    uint64_t v;
    recv64(other, &v);
}

// Rule: once its creator ended, a channel's header and buffer are split evenly among its
// holders (DESIGN.md, "Charging"), the lowest slot taking what the division leaves.
TEST(Ledger, AChannelWhoseCreatorEndedIsChargedToItsHoldersInEvenParts) {
    reset_records();
    g_t.clear();
    const auto r = run({{"maker", split_maker, 0}, {"taker", split_taker, 0}, {"other", split_taker, 1}});
    expect_clean(r);
    const int64_t whole = int64_t{kernel::kChanHeaderBytes} + 6 * int64_t{GOOS_PAGE_SIZE};
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{whole / 2 + whole % 2}));
    EXPECT_EQ(g_t.all(), (std::vector<int64_t>{whole / 2}));
}

void record_keeper(uint64_t) {
    const Chan box = user::make_chan(sizeof(uint64_t), 4);
    const Chan go = user::make_chan(sizeof(uint64_t), 1);
    const Chan ack = user::make_chan(sizeof(uint64_t), 1);
    user::publish("box", box);
    user::publish("go", go);
    user::publish("ack", ack);
    const Chan end = user::watch(2);  // made before the charge is read: it is charged too
    uint64_t v;
    recv64(go, &v);  // the sender's message waits in box
    const int64_t before = user::sys(GOOS_SYS_charged);
    send64(ack, 0);
    uint8_t ended;
    user::recv(end, &ended);
    g_r(user::sys(GOOS_SYS_charged) > before ? 1 : 0);  // its record is the box's holders' now
    recv64(box, &v);
    g_r(static_cast<int64_t>(v));
}

void record_sender(uint64_t) {
    const Chan box = user::lookup("box");
    const Chan go = user::lookup("go");
    const Chan ack = user::lookup("ack");
    const uint64_t page = user::page_alloc();
    const goos_transfer x = touching(&page, 1);
    g_s(user::send(box, uint64_t{7}, &x));
    send64(go, 0);
    uint64_t v;
    recv64(ack, &v);
}

// Rule: a message record is charged to its sender while it lives, then to the holders of
// the channel it waits in (DESIGN.md, "Charging").
TEST(Ledger, AMessageRecordIsChargedToItsChannelOnceItsSenderEnds) {
    reset_records();
    const auto r = run({{"keeper", record_keeper, 0}, {"sender", record_sender, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{1, 7}));
}

// A message of three pages waits in `box`, which two keepers hold, when its sender ends.
void orphan_sender(uint64_t) {
    const Chan box = user::lookup("box");
    uint64_t v;
    recv64(user::lookup("k0"), &v);  // both keepers hold the box
    recv64(user::lookup("k1"), &v);
    uint64_t pages[3];
    for (uint64_t& page : pages) page = user::page_alloc();
    const goos_transfer x = touching(pages, 3);
    g_s(user::send(box, pages[0], &x));
}

void orphan_keeper(uint64_t arg) {
    const char name[3] = {'k', static_cast<char>('0' + arg), 0};
    const Chan mine = user::make_chan(sizeof(uint64_t), 1);
    user::publish(name, mine);
    Chan box;
    if (arg == 0) {
        box = user::make_chan(sizeof(uint64_t), 4);
        user::publish("box", box);
    } else {
        box = user::lookup("box");
    }
    // Made before the charge is read, as it is charged too.
    const Chan end = user::watch(1);
    const Chan other = user::lookup(arg ? "k0" : "k1");
    const int64_t before = user::sys(GOOS_SYS_charged);
    send64(mine, 0);  // to the sender
    uint8_t ended;
    user::recv(end, &ended);
    const int64_t after = user::sys(GOOS_SYS_charged);
    (arg ? g_t : g_r)(after - before);
    uint64_t v;
    if (arg == 1) {
        recv64(box, &v);  // its pages are keeper 1's to hold and pay for now
        g_t(user::sys(GOOS_SYS_charged) - before);
        send64(mine, 1);
        recv64(other, &v);  // ends only after keeper 0 measured (k1 would be keeper 0's to pay)
    } else {
        recv64(other, &v);
        g_r(user::sys(GOOS_SYS_charged) - before);
        send64(mine, 1);
    }
}

// Rule: a page only messages hold, its origin gone, is charged to the holders of the
// channels whose messages hold it, split evenly (DESIGN.md, "Charging"); once a receiver
// takes the message it is the receiver's.
TEST(Ledger, APageOnlyMessagesHoldIsChargedToTheHoldersOfTheirChannels) {
    reset_records();
    g_t.clear();
    const auto r = run({{"sender", orphan_sender, 0}, {"keeper0", orphan_keeper, 0}, {"keeper1", orphan_keeper, 1}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0}));
    const int64_t half = 3 * int64_t{GOOS_PAGE_SIZE} / 2;  // and half the message's record
    ASSERT_EQ(g_r.all().size(), 2u);
    ASSERT_EQ(g_t.all().size(), 2u);
    EXPECT_GE(g_r.all()[0], half);
    EXPECT_LT(g_r.all()[0], half + int64_t{GOOS_PAGE_SIZE});
    EXPECT_GE(g_t.all()[0], half);
    EXPECT_LT(g_t.all()[0], half + int64_t{GOOS_PAGE_SIZE});
    EXPECT_EQ(g_r.all()[1], 0);                            // nothing of it is keeper 0's
    EXPECT_EQ(g_t.all()[1], 3 * int64_t{GOOS_PAGE_SIZE});  // all of it keeper 1's
}

void marking_hungry(uint64_t) {
    g_s(user::mark_begin());
    int64_t got = 0;
    while (got < 1000 && static_cast<int64_t>(user::page_alloc()) > 0) ++got;
    g_s(got);
}

// Rule: while it marks, a program may go over its budget by an eighth (its collector's
// records), and no further: a mark begun and never ended is no way around the budget.
TEST(Ledger, AMarkMayGoAnEighthOverTheBudgetAndNoMore) {
    reset_records();
    sim::Options o;
    o.process_page_limit = 64;
    const auto r = run({{"hungry", marking_hungry, 0}}, o);
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 72}));
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
    g_r(user::page_release(theirs[0]));
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
    g_s(user::page_release(p2 + 8));  // not a page address
    g_s(user::page_release(p2));
    const uint64_t p3 = user::page_alloc();  // handed to R
    const Chan c = user::make_chan(sizeof(uint64_t), 1);
    user::publish("pages", c);
    const goos_transfer x = touching(&p3, 1);
    user::send(c, p3, &x);
    // Two more pages are never released: they go when S ends.
    user::page_alloc();
    user::page_alloc();
    wait_end(2);
}

void page_borrower(uint64_t) {
    const Chan c = static_cast<Chan>(user::lookup("pages"));
    uint64_t p3 = 0;
    recv64(c, &p3);
    g_r(user::page_release(p3));                         // not its origin
    g_r(user::page_release(p3 + GOOS_PAGE_SIZE * 100));  // not a page it holds
    user::page_alloc();
    // Ends holding p3 and a page of its own.
}

// Rule: page_release gives up only the origin's own page; and whatever is left, every page
// is back in the pool once every program has ended.
TEST(Ledger, EveryPageFreeAfterAllProgramsEnd) {
    reset_records();
    const auto r = run({{"S", page_owner, 0}, {"R", page_borrower, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, GOOS_BAD_ADDRESS, GOOS_BAD_ADDRESS, 0}));
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

namespace goos_test {
namespace {

// ---- The write barrier: stores into shared objects expose --------------------------------

int64_t barrier_store(uint64_t dst, uint64_t value, const goos_transfer* x) {
    return user::sys(GOOS_SYS_barrier_store, dst, reinterpret_cast<uint64_t>(&value), sizeof value,
                     reinterpret_cast<uint64_t>(x));
}

// The fast path's slow-path argument: counts the calls.
int64_t g_slow_paths = 0;
void count_slow_path(uint64_t*, uint64_t) {
    ++g_slow_paths;
}
// The fast path's store: 1 when it took the slow path instead.
int64_t fast_store(uint64_t* dst, uint64_t value) {
    g_slow_paths = 0;
    goos_barrier_store(dst, value, count_slow_path);
    return g_slow_paths;
}

void exposing_sender(uint64_t) {
    const uint64_t obj = user::page_alloc(), value = user::page_alloc(), later = user::page_alloc();
    const Chan given = user::make_chan(sizeof(uint64_t), 0);
    const Chan parked = user::make_chan(sizeof(uint64_t), 1);
    const Chan step = user::make_chan(sizeof(uint64_t), 0);
    user::publish("given", given);
    user::publish("parked", parked);
    user::publish("step", step);
    const goos_transfer x = touching(&obj, 1);
    user::send(given, obj, &x);  // R holds obj
    auto* slot = reinterpret_cast<uint64_t*>(obj);
    g_s(fast_store(slot, value));  // shared: the fast path does not store
    g_s(static_cast<int64_t>(*slot));
    const goos_transfer v = touching(&value, 1);
    g_s(barrier_store(obj, value, &v));  // the slow path grants value to R, then stores
    g_s(*slot == value);
    g_s(bits(value));
    // A func value stored into an object another may read is refused, and nothing is stored.
    goos_transfer f = touching(&value, 1);
    f.flags = GOOS_TRANSFER_FUNCS;
    g_s(barrier_store(obj, 7, &f));
    g_s(*slot == value);
    // A grant names only what the granter holds.
    const uint64_t foreign = 4096;
    const goos_transfer bad = touching(&foreign, 1);
    g_s(barrier_store(obj, 7, &bad));
    // A message in flight that touches obj2 (parked, not yet received) comes to hold what is
    // stored into obj2 while it waits: `later` goes to whoever receives it.
    const uint64_t obj2 = user::page_alloc();
    const goos_transfer x2 = touching(&obj2, 1);
    user::send(parked, obj2, &x2);
    const goos_transfer l = touching(&later, 1);
    g_s(barrier_store(obj2, later, &l));
    g_s(static_cast<int64_t>(kernel::k.pages.info(later).inflight));
    g_s(__builtin_popcountll(kernel::k.pages.info(later).holders));  // S alone: R does not hold obj2
    send64(step, 1);  // R checks what it holds, then receives the parked message
    uint64_t dummy;
    recv64(step, &dummy);
    // On a page no one else holds the fast paths store.
    const uint64_t fresh = user::page_alloc();
    auto* own = reinterpret_cast<uint64_t*>(fresh);
    g_s(fast_store(own, 5));
    g_s(static_cast<int64_t>(*own));
    const uint64_t words[3] = {1, 2, 3};
    g_s(static_cast<int64_t>(goos_barrier_copy(own + 1, words, 3)));
    g_s(static_cast<int64_t>(own[3]));
    g_s(static_cast<int64_t>(goos_barrier_copy(reinterpret_cast<uint64_t*>(later), words, 3)));  // R's too now
    send64(step, 1);
}

void exposed_receiver(uint64_t) {
    uint64_t obj = 0, again = 0, v;
    recv64(static_cast<Chan>(user::lookup("given")), &obj);
    const Chan step = static_cast<Chan>(user::lookup("step"));
    recv64(step, &v);
    const uint64_t value = *reinterpret_cast<uint64_t*>(obj);
    g_r(user::write(reinterpret_cast<const char*>(value), 1));  // granted with the store
    recv64(static_cast<Chan>(user::lookup("parked")), &again);  // the message names obj2
    const uint64_t later = *reinterpret_cast<uint64_t*>(again);
    g_r(user::write(reinterpret_cast<const char*>(later), 1));  // the message held it for R
    send64(step, 1);
    recv64(step, &v);
}

// Rule (DESIGN.md, "Stores into shared objects expose"): the fast path stores only on a
// page no one else holds; the slow path grants what is stored to every other holder of
// the destination, messages in flight included, before it stores; a func value is refused.
TEST(Ledger, StoresIntoSharedObjectsExposeWhatTheyStore) {
    reset_records();
    const auto r = run({{"S", exposing_sender, 0}, {"R", exposed_receiver, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(),
              (std::vector<int64_t>{1, 0, 0, 1, 1, GOOS_CODE_VALUE, 1, GOOS_BAD_ADDRESS, 0, 1, 1, 0, 5, 3, 3, 0}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{1, 1}));
}

// A thread stopped inside a fast path's sequence, before its store, resumes at the
// sequence's test; anywhere else it resumes where it stopped.
TEST(Ledger, BarrierSequencesRestartAtTheirTest) {
    const auto store = reinterpret_cast<uintptr_t>(&goos_barrier_store);
    const auto copy = reinterpret_cast<uintptr_t>(&goos_barrier_copy);
    EXPECT_EQ(kernel::barrier_restart_pc(store), store);
    EXPECT_EQ(kernel::barrier_restart_pc(store + 4), store);
    EXPECT_EQ(kernel::barrier_restart_pc(copy), copy);  // the loop's set-up is outside
    EXPECT_NE(kernel::barrier_restart_pc(copy + 12), copy + 12);
    EXPECT_EQ(kernel::barrier_restart_pc(kernel::barrier_restart_pc(copy + 12)), kernel::barrier_restart_pc(copy + 12));
    EXPECT_EQ(kernel::barrier_restart_pc(0x1234), 0x1234u);
}

}  // namespace
}  // namespace goos_test

namespace goos_test {
namespace {

// ---- Walks are optimistic: a stale walk's commit fails with RETRY --------------------------

goos_start_info g_walker_info;  // as a loader gives a loaded program: its walks are checked

void other_thread(uint64_t) {}

void stale_walker(uint64_t) {
    kernel::k.current->proc->info = &g_walker_info;
    const uint64_t page = user::page_alloc(), value = user::page_alloc();
    const Chan c = user::make_chan(sizeof(uint64_t), 4);
    const Chan given = user::make_chan(sizeof(uint64_t), 0);
    user::publish("given", given);
    goos_transfer x = touching(&page, 1);
    x.clock = g_walker_info.walk_clock;
    g_s(user::send(c, page, &x));  // nothing ran since the walk began
    user::go(other_thread, 0);
    user::sys(GOOS_SYS_yield);
    g_s(user::send(c, page, &x));  // another thread of the program ran: walk again
    x.clock = g_walker_info.walk_clock;
    g_s(user::send(c, page, &x));
    user::send(given, page, &x);  // R holds page now (clock unchanged: S alone ran since)
    x.clock = g_walker_info.walk_clock;
    // A store that exposes something moves every program's clock.
    goos_transfer v = touching(&value, 1);
    v.clock = g_walker_info.walk_clock;
    g_s(barrier_store(page, value, &v));
    g_s(user::send(c, page, &x));
    // A stale exposure is refused too, and stores nothing.
    g_s(barrier_store(page + 8, value, &v));
    g_s(static_cast<int64_t>(reinterpret_cast<uint64_t*>(page)[1]));
    kernel::k.current->proc->info = nullptr;
}

void holder(uint64_t) {
    uint64_t page = 0;
    recv64(static_cast<Chan>(user::lookup("given")), &page);
    wait_end(1);
}

// Rule (DESIGN.md, "Sending": walks are optimistic): a loaded program's commit carries the
// walk_clock it read before its walk, and fails with RETRY, committing nothing, when
// another thread of the program has run or any program's store exposed something since.
TEST(Ledger, StaleWalksAreRefusedWithRetry) {
    reset_records();
    g_walker_info = goos_start_info{};
    const auto r = run({{"S", stale_walker, 0}, {"R", holder, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, GOOS_RETRY, 0, 0, GOOS_RETRY, GOOS_RETRY, 0}));
}

// ---- A grant of what a program holds already is no allocation -----------------------------

goos_start_info g_regrant_info;  // the holder's: what it was granted, for pacing

void regranting_sender(uint64_t) {
    const uint64_t obj = user::page_alloc(), value = user::page_alloc();
    const Chan given = user::make_chan(sizeof(uint64_t), 0);
    const Chan step = user::make_chan(sizeof(uint64_t), 0);
    user::publish("given", given);
    user::publish("step", step);
    const goos_transfer x = touching(&obj, 1);
    user::send(given, obj, &x);
    const goos_transfer v = touching(&value, 1);
    for (int i = 0; i < 3; ++i) g_s(barrier_store(obj, value, &v));  // the same value, again
    send64(step, 1);
}

void regranted_holder(uint64_t) {
    kernel::k.current->proc->info = &g_regrant_info;
    uint64_t obj = 0, v;
    recv64(static_cast<Chan>(user::lookup("given")), &obj);
    recv64(static_cast<Chan>(user::lookup("step")), &v);
    g_r(static_cast<int64_t>(g_regrant_info.granted_bytes));
    kernel::k.current->proc->info = nullptr;
}

// Rule (DESIGN.md, "Charging, pacing"): pages granted count as allocation, once. A loop that
// stores the same object into a shared one again and again grants nothing new after the
// first time; counting each grant made every holder collect without end (found by
// tests/go/multi/walk_under_stores, whose reader spent its time marking).
TEST(Ledger, AGrantOfWhatTheHolderHoldsAlreadyIsNoAllocation) {
    reset_records();
    g_regrant_info = goos_start_info{};
    const auto r = run({{"S", regranting_sender, 0}, {"R", regranted_holder, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 0, 0}));
    // obj and value, and the two channels it looked up.
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{int64_t{2 * GOOS_PAGE_SIZE + 2 * kernel::kChanHeaderBytes}}));
}

// ---- After two stale walks, the walk joins its pages to the pending message ---------------

int64_t walk_join(const uint64_t* pages, uint64_t n) {
    return user::sys(GOOS_SYS_walk_join, reinterpret_cast<uint64_t>(pages), n);
}

void joining_walker(uint64_t) {
    kernel::k.current->proc->info = &g_walker_info;
    const uint64_t shared = user::page_alloc(), own = user::page_alloc();
    const Chan given = user::make_chan(sizeof(uint64_t), 0);
    const Chan step_t = user::make_chan(sizeof(uint64_t), 0);
    const Chan step_r = user::make_chan(sizeof(uint64_t), 0);
    const Chan out = user::make_chan(sizeof(uint64_t), 1);
    user::publish("given", given);
    user::publish("step_t", step_t);
    user::publish("step_r", step_r);
    user::publish("out", out);
    const goos_transfer x = touching(&shared, 1);
    user::send(given, shared, &x);  // T holds `shared` and will store into it
    // The walk begins; after two stale tries it joins each page before reading it.
    goos_transfer walk = touching(&shared, 1);
    walk.clock = g_walker_info.walk_clock;
    const uint64_t pages[2] = {shared, own};
    g_s(walk_join(pages, 2));
    g_s(bits(own));  // the joined message holds it: a store into it takes the slow path
    const uint64_t foreign = 4096;
    g_s(walk_join(&foreign, 1));  // only pages the walker holds
    g_s(walk_join(reinterpret_cast<const uint64_t*>(8), 1));
    send64(step_t, 1);  // T stores a page of its own into `shared`, exposing it
    uint64_t dummy;
    recv64(step_t, &dummy);
    g_s(user::send(out, shared, &walk));  // stale: T's store moved the clock
    walk.flags = GOOS_TRANSFER_JOINED;
    g_s(user::send(out, shared, &walk));  // joined: never stale, and it names T's page too
    g_s(walk_join(nullptr, 0));           // let go of the joined message
    g_s(bits(own));                       // dirty, no longer shared: the message names what the walk
                                          // described and what was stored meanwhile, not `own`
    send64(step_r, 1);                    // R takes the message
    recv64(step_r, &dummy);
    send64(step_t, 1);
    kernel::k.current->proc->info = nullptr;
}

uint64_t g_stored = 0;  // the page T stored into the walker's page

void joining_storer(uint64_t) {
    uint64_t shared = 0, v;
    recv64(static_cast<Chan>(user::lookup("given")), &shared);
    const Chan step = static_cast<Chan>(user::lookup("step_t"));
    recv64(step, &v);
    const uint64_t page = user::page_alloc();
    g_stored = page;
    const goos_transfer stored = touching(&page, 1);
    g_t(barrier_store(shared, page, &stored));
    send64(step, 1);
    recv64(step, &v);
}

void joined_receiver(uint64_t) {
    const Chan step = static_cast<Chan>(user::lookup("step_r"));
    const Chan out = static_cast<Chan>(user::lookup("out"));
    uint64_t v, shared = 0;
    recv64(step, &v);
    recv64(out, &shared);
    // What T stored into the joined page while the walk ran came with the message.
    g_r(user::write(reinterpret_cast<const char*>(*reinterpret_cast<uint64_t*>(shared)), 1));
    g_r(kernel::k.pages.info(g_stored).holders >> kernel::k.current->proc->slot & 1);
    send64(step, 1);
}

// Rule (DESIGN.md, "Sending"): after two stale tries a walk joins each page to the pending
// message before it reads any object on it, so a store made meanwhile is exposed into that
// message; its commit is not retried. Without the grant to the joined message R would not
// hold the page T stored (it reads it through `shared`).
TEST(Ledger, AJoinedWalkIsNeverStaleAndCarriesWhatWasStoredMeanwhile) {
    reset_records();
    g_t.clear();
    g_walker_info = goos_start_info{};
    const auto r = run({{"S", joining_walker, 0}, {"T", joining_storer, 0}, {"R", joined_receiver, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 1, GOOS_BAD_ADDRESS, GOOS_BAD_ADDRESS, GOOS_RETRY, 0, 0, 2}));
    EXPECT_EQ(g_t.all(), (std::vector<int64_t>{0}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{1, 1}));
}

// ---- A walk that streams its pages leaves them out of its description --------------------

uint64_t g_streamed = 0;  // the page S joined and did not describe

void streaming_sender(uint64_t) {
    kernel::k.current->proc->info = &g_walker_info;
    const uint64_t described = user::page_alloc(), streamed = user::page_alloc();
    g_streamed = streamed;
    const Chan out = static_cast<Chan>(user::lookup("streamed"));
    const uint64_t pages[2] = {described, streamed};
    g_s(walk_join(pages, 2));
    goos_transfer walk = touching(&described, 1);
    walk.flags = GOOS_TRANSFER_JOINED;  // joined, not streamed: the description is all it names
    g_s(user::send(out, described, &walk));
    walk.flags = GOOS_TRANSFER_JOINED | GOOS_TRANSFER_STREAMED;  // and the joined pages too
    g_s(user::send(out, described, &walk));
    g_s(walk_join(nullptr, 0));
    kernel::k.current->proc->info = nullptr;
}

void streamed_receiver(uint64_t) {
    const Chan in = user::make_chan(sizeof(uint64_t), 2);
    user::publish("streamed", in);
    uint64_t v;
    const auto holds_streamed = [] {
        return kernel::k.pages.info(g_streamed).holders >> kernel::k.current->proc->slot & 1;
    };
    recv64(in, &v);
    g_r(holds_streamed());
    recv64(in, &v);
    g_r(holds_streamed());
}

// abi.h, GOOS_TRANSFER_STREAMED (DESIGN.md, "Sending": walks stream their pages, no size
// limit but memory): a streamed commit names what its thread joined, which its description
// does not repeat; a joined one that did not stream names only what it describes.
TEST(Ledger, AStreamedWalkNamesThePagesItJoinedAndDidNotDescribe) {
    reset_records();
    g_walker_info = goos_start_info{};
    const auto r = run({{"S", streaming_sender, 0}, {"R", streamed_receiver, 0}});
    expect_clean(r);
    EXPECT_EQ(g_s.all(), (std::vector<int64_t>{0, 0, 0, 0}));
    EXPECT_EQ(g_r.all(), (std::vector<int64_t>{0, 1}));
}

}  // namespace
}  // namespace goos_test
