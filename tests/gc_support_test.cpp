// What the kernel gives a program's collector: contiguous pages, a stop-the-world that
// pauses only the caller's other threads, and the stacks to scan.
#include <atomic>

#include "harness.h"

namespace {

using namespace goos_test;
using user::u;

int64_t g_pages[4];

void contiguous(uint64_t) {
    const int64_t a = user::sys(GOOS_SYS_page_alloc, 3);
    g_pages[0] = a;
    // Every page of the run is the caller's: each can be written and released.
    for (int i = 0; i < 3; ++i) {
        *reinterpret_cast<volatile uint64_t*>(a + i * GOOS_PAGE_SIZE) = 1;
        if (user::page_release(static_cast<uint64_t>(a) + i * GOOS_PAGE_SIZE) != 0) g_pages[1] = -1;
    }
    g_pages[2] = user::sys(GOOS_SYS_page_alloc, kernel::k.pages.npages() + 1);  // more than the pool
    g_pages[3] = user::sys(GOOS_SYS_page_alloc, 0) > 0 ? 1 : 0;    // 0 means one page
}

// Rule: page_alloc(n) hands out n contiguous pages the caller holds; n beyond the pool is
// BAD_SIZE (within it, the budget decides: a Go object may be as large as memory allows).
TEST(GcSupport, PageAllocGivesContiguousRuns) {
    g_pages[1] = 0;
    const auto r = run({{"p", contiguous, 0}});
    expect_clean(r);
    EXPECT_GT(g_pages[0], 0);
    EXPECT_EQ(g_pages[0] % GOOS_PAGE_SIZE, 0);
    EXPECT_EQ(g_pages[1], 0);
    EXPECT_EQ(g_pages[2], GOOS_BAD_SIZE);
    EXPECT_EQ(g_pages[3], 1);
}

// Written by one program thread, read by others (preemptive): atomics.
std::atomic<int64_t> g_sibling_runs, g_other_runs;
int64_t g_seen_by_pauser[2];
std::atomic<bool> g_stop;

void sibling(uint64_t) {
    while (!g_stop) {
        ++g_sibling_runs;
        user::sys(GOOS_SYS_yield);
    }
}

void other_process(uint64_t) {
    while (!g_stop) {
        ++g_other_runs;
        user::sys(GOOS_SYS_yield);
    }
}

void pauser(uint64_t) {
    user::go(sibling, 0);
    while (g_sibling_runs == 0) user::sys(GOOS_SYS_yield);
    user::sys(GOOS_SYS_pause_others, 1);
    const int64_t sibling_before = g_sibling_runs, other_before = g_other_runs;
    for (int i = 0; i < 200; ++i) user::sys(GOOS_SYS_yield);  // others get the CPU, not the sibling
    g_seen_by_pauser[0] = g_sibling_runs - sibling_before;
    g_seen_by_pauser[1] = g_other_runs - other_before;
    user::sys(GOOS_SYS_pause_others, 0);
    const int64_t resumed = g_sibling_runs;
    while (g_sibling_runs == resumed) user::sys(GOOS_SYS_yield);  // it runs again
    g_stop = true;
}

// Rule: while a thread pauses the others of its process, they do not run, and other
// processes still do; after resume (or when it blocks or ends) they run again.
TEST(GcSupport, PauseHoldsBackOnlyTheCallersProcess) {
    g_sibling_runs = 0;
    g_other_runs = 0;
    g_stop = false;
    const auto r = run({{"pauser", pauser, 0}, {"other", other_process, 0}});
    expect_clean(r);
    EXPECT_EQ(g_seen_by_pauser[0], 0);
    EXPECT_GT(g_seen_by_pauser[1], 0);
}

void pause_then_block(uint64_t) {
    user::go(sibling, 0);
    user::sys(GOOS_SYS_pause_others, 1);
    const int64_t before = g_sibling_runs;
    user::sleep_ns(1000000);  // a sleep ends the pause: the sibling may run
    g_seen_by_pauser[0] = g_sibling_runs - before;
    g_stop = true;
}

TEST(GcSupport, PauseEndsWhenThePauserSleeps) {
    g_sibling_runs = 0;
    g_stop = false;
    const auto r = run({{"p", pause_then_block, 0}});
    expect_clean(r);
    EXPECT_GT(g_seen_by_pauser[0], 0);
}

uint64_t g_stack_addr[2];
int64_t g_nstacks, g_bad[3];
goos_stack g_stacks[4];
std::atomic<bool> g_child_ready;

void stack_child(uint64_t) {
    volatile int here = 0;
    g_stack_addr[1] = u(&here);
    g_child_ready = true;
    while (!g_stop) user::sys(GOOS_SYS_yield);
}

void stacks(uint64_t) {
    volatile int here = 0;
    g_stack_addr[0] = u(&here);
    user::go(stack_child, 0);
    while (!g_child_ready) user::sys(GOOS_SYS_yield);
    goos_stack out[4];
    g_nstacks = user::sys(GOOS_SYS_thread_stacks, u(out), 4);
    for (int i = 0; i < 4; ++i) g_stacks[i] = out[i];
    g_bad[0] = user::sys(GOOS_SYS_thread_stacks, 0x1000, 4);          // not the caller's memory
    g_bad[1] = user::sys(GOOS_SYS_thread_stacks, u(out) + 4, 2);      // misaligned
    g_bad[2] = user::sys(GOOS_SYS_thread_stacks, 0, 0);               // just the count
    g_stop = true;
}

// Rule: thread_stacks reports the caller's whole stack first, then every other thread's
// stack from its saved stack pointer up; a bad destination is BAD_ADDRESS.
TEST(GcSupport, ThreadStacksCoverEveryThreadsStack) {
    g_stop = false;
    g_child_ready = false;
    const auto r = run({{"p", stacks, 0}});
    expect_clean(r);
    ASSERT_EQ(g_nstacks, 2);
    for (uint64_t addr : g_stack_addr) {
        bool found = false;
        for (int i = 0; i < 2; ++i) found |= addr >= g_stacks[i].lo && addr < g_stacks[i].hi;
        EXPECT_TRUE(found) << std::hex << addr;
    }
    EXPECT_TRUE(g_stack_addr[0] >= g_stacks[0].lo && g_stack_addr[0] < g_stacks[0].hi);
    EXPECT_LT(g_stacks[1].hi - g_stacks[1].lo, g_stacks[0].hi - g_stacks[0].lo);  // the part in use
    EXPECT_EQ(g_bad[0], GOOS_BAD_ADDRESS);
    EXPECT_EQ(g_bad[1], GOOS_BAD_ADDRESS);
    EXPECT_EQ(g_bad[2], 2);
}

// ---- Layout records (abi.h, GOOS_LAYOUT_*) ---------------------------------------------

uint64_t g_layout[6];

void layout_heads(uint64_t) {
    goos_layout_head* heads = kernel::k.pages.layout_heads();
    const auto head = [&](uint64_t addr) -> goos_layout_head& {
        return heads[(addr - kernel::k.pages.page_at(0)) / GOOS_PAGE_SIZE];
    };
    const auto page = static_cast<uint64_t>(user::page_alloc());
    g_layout[0] = head(page).base_flags;  // a page handed out has no layout yet
    head(page) = goos_layout_head{page | GOOS_LAYOUT_SPAN, 64, 1};  // as a runtime writes it
    user::page_release(page);
    const auto again = static_cast<uint64_t>(user::page_alloc());
    g_layout[1] = again == page;
    g_layout[2] = head(again).base_flags | head(again).slot_size | head(again).span_pages;
    const Chan c = user::make_chan(8, 0);
    g_layout[3] = head(c & ~(GOOS_PAGE_SIZE - 1)).base_flags;
    // The records lie below the pages the kernel hands out, so no page of a program overlaps.
    g_layout[4] = reinterpret_cast<uint64_t>(kernel::k.pages.layout_bits()) <
                  kernel::k.pages.page_at(kernel::k.pages.first_usable());
    g_layout[5] = reinterpret_cast<uint64_t>(heads + kernel::k.pages.npages()) <=
                  kernel::k.pages.page_at(kernel::k.pages.first_usable());
}

// Rule: a page's layout head is cleared whenever the kernel hands the page out, so no
// program reads a layout its origin did not write; channel header pages say so.
TEST(GcSupport, LayoutHeadsAreClearedWhenAPageIsHandedOutAndChannelPagesSaySo) {
    const auto r = run({{"p", layout_heads, 0}});
    expect_clean(r);
    EXPECT_EQ(g_layout[0], 0u);
    EXPECT_EQ(g_layout[1], 1u);  // the page freed is the first free one
    EXPECT_EQ(g_layout[2], 0u);
    EXPECT_EQ(g_layout[3], GOOS_LAYOUT_CHANNELS);
    EXPECT_EQ(g_layout[4], 1u);
    EXPECT_EQ(g_layout[5], 1u);
}

}  // namespace

namespace {

int64_t g_fault[4];

void fault_entry_calls(uint64_t) {
    // A built-in program has no loaded code: no address is its code.
    g_fault[0] = user::sys(GOOS_SYS_fault_entry, u(&fault_entry_calls));
    g_fault[1] = user::sys(GOOS_SYS_fault_entry, 0);  // none: always fine
    g_fault[2] = user::sys(GOOS_SYS_fault_handled);
    g_fault[3] = user::sys(GOOS_SYS_fault_entry, 0x1000);
}

}  // namespace

// Rule: a fault entry must lie in the caller's loaded code (tests/go/cases/fault_recover.go
// shows the whole path with a Go program); anything else is BAD_ADDRESS.
TEST(GcSupport, FaultEntryMustBeTheProgramsCode) {
    const auto r = run({{"p", fault_entry_calls, 0}});
    expect_clean(r);
    EXPECT_EQ(g_fault[0], GOOS_BAD_ADDRESS);
    EXPECT_EQ(g_fault[1], 0);
    EXPECT_EQ(g_fault[2], 0);
    EXPECT_EQ(g_fault[3], GOOS_BAD_ADDRESS);
}
