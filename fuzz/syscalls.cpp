// Syscall fuzzer: three processes make raw syscalls (numbers in and out of range) with
// arguments drawn from the input: real, stale, freed and forged channel values, pages they
// hold and pages they do not, wild and unaligned pointers, huge sizes, closed channels.
// Processes exit, panic and spawn threads in between. Contract checked: the kernel never
// crashes or hangs, every call returns a value >= 0 or one of abi.h's statuses, and
// kernel::check_invariants holds when the run ends.
//
// What keeps the harness itself sound (the kernel trusts its callers on these):
// - Memory the kernel may write (a receive's element, select's case array) is named only
//   by the scratch buffer on the caller's stack, a pool page, or a value outside the
//   caller's memory: never a raw input value, which could land on the harness's own frames.
// - thread_spawn gets a real thread function or an address outside the program image
//   (any address inside it is accepted by design: images are trusted, DESIGN.md).
// - Every call is bounded: sends and receives are non-blocking, selects do not block,
//   sleeps and lookups have short deadlines, so the run always ends.
#include <vector>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#endif
#endif

#include "harness.h"

namespace {
using namespace fuzz;

constexpr int kProcs = 3;
constexpr int kMaxCalls = 256;
constexpr int kMaxThreads = 8;
// The scratch buffer must hold every stack range the kernel may read (mark_end: up to
// 2048 page addresses at an offset of up to 4080), and leave room on the 64 KiB stack for
// the kernel's own frames (select's wait records).
constexpr size_t kScratch = 24 * 1024;

struct State {
    Bytes in{nullptr, 0};
    int calls = 0;
    int threads = 0;
    std::vector<uint64_t> chans;  // every channel value seen (some stale by now)
    std::vector<uint64_t> pages;  // every page handed out
};
State g;
uint64_t not_held[4];  // harness memory that no process holds

int64_t sys(uint64_t nr, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0) {
    return goos_syscall(nr, a0, a1, a2, a3);
}
template <class T>
uint64_t u(T* p) {
    return reinterpret_cast<uint64_t>(p);
}

bool in_image(uint64_t v) { return v >= hal::Arch::image_begin() && v < hal::Arch::image_end(); }

// One argument. `writable`: the kernel may write through it, so raw input values are
// replaced by a value outside the caller's memory.
uint64_t arg(uint8_t* scratch, bool writable) {
    const uint8_t kind = g.in.u8();
    const uint8_t b = g.in.u8();
    switch (kind % 12) {
        case 0: return 0;
        case 1: return g.chans.empty() ? 0 : g.chans[b % g.chans.size()];
        case 2: {  // forged: a real channel value moved a little
            static const int64_t offs[] = {1, 8, 16, -8, -16, 4096, -4096, 64};
            return g.chans.empty() ? 8 : g.chans[b % g.chans.size()] + static_cast<uint64_t>(offs[b >> 5 & 7]);
        }
        case 3: return g.pages.empty() ? 0x2000 : g.pages[b % g.pages.size()];
        case 4: return g.pages.empty() ? 0x2008 : g.pages[b % g.pages.size()] + (uint64_t{b} << 4);
        case 5: return u(scratch) + (uint64_t{b} << 4);  // at most 4080 bytes in
        case 6: {
            static const uint64_t wild[] = {0x1000, ~0ULL, 0xdeadbeef, 0x7fffffffffff, 1ULL << 63, 8};
            if (b % 8 == 6) return u(&not_held[0]);
            if (b % 8 == 7) return hal::Arch::image_begin() + b;  // read-only program image
            return wild[b % 6];
        }
        case 7: return b;
        case 8: {
            static const uint64_t sizes[] = {65536, 65537, 4096, 4097, 128, 129, 63, 64, 1ULL << 20, (1ULL << 20) + 1,
                                             1ULL << 32, ~0ULL, 0xffff, 0x10000, 1ULL << 31, 2048};
            return sizes[b % 16];
        }
        case 9: return b % 8;  // pids, small counts
        case 10: return b;
        default: {
            const uint64_t raw = g.in.u64();
            return writable ? 0xbad0000 : raw;
        }
    }
}

void child(uint64_t how) {
    sys(GOOS_SYS_yield);
    if (how & 1) sys(GOOS_SYS_thread_exit);
}

void note_result(uint64_t nr, int64_t r) {
    if (!is_defined_status(r)) {
        fprintf(stderr, "syscalls fuzzer: syscall %llu returned %lld, not a defined status\n",
                static_cast<unsigned long long>(nr), static_cast<long long>(r));
        die();
    }
    if (r <= 0) return;
    if (nr == GOOS_SYS_chan_make || nr == GOOS_SYS_lookup || nr == GOOS_SYS_watch) g.chans.push_back(static_cast<uint64_t>(r));
    if (nr == GOOS_SYS_page_alloc) g.pages.push_back(static_cast<uint64_t>(r));
}

// Not instrumented by ASan: the kernel may legitimately read any part of the caller's own
// stack, and the scratch buffer's frame must have no redzones for it to trip on.
__attribute__((no_sanitize("address"))) void proc(uint64_t) {
    uint8_t scratch[kScratch];
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
    // Fiber stacks are reused across inputs: frames of threads that never returned left
    // redzone poison where this uninstrumented frame now lies. Clear the whole frame (the
    // kernel reads the transfer description and the scratch buffer from it).
    char* sp;
    asm volatile("mov %%rsp, %0" : "=r"(sp));
    char* fp = static_cast<char*>(__builtin_frame_address(0));
    __asan_unpoison_memory_region(sp, static_cast<size_t>(fp - sp) + 16);
#endif
#endif
    memset(scratch, 0, sizeof scratch);
    while (!g.in.empty() && g.calls < kMaxCalls) {
        ++g.calls;
        const uint8_t b = g.in.u8();
        const uint64_t nr = b < 240 ? b % GOOS_SYS_COUNT : b;  // 240..255: out of range
        // Fill part of the scratch buffer with input bytes (names, select cases, elements).
        const uint8_t fill = g.in.u8();
        for (int i = 0; i < (fill & 15); ++i) scratch[(fill >> 4) * 16 + i] = g.in.u8();
        uint64_t a[4];
        const bool writes = nr == GOOS_SYS_chan_recv || nr == GOOS_SYS_select;
        for (int i = 0; i < 4; ++i) a[i] = arg(scratch, writes && i < 2);
        // A well-formed transfer description from the same candidates, for sends.
        uint64_t pages[2], chans[2];
        goos_transfer xfer{pages, 0, 0, chans, 0, 0};
        if (nr == GOOS_SYS_chan_send && (fill & 1)) {
            xfer.flags = (fill >> 1) & GOOS_TRANSFER_FUNCS;
            xfer.npages = g.in.u8() % 3;
            xfer.nchans = g.in.u8() % 3;
            for (int i = 0; i < 2; ++i) {
                pages[i] = arg(scratch, false);
                chans[i] = arg(scratch, false);
            }
            a[2] = u(&xfer);
        }
        switch (nr) {
            case GOOS_SYS_thread_spawn:
                if (g.threads >= kMaxThreads || in_image(a[0])) a[0] = u(&child);
                if (a[0] == u(&child)) ++g.threads;
                break;
            case GOOS_SYS_sleep: a[0] %= 1'000'000; break;
            case GOOS_SYS_chan_send:
            case GOOS_SYS_chan_recv: a[nr == GOOS_SYS_chan_send ? 3 : 2] |= GOOS_NONBLOCK; break;
            case GOOS_SYS_select: {
                a[2] &= ~GOOS_SELECT_BLOCK;
                // The case array is the kernel's to write: it is built in the scratch
                // buffer from safe candidates, or is memory the caller does not hold.
                if (fill & 2) {
                    static const uint64_t bad[] = {0, 0x1000, ~0ULL, 0xbad0000};
                    a[0] = (fill & 8) ? u(&not_held[0]) : bad[fill >> 6];
                    break;
                }
                auto* cases = reinterpret_cast<goos_select_case*>(scratch);
                const uint32_t n = g.in.u8() % 6;
                for (uint32_t i = 0; i < n; ++i) {
                    cases[i].chan = arg(scratch + 4096, false);
                    cases[i].elem = reinterpret_cast<void*>(arg(scratch + 4096, true));
                    cases[i].transfer = nullptr;
                    cases[i].dir = g.in.u8() % 3;
                    cases[i].ok = 0;
                }
                a[0] = u(cases);
                // Sometimes a count too large for select, never one past the built cases.
                a[1] = a[1] > GOOS_MAX_SELECT ? a[1] : n;
                break;
            }
            case GOOS_SYS_chan_make:
                // Elements are received into the 8 KiB scratch buffer: a size that fits the
                // stack but not the buffer would let the kernel write over the harness's frames.
                if (a[0] > 4096 && a[0] < GOOS_MAX_ELEM) a[0] = 4096;
                break;
            case GOOS_SYS_console_write:
                // Keep stack reads inside the scratch buffer (see kScratch).
                if (a[1] > 16384 && a[1] < (1ULL << 20)) a[1] = 1ULL << 20;
                break;
            case GOOS_SYS_lookup: a[2] = a[2] == 0 ? 0 : 1 + a[2] % 1'000'000; break;
            case GOOS_SYS_exit:
            case GOOS_SYS_panic:
            case GOOS_SYS_thread_exit:
                if (b & 0x80) continue;  // a process ends only now and then
                break;
            default: break;
        }
        const int64_t r = sys(nr, a[0], a[1], a[2], a[3]);
        note_result(nr, r);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    g.~State();
    new (&g) State();
    g.in = Bytes{data, size};
    boot(g.in.u8() + 1);
    for (int i = 0; i < kProcs; ++i) spawn("sys", proc, static_cast<uint64_t>(i));
    kernel::run();
    if (!kernel::check_invariants(false)) {
        kernel::check_invariants(true);
        fprintf(stderr, "syscalls fuzzer: kernel::check_invariants failed after the run\n");
        die();
    }
    size_t process_pages = 0;
    for (size_t i = kernel::k.pages.first_usable(); i < kernel::k.pages.npages(); ++i)
        if (kernel::k.pages.info_at(i).use == kernel::PageUse::Process) ++process_pages;
    if (process_pages || !kernel::k.channels.empty()) {
        fprintf(stderr, "syscalls fuzzer: %zu process pages and %zu channels left after every process ended\n",
                process_pages, kernel::k.channels.size());
        die();
    }
    return 0;
}
