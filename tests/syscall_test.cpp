// Bad syscall arguments (DESIGN.md, "Bad input and failure" and "Channel values"): each
// returns its error code, changes nothing, and the program and the kernel go on; a normal
// operation right after still works.
#include "harness.h"

namespace {

using namespace goos_test;

int64_t raw(uint64_t nr, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0) {
    return goos_syscall(nr, a0, a1, a2, a3);
}

// After the bad calls: a channel still works end to end. Notes 1 on success.
void normal_operation_works() {
    const Chan c = user::make_chan(sizeof(uint64_t), 1);
    uint64_t v = 0;
    const bool ok = c > 0 && send64(c, 4242) == 0 && recv64(c, &v) == 1 && v == 4242;
    note(ok ? 1 : 0);
}

// Writable data of the test image (.data/.bss): not a place a program may name in a
// syscall, for reading or for writing.
uint64_t g_data_word = 77;
char g_data_text[] = "from .data";
// Read-only data of the image: may be read by the kernel, never written.
const char kImageText[] = "image!!";  // 8 bytes with the terminator

constexpr uint64_t kWild[] = {0x10, 0xdeadbeef000ULL, 0xffff800000000000ULL, ~uint64_t{0} - 7};

// ---- Unknown syscall -------------------------------------------------------------------

void unknown_syscall_main(uint64_t) {
    note(raw(GOOS_SYS_COUNT));
    note(raw(GOOS_SYS_COUNT + 1000));
    note(raw(uint64_t{1} << 40));
    normal_operation_works();
}

// Rule: an unknown syscall number returns BAD_SYSCALL.
TEST(Syscall, UnknownNumber) {
    const auto r = run({{"unknown", unknown_syscall_main, 0}});
    expect_clean(r);
    EXPECT_EQ(notes(), (std::vector<int64_t>{GOOS_BAD_SYSCALL, GOOS_BAD_SYSCALL, GOOS_BAD_SYSCALL, 1}));
}

// ---- Channel values that are not channels the caller holds -----------------------------

Chan g_stale;

void short_lived_owner(uint64_t) {
    g_stale = user::make_chan(sizeof(uint64_t), 1);
    user::sleep_ns(2'000'000);  // ends; its channel, held by no one else, is freed
}

// Every channel operation on `c`, noting each result. `mine` is a channel of the caller's,
// made before `c` could have been freed: a channel made after that may take the freed slab
// slot, and then the stale value names the new channel (which the caller holds).
void try_channel_ops(Chan c, Chan mine) {
    uint64_t v = 1;
    note(send64(c, v, true));
    note(recv64(c, &v, true));
    note(user::close(c));
    note(user::publish("borrowed", c));
    goos_select_case cases[1] = {{c, &v, nullptr, 0, 0}};
    note(user::select(cases, 1, false));
    // Nor can it be handed on inside a value.
    const uint64_t chans[1] = {c};
    goos_transfer x{};
    x.chans = chans;
    x.nchans = 1;
    note(user::send(mine, v, &x, true));
    note(chan_len(mine));
}

const std::vector<int64_t> kAllBadHandle = {
    GOOS_BAD_HANDLE, GOOS_BAD_HANDLE, GOOS_BAD_HANDLE, GOOS_BAD_HANDLE, GOOS_BAD_HANDLE, GOOS_BAD_HANDLE, 0};

void stale_user(uint64_t) {
    const Chan end = user::watch(1);  // made before the owner's channel is freed
    const Chan mine = user::make_chan(sizeof(uint64_t), 1);
    uint8_t dummy;
    user::recv(end, &dummy);
    try_channel_ops(g_stale, mine);
    normal_operation_works();
}

// Rule: a stale channel value (its channel was freed when its only holder ended) is
// refused with BAD_HANDLE by every channel operation.
TEST(Syscall, StaleChannelValue) {
    g_stale = 0;
    const auto r = run({{"owner", short_lived_owner, 0}, {"user", stale_user, 0}});
    expect_clean(r);
    std::vector<int64_t> expected = kAllBadHandle;
    expected.push_back(1);
    EXPECT_EQ(notes(), expected);
}

void forged_main(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 1);
    const uint64_t slot = (sizeof(kernel::Channel) + 15) & ~uint64_t{15};
    const uint64_t page = user::page_alloc();
    uint64_t on_stack = 0;
    const uint64_t forged[] = {c + 8,
                               c + 1,
                               c - 16,
                               c + slot,  // the next slot of the channel slab: free
                               0x1234,
                               ~uint64_t{0},
                               hal::Arch::pool_base(),  // the kernel's page metadata
                               page,
                               reinterpret_cast<uint64_t>(&on_stack),
                               reinterpret_cast<uint64_t>(kImageText),
                               reinterpret_cast<uint64_t>(&kernel::k)};
    for (uint64_t f : forged) {
        uint64_t v = 1;
        note(send64(f, v, true));
    }
    note(send64(c, 5, true));  // the real one
    normal_operation_works();
}

