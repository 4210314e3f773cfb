// The kernel's type table (kernel/types.h): structural type identity across programs.
// Equal encodings get one tag whoever asks, different ones never share a tag, a tag the
// kernel never gave is refused wherever a program names one, and bad encodings are errors.
#include "harness.h"
#include "type_encodings.h"

namespace goos_test {
namespace {

// Encodings as the runtime writes them (runtime/typeid.cpp): two programs' main.Win, one
// `struct { X int }` and the other `struct { Y int }`.
#define WIN(field)                                                                                                  \
    {                                                                                                               \
        GOOS_TYPE_ENC_VERSION, 0, 'N', 4, 'm', 'a', 'i', 'n', 3, 'W', 'i', 'n', 4, 'm', 'a', 'i', 'n', 3, 'W', 'i', \
            'n', goos_go::kStruct, 8, 0, 8, 8, 1, 1, field, 0, 'N', 0, 3, 'i', 'n', 't', 0, 0, 0, 3, 'i', 'n', 't', \
            goos_go::kInt, 8, 0, 8, 8                                                                               \
    }
constexpr uint8_t kWinA[] = WIN('X');
constexpr uint8_t kWinB[] = WIN('Y');
#undef WIN
constexpr const uint8_t* kChanOfPtrs = kChanPtr;

int64_t intern(const uint8_t* enc, size_t n) {
    uint8_t local[64];  // syscall buffers live on the caller's stack (harness.h)
    __builtin_memcpy(local, enc, n);
    return user::sys(GOOS_SYS_type_intern, reinterpret_cast<uint64_t>(local), n);
}

Record first, second;

void first_main(uint64_t) {
    first(intern(kWinA, sizeof kWinA));
    first(intern(kWinB, sizeof kWinB));
    first(intern(kWinA, sizeof kWinA));
    first(intern(kChanOfPtrs, sizeof kChanPtr));
}

// A second program asks for the same structures after the first has ended.
void second_main(uint64_t) {
    const int64_t b = intern(kWinB, sizeof kWinB);
    second(b);
    second(intern(kWinA, sizeof kWinA));
    uint8_t back[64] = {};
    second(user::sys(GOOS_SYS_type_info, static_cast<uint64_t>(b), reinterpret_cast<uint64_t>(back), sizeof back));
    second(__builtin_memcmp(back, kWinB, sizeof kWinB) == 0);
    // A short buffer gets the length and as much as fits.
    second(user::sys(GOOS_SYS_type_info, static_cast<uint64_t>(b), reinterpret_cast<uint64_t>(back), 1));
    // A tag the kernel never gave: refused by type_info and by chan_make.
    second(user::sys(GOOS_SYS_type_info, static_cast<uint64_t>(b) + 4, reinterpret_cast<uint64_t>(back), 8));
    second(user::sys(GOOS_SYS_type_info, 0xc0ffee11ULL, reinterpret_cast<uint64_t>(back), 8));
    second(user::sys(GOOS_SYS_chan_make, 8, 1, 0xc0ffee11ULL));
    // Bad encodings: too short, another version, too long, not the caller's memory.
    uint8_t bad[4] = {GOOS_TYPE_ENC_VERSION + 1, 0, 0, 0};
    second(user::sys(GOOS_SYS_type_intern, reinterpret_cast<uint64_t>(bad), 1));
    second(user::sys(GOOS_SYS_type_intern, reinterpret_cast<uint64_t>(bad), sizeof bad));
    second(user::sys(GOOS_SYS_type_intern, reinterpret_cast<uint64_t>(bad), GOOS_MAX_TYPE_ENCODING + 1));
    second(user::sys(GOOS_SYS_type_intern, 0x10, 4));
}

}  // namespace

// Rule: a tag stands for one encoding, compared in full: the same bytes get the same tag in
// any program, bytes that differ anywhere get another; the flags byte shows in the tag.
TEST(Types, EqualEncodingsShareATagAndOthersNever) {
    first.clear();
    second.clear();
    const auto r = run({{"first", first_main, 0}, {"second", second_main, 0}});
    expect_clean(r);
    const std::vector<int64_t> a = first.all();
    ASSERT_EQ(a.size(), 4u);
    EXPECT_GT(a[0], 0);
    EXPECT_GT(a[1], 0);
    EXPECT_NE(a[0], a[1]);
    EXPECT_EQ(a[2], a[0]);
    EXPECT_EQ(a[0] & GOOS_TYPE_TAG_POINTERS, 0);
    EXPECT_EQ(a[3] & GOOS_TYPE_TAG_POINTERS, static_cast<int64_t>(GOOS_TYPE_TAG_POINTERS));
    const std::vector<int64_t> b = second.all();
    const std::vector<int64_t> want = {a[1],           a[0],
                                       sizeof kWinB,   1,
                                       sizeof kWinB,   GOOS_NOT_FOUND,
                                       GOOS_NOT_FOUND, GOOS_BAD_ARGUMENT,
                                       GOOS_BAD_SIZE,  GOOS_BAD_ARGUMENT,
                                       GOOS_BAD_SIZE,  GOOS_BAD_ADDRESS};
    EXPECT_EQ(b, want);
}

}  // namespace goos_test
