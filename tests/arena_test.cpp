// Arenas (DESIGN.md, "Pages, origins, holders"; kernel/page.h): every page a program's
// allocator asks for comes from arenas of its own, 2 MiB each and aligned, so that no page
// of layout records (32 heap pages) and no arena the isolation's page tables map ever
// covers two origins; an ended program's arena serves no one until its last page is free.
#include "harness.h"

namespace {

using namespace goos_test;

Record g_a, g_b, g_c;

// The arena page `page` lies in, and its owner.
int64_t arena_of(uint64_t page) {
    return static_cast<int64_t>(kernel::k.pages.index_of(page) / kernel::k.pages.arena_pages());
}
int64_t owner_of(uint64_t page) {
    return kernel::k.pages.arena_owner(static_cast<size_t>(arena_of(page)));
}
int64_t my_slot() {
    return kernel::k.current->proc->slot;
}

uint64_t g_a_pages[3], g_b_pages[3];

void taker_a(uint64_t) {
    const Chan turn = user::make_chan(sizeof(uint64_t), 0);
    user::publish("turn", turn);
    uint64_t v;
    for (uint64_t& page : g_a_pages) {
        page = user::page_alloc();
        g_a(owner_of(page) == my_slot());
        send64(turn, 1);  // B takes one between each of A's
        recv64(turn, &v);
    }
}

void taker_b(uint64_t) {
    const Chan turn = static_cast<Chan>(user::lookup("turn"));
    uint64_t v;
    for (uint64_t& page : g_b_pages) {
        recv64(turn, &v);
        page = user::page_alloc();
        g_b(owner_of(page) == my_slot());
        send64(turn, 1);
    }
}

// Rule: pages two programs take in turn come from arenas of their own, and one program's
// pages from one arena while it has room.
TEST(Arenas, ProgramsTakingPagesInTurnTakeThemFromArenasOfTheirOwn) {
    g_a.clear();
    g_b.clear();
    const auto r = run({{"A", taker_a, 0}, {"B", taker_b, 0}});
    expect_clean(r);
    EXPECT_EQ(g_a.all(), (std::vector<int64_t>{1, 1, 1}));
    EXPECT_EQ(g_b.all(), (std::vector<int64_t>{1, 1, 1}));
    EXPECT_EQ(kernel::k.pages.arena_pages(), 512u);  // 2 MiB in a pool of 16,384 pages
    EXPECT_EQ(arena_of(g_a_pages[0]), arena_of(g_a_pages[2]));
    EXPECT_EQ(arena_of(g_b_pages[0]), arena_of(g_b_pages[2]));
    EXPECT_NE(arena_of(g_a_pages[0]), arena_of(g_b_pages[0]));
}

uint64_t g_given = 0;

void leaving_origin(uint64_t) {
    const Chan given = user::make_chan(sizeof(uint64_t), 0);
    user::publish("given", given);
    const uint64_t page = user::page_alloc();
    g_given = page;
    goos_transfer x{};
    x.pages = &page;
    x.npages = 1;
    user::send(given, page, &x);  // H holds it; then A ends
}

void staying_holder(uint64_t) {
    uint64_t page = 0, v;
    recv64(static_cast<Chan>(user::lookup("given")), &page);
    const Chan step = user::make_chan(sizeof(uint64_t), 0);
    user::publish("step", step);
    recv64(step, &v);  // A has ended and C took a page
    g_b(owner_of(page));
    user::mark_begin();
    user::mark_end(nullptr, 0);  // H lets go: the page and its arena are free
    g_b(owner_of(page));
    send64(step, 1);
}

void newcomer(uint64_t) {
    const Chan end = user::watch(1);
    uint8_t dummy;
    user::recv(end, &dummy);  // A ended
    const Chan step = static_cast<Chan>(user::lookup("step"));
    const uint64_t page = user::page_alloc();
    g_c(owner_of(page) == my_slot());
    g_c(arena_of(page) != arena_of(g_given));  // not from A's arena, which H still uses
    send64(step, 1);
    uint64_t v;
    recv64(step, &v);
}

// Rule: an ended program's arena that another still holds a page in is retired: no other
// program (nor a later one in the same slot) gets pages there; it is free once that page is.
TEST(Arenas, AnEndedProgramsArenaServesNoOneUntilItsLastPageIsFree) {
    g_b.clear();
    g_c.clear();
    const auto r = run({{"A", leaving_origin, 0}, {"H", staying_holder, 0}, {"C", newcomer, 0}});
    expect_clean(r);
    EXPECT_EQ(g_b.all(), (std::vector<int64_t>{kernel::PageAllocator::kRetired, kernel::PageAllocator::kNoOwner}));
    EXPECT_EQ(g_c.all(), (std::vector<int64_t>{1, 1}));
}

void big_taker(uint64_t) {
    const size_t arena = kernel::k.pages.arena_pages();
    const uint64_t big = user::sys(GOOS_SYS_page_alloc, arena + 1);  // two whole arenas
    g_a(owner_of(big) == my_slot() && owner_of(big + arena * GOOS_PAGE_SIZE) == my_slot());
    g_a(kernel::k.pages.index_of(big) % arena);  // from an arena's first page
    const uint64_t small = user::page_alloc();   // the rest of the second arena serves it
    g_a(arena_of(small) == arena_of(big) + 1);
}

// Rule: a run longer than an arena takes whole free arenas, all the program's.
TEST(Arenas, ARunLongerThanAnArenaTakesWholeArenas) {
    g_a.clear();
    const auto r = run({{"A", big_taker, 0}});
    expect_clean(r);
    EXPECT_EQ(g_a.all(), (std::vector<int64_t>{1, 0, 1}));
}

// An arena is 2 MiB, or less in a pool too small for thirty-two, but never under the 32
// pages a page of layout records covers.
TEST(Arenas, ArenasAreSizedToThePool) {
    for (const auto& [pool, arena] : std::vector<std::pair<size_t, size_t>>{{256, 32}, {2048, 64}, {16384, 512}}) {
        sim::Options o;
        o.pool_pages = pool;
        const auto r = run({{"A", [](uint64_t) {}, 0}}, o);
        expect_clean(r);
        EXPECT_EQ(kernel::k.pages.arena_pages(), arena) << pool;
    }
}

}  // namespace