// Rule: a forged channel value (inside a channel object, the next slab slot, a page, the
// stack, the image, kernel data, nowhere) is refused with BAD_HANDLE.
TEST(Syscall, ForgedChannelValues) {
    const auto r = run({{"forger", forged_main, 0}});
    expect_clean(r);
    std::vector<int64_t> expected(11, GOOS_BAD_HANDLE);
    expected.push_back(0);
    expected.push_back(1);
    EXPECT_EQ(notes(), expected);
}

Chan g_private;
volatile int g_private_ready;

void private_owner(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 1);
    g_private = c;
    g_private_ready = 1;
    const Chan end = user::watch(2);
    uint8_t dummy;
    user::recv(end, &dummy);
    // The other program changed nothing: not closed, nothing sent.
    uint64_t v = 0;
    note(recv64(c, &v, true));
    note(send64(c, 3, true));
}

void private_intruder(uint64_t) {
    while (!g_private_ready) user::yield();
    try_channel_ops(g_private, user::make_chan(sizeof(uint64_t), 1));
    normal_operation_works();
}

// Rule: a live channel of another process, which this one does not hold (never created,
// looked up or received it), is refused with BAD_HANDLE, and stays untouched.
TEST(Syscall, ChannelOfAnotherProcessNotHeld) {
    g_private_ready = 0;
    const auto r = run({{"owner", private_owner, 0}, {"intruder", private_intruder, 0}});
    expect_clean(r);
    std::vector<int64_t> expected = kAllBadHandle;
    expected.push_back(1);
    expected.push_back(GOOS_WOULD_BLOCK);
    expected.push_back(0);
    EXPECT_EQ(notes(), expected);
}

// ---- Element and descriptor pointers ---------------------------------------------------

void wild_elem_main(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 2);
    const uint64_t kernel_addrs[] = {reinterpret_cast<uint64_t>(&kernel::k),         // kernel globals
                                     reinterpret_cast<uint64_t>(kernel::k.current),  // a Thread
                                     c,                                              // the Channel itself
                                     hal::Arch::pool_base()};                        // page metadata
    // Sends: the value must be readable by the caller.
    for (uint64_t p : kWild) note(raw(GOOS_SYS_chan_send, c, p, 0, GOOS_NONBLOCK));
    for (uint64_t p : kernel_addrs) note(raw(GOOS_SYS_chan_send, c, p, 0, GOOS_NONBLOCK));
    note(raw(GOOS_SYS_chan_send, c, reinterpret_cast<uint64_t>(&g_data_word), 0, GOOS_NONBLOCK));
    note(chan_len(c));  // nothing was sent
    // The image is readable: a send from a string literal works.
    note(raw(GOOS_SYS_chan_send, c, reinterpret_cast<uint64_t>(kImageText), 0, GOOS_NONBLOCK));
    // Receives: the destination must be writable by the caller; the value stays put.
    for (uint64_t p : kWild) note(raw(GOOS_SYS_chan_recv, c, p, GOOS_NONBLOCK));
    for (uint64_t p : kernel_addrs) note(raw(GOOS_SYS_chan_recv, c, p, GOOS_NONBLOCK));
    note(raw(GOOS_SYS_chan_recv, c, reinterpret_cast<uint64_t>(&g_data_word), GOOS_NONBLOCK));
    note(raw(GOOS_SYS_chan_recv, c, reinterpret_cast<uint64_t>(kImageText), GOOS_NONBLOCK));  // read-only
    note(chan_len(c));
    char got[8] = {};
    note(user::recv(c, &got, true));
    note(memcmp(got, kImageText, 8) == 0 ? 1 : 0);
    // A null destination drops the value (Go's `<-c` as a statement).
    send64(c, 6);
    note(raw(GOOS_SYS_chan_recv, c, 0, GOOS_NONBLOCK));
    note(chan_len(c));
    // A wild transfer descriptor, or wild arrays inside one.
    uint64_t v = 1;
    note(user::send(c, v, reinterpret_cast<const goos_transfer*>(0xdeadbeef000ULL), true));
    goos_transfer x{};
    x.pages = reinterpret_cast<const uint64_t*>(0x10);
    x.npages = 1;
    note(user::send(c, v, &x, true));
    goos_transfer y{};
    y.chans = reinterpret_cast<const uint64_t*>(&g_data_word);
    y.nchans = 1;
    note(user::send(c, v, &y, true));
    note(chan_len(c));
    // Select: a wild case array, a wild element in a case.
    note(user::select(reinterpret_cast<goos_select_case*>(0xdeadbeef000ULL), 1, false));
    goos_select_case cases[1] = {{c, reinterpret_cast<void*>(0x10), nullptr, 1, 0}};
    note(user::select(cases, 1, false));
    note(chan_len(c));
    normal_operation_works();
}

// Rule: element buffers and descriptors must be in the caller's memory (its stack, pages
// it holds, or for reading the image): wild, kernel and .data/.bss pointers get
// BAD_ADDRESS, and no value moves.
TEST(Syscall, WildPointers) {
    const auto r = run({{"wild", wild_elem_main, 0}});
    expect_clean(r);
    const int64_t B = GOOS_BAD_ADDRESS;
    EXPECT_EQ(notes(), (std::vector<int64_t>{B, B, B, B, B, B, B, B, B, 0,     // sends
                                             0,                                // from the image
                                             B, B, B, B, B, B, B, B, B, B, 1,  // receives
                                             1, 1,                             // the value intact
                                             1, 0,                             // dropped
                                             B, B, B, 0,                       // descriptors
                                             B, B, 0,                          // select
                                             1}));
}

// ---- Sizes -----------------------------------------------------------------------------

void sizes_main(uint64_t) {
    note(static_cast<int64_t>(user::make_chan(uint64_t{1} << 20, 1)));
    note(static_cast<int64_t>(user::make_chan(GOOS_MAX_ELEM + 1, 1)));
    note(static_cast<int64_t>(user::make_chan(~uint64_t{0}, 0)));
    note(static_cast<int64_t>(user::make_chan(8, -1)));
    note(static_cast<int64_t>(user::make_chan(8, GOOS_MAX_CAP + 1)));
    // Within the limits, but far beyond the process's memory budget.
    note(static_cast<int64_t>(user::make_chan(GOOS_MAX_ELEM, GOOS_MAX_CAP)));
    // At the limits and within budget: fine.
    note(user::make_chan(GOOS_MAX_ELEM, 1) > 0 ? 1 : 0);

    // Go's limit, 65,536 cases, is 2 MiB of cases: in pages of the program's own.
    constexpr uint64_t kCasePages = ((GOOS_MAX_SELECT + 1) * sizeof(goos_select_case) + 4095) / 4096;
    auto* cases = reinterpret_cast<goos_select_case*>(user::sys(GOOS_SYS_page_alloc, kCasePages));
    for (uint32_t i = 0; i <= GOOS_MAX_SELECT; ++i) cases[i] = goos_select_case{0, nullptr, nullptr, 0, 0};  // nil
    note(user::select(cases, GOOS_MAX_SELECT + 1, false));
    note(raw(GOOS_SYS_select, reinterpret_cast<uint64_t>(cases), uint64_t{1} << 40, 0));
    note(user::select(cases, GOOS_MAX_SELECT, false));  // exactly the limit: fine
    cases[0].dir = 2;
    note(user::select(cases, 1, false));

    char text[8] = "abc";
    note(raw(GOOS_SYS_console_write, reinterpret_cast<uint64_t>(text), (1u << 20) + 1));
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    note(raw(GOOS_SYS_publish, reinterpret_cast<uint64_t>("name"), 0, c));
    char long_name[GOOS_MAX_NAME + 2];
    memset(long_name, 'x', sizeof long_name);
    note(raw(GOOS_SYS_publish, reinterpret_cast<uint64_t>(long_name), GOOS_MAX_NAME + 1, c));
    note(raw(GOOS_SYS_publish, reinterpret_cast<uint64_t>(long_name), GOOS_MAX_NAME, c));  // the limit: fine
    note(raw(GOOS_SYS_lookup, reinterpret_cast<uint64_t>("name"), 0, 0));

    const uint64_t page = user::page_alloc();
    note(user::sys(GOOS_SYS_page_alloc, kernel::k.pages.npages() + 1));  // more than the pool
    goos_transfer many{};
    many.pages = &page;
    many.npages = GOOS_MAX_TRANSFER + 1;
    note(user::send(c, page, &many, true));
    user::mark_begin();
    note(user::mark_end(&page, ~uint32_t{0}));
    normal_operation_works();
}

// Rule: absurd sizes get BAD_SIZE (element size over 64 KiB, negative or huge capacity,
// more than GOOS_MAX_SELECT select cases, names of 0 or over 63 bytes, ...); sizes within
// the limits but over the process's budget get NO_MEMORY; the limits themselves are fine.
TEST(Syscall, AbsurdSizes) {
    const auto r = run({{"sizes", sizes_main, 0}});
    expect_clean(r);
    const int64_t S = GOOS_BAD_SIZE;
    // clang-format off
    const std::vector<int64_t> expected = {
        S, S, S, S, S, GOOS_NO_MEMORY, 1,               // chan_make
        S, S, GOOS_SELECT_DEFAULT, GOOS_BAD_ARGUMENT,   // select
        S,                                              // console_write
        S, S, 0, S,                                     // publish, lookup
        S, S,                                           // page_alloc, a send's pages
        S,                                              // mark_end
        1};                                             // then a normal operation
    // clang-format on
    EXPECT_EQ(notes(), expected);
}

// ---- Console ---------------------------------------------------------------------------

void console_main(uint64_t) {
    for (uint64_t p : kWild) note(raw(GOOS_SYS_console_write, p, 4));
    note(raw(GOOS_SYS_console_write, reinterpret_cast<uint64_t>(g_data_text), sizeof g_data_text - 1));
    note(raw(GOOS_SYS_console_write, reinterpret_cast<uint64_t>(&kernel::k), 8));
    note(raw(GOOS_SYS_console_write, 0, 0));  // nothing to write
    note(user::write("<literal>", 9));
    char local[] = "<stack>";
    note(user::write(local, 7));
    normal_operation_works();
}

// Rule: console_write reads only the caller's memory: wild, kernel and .data pointers get
// BAD_ADDRESS and print nothing; string literals and stack buffers print.
TEST(Syscall, ConsoleWriteWildPointer) {
    const auto r = run({{"console", console_main, 0}});
    expect_clean(r);
    const int64_t B = GOOS_BAD_ADDRESS;
    EXPECT_EQ(notes(), (std::vector<int64_t>{B, B, B, B, B, B, 0, 9, 7, 1}));
    EXPECT_TRUE(contains(r.console, "<literal><stack>")) << r.console;
    EXPECT_FALSE(contains(r.console, "from .data")) << r.console;
}

// ---- Everything else -------------------------------------------------------------------

uint64_t g_not_code;

void spawned(uint64_t) {}

void misc_main(uint64_t) {
    const uint64_t page = user::page_alloc();
    // thread_spawn: the entry must be code in the image.
    note(raw(GOOS_SYS_thread_spawn, 0x10, 0));
    note(raw(GOOS_SYS_thread_spawn, page, 0));
    note(raw(GOOS_SYS_thread_spawn, reinterpret_cast<uint64_t>(&g_not_code), 0));
    // Marks: mark_end needs a mark_begin, and page addresses.
    note(user::mark_end(nullptr, 0));
    note(user::mark_begin());
    const uint64_t odd[1] = {page + 8};
    note(user::mark_end(odd, 1));
    const uint64_t outside[1] = {0x7000};
    note(user::mark_end(outside, 1));
    note(user::mark_end(reinterpret_cast<const uint64_t*>(0xdeadbeef000ULL), 1));
    note(user::mark_end(nullptr, 0));  // the mark is still open: this one ends it
    // Pages that are not the caller's.
    note(user::page_release(0x1234));
    note(user::page_release(page + 8));
    // Names at wild addresses.
    note(raw(GOOS_SYS_publish, 0xdeadbeef000ULL, 4, 0));
    note(raw(GOOS_SYS_lookup, 0xdeadbeef000ULL, 4, 0));
    note(raw(GOOS_SYS_lookup, reinterpret_cast<uint64_t>(g_data_text), 4, 0));
    // A panic whose message cannot be read is refused, and the program goes on.
    note(raw(GOOS_SYS_panic, 0xdeadbeef000ULL, 10));
    // watch of a pid that cannot exist.
    note(static_cast<int64_t>(user::watch(int64_t{1} << 33)));
    note(user::go(spawned, 0) > 0 ? 1 : 0);
    normal_operation_works();
}

// Rule: the other syscalls check their arguments too: code addresses for thread_spawn,
// page addresses and an open mark for mark_end, the caller's pages for the page calls,
// readable names; a panic with an unreadable message is refused, not obeyed.
TEST(Syscall, OtherBadArguments) {
    const auto r = run({{"misc", misc_main, 0}});
    expect_clean(r);
    const int64_t B = GOOS_BAD_ADDRESS;
    // clang-format off
    const std::vector<int64_t> expected = {
        B, B, B,                                // thread_spawn
        GOOS_BAD_ARGUMENT, 0, B, B, B, 0,       // marks
        B, B,                                   // pages
        B, B, B,                                // names
        B,                                      // panic
        GOOS_NOT_FOUND,                         // watch
        1, 1};                                  // a thread, and a normal operation
    // clang-format on
    EXPECT_EQ(notes(), expected);
    EXPECT_EQ(r.out.run.stats.processes_crashed, 0u);
}

// ---- A buffer checked at the start of a blocking call --------------------------------------

uint64_t g_released_page;
volatile int g_receiver_blocked;
volatile int g_page_released;
int64_t g_taker_result;

void blocked_receiver(uint64_t c) {
    g_receiver_blocked = 1;
    // The destination is in a page the process holds now: accepted.
    g_taker_result = raw(GOOS_SYS_chan_recv, c, g_released_page, 0);
}

void releaser(uint64_t) {
    const Chan c = user::make_chan(sizeof(uint64_t), 0);
    user::publish("late-value", c);
    g_released_page = user::page_alloc();
    g_receiver_blocked = 0;
    go<blocked_receiver>(c);
    wait_flag(&g_receiver_blocked);
    // While the receive waits, the process gives the page back (it has no objects on it).
    note(user::page_release(g_released_page));
    g_page_released = 1;
    const Chan end = user::watch(2);
    uint8_t dummy;
    user::recv(end, &dummy);
}

void page_reuser(uint64_t) {
    while (!g_page_released) user::yield();
    const uint64_t mine = user::page_alloc();
    note(mine == g_released_page ? 1 : 0);  // the pool hands the same page out again
    auto* word = reinterpret_cast<volatile uint64_t*>(mine);
    *word = 0x1111;
    const Chan c = static_cast<Chan>(user::lookup("late-value"));
    send64(c, 0xbad);  // completes the other process's receive
    note(static_cast<int64_t>(*word));
}

// Rule: a syscall may only write the caller's memory. A receive that blocks was checked
// when it started; the process cannot give the page up while the receive waits on it
// (page_release refuses with BAD_ARGUMENT, and a mark does not drop it), so completing the
// receive never writes into a page that has gone to another process.
TEST(Syscall, BlockedReceiveDoesNotWriteIntoAPageGivenUpMeanwhile) {
    g_released_page = 0;
    g_page_released = 0;
    g_taker_result = -100;
    const auto r = run({{"releaser", releaser, 0}, {"reuser", page_reuser, 0}});
    expect_clean(r);
    const std::vector<int64_t> got = notes();
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0], GOOS_BAD_ARGUMENT);  // page_release refused: a blocked receive names the page
    EXPECT_EQ(got[1], 0);                  // so the pool could not hand it to the other program
    EXPECT_EQ(got[2], 0x1111) << "the other process's receive wrote into this process's page";
}

}  // namespace
