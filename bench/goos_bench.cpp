// GoOS operations next to their anchors, in one Google Benchmark binary. Each GoOS
// benchmark boots a fresh kernel on the hosted backend and runs programs that time the
// operation themselves with the kernel clock; `ns_per_op` is what to compare.
#include <benchmark/benchmark.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <boost/context/detail/fcontext.hpp>

#include <stdio.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "sim/programs/user.h"
#include "sim/scenarios.h"

namespace {

using user::Chan;

uint64_t g_ops = 0;          // operations the programs should do
uint64_t g_measured_ns = 0;  // what they measured

// Reports one iteration's time; ns_per_op is the mean over the iterations of a run.
void record(benchmark::State& state, double ns, uint64_t ops) {
    state.SetIterationTime(ns / 1e9);
    benchmark::Counter& per_op = state.counters["ns_per_op"];
    per_op.flags = benchmark::Counter::kAvgIterations;
    per_op.value += ns / static_cast<double>(ops);
}

// One benchmark iteration is one boot of the kernel running the programs; the time that
// counts is what the programs measured of the operation itself (not boot and teardown).
void run(benchmark::State& state, const sim::Program* programs, int n, uint64_t ops, size_t pool_pages = 16384) {
    sim::Options o;
    o.quiet = true;
    o.console = false;
    o.pool_pages = pool_pages;
    o.process_page_limit = pool_pages;
    sim::run_programs(programs, n, o);
    record(state, static_cast<double>(g_measured_ns), ops);
}

// --- unbuffered round trip -------------------------------------------------------------

void echo_server(uint64_t) {
    const Chan req = user::make_chan(8, 0);
    user::publish("echo", req);
    Chan reply;
    user::recv(req, &reply);
    uint64_t v;
    while (user::recv(req, &v) == 1) user::send(reply, v);
}

void echo_client(uint64_t) {
    const Chan req = static_cast<Chan>(user::lookup("echo"));
    const Chan reply = user::make_chan(8, 0);
    const uint64_t chans[1] = {reply};
    goos_transfer x{};
    x.chans = chans;
    x.nchans = 1;
    user::send(req, reply, &x);
    const uint64_t n = g_ops;
    const uint64_t start = user::now_ns();
    for (uint64_t i = 0; i < n; ++i) {
        uint64_t v;
        user::send(req, i);
        user::recv(reply, &v);
    }
    g_measured_ns = user::now_ns() - start;
    user::close(req);
}

void echo_both(uint64_t) {
    user::go(echo_server, 0);
    echo_client(0);
}

void BM_GoosRoundTripProcesses(benchmark::State& state) {
    g_ops = static_cast<uint64_t>(state.range(0));
    const sim::Program p[] = {{"server", echo_server, 0}, {"client", echo_client, 0}};
    for (auto _ : state) run(state, p, 2, g_ops);
}
BENCHMARK(BM_GoosRoundTripProcesses)->Arg(100000)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_GoosRoundTripThreads(benchmark::State& state) {
    g_ops = static_cast<uint64_t>(state.range(0));
    const sim::Program p[] = {{"both", echo_both, 0}};
    for (auto _ : state) run(state, p, 1, g_ops);
}
BENCHMARK(BM_GoosRoundTripThreads)->Arg(100000)->UseManualTime()->Unit(benchmark::kMillisecond);

// --- buffered channel, per item --------------------------------------------------------

void buffered_consumer(uint64_t c) {
    uint64_t v;
    while (user::recv(c, &v) == 1) {
    }
}

void buffered_producer(uint64_t cap) {
    const Chan c = user::make_chan(8, static_cast<int64_t>(cap));
    user::go(buffered_consumer, c);
    const uint64_t n = g_ops;
    const uint64_t start = user::now_ns();
    for (uint64_t i = 0; i < n; ++i) user::send(c, i);
    user::close(c);
    g_measured_ns = user::now_ns() - start;
}

void BM_GoosBuffered(benchmark::State& state) {
    g_ops = 200000;
    const sim::Program p[] = {{"producer", buffered_producer, static_cast<uint64_t>(state.range(0))}};
    for (auto _ : state) run(state, p, 1, g_ops);
}
BENCHMARK(BM_GoosBuffered)->Arg(1)->Arg(100)->UseManualTime()->Unit(benchmark::kMillisecond);

// --- select over ready channels --------------------------------------------------------

void select_ready(uint64_t ncases) {
    Chan cs[8];
    goos_select_case cases[8];
    uint64_t vals[8];
    for (uint64_t i = 0; i < ncases; ++i) {
        cs[i] = user::make_chan(8, 1);
        user::send(cs[i], i);
    }
    const uint64_t n = g_ops;
    const uint64_t start = user::now_ns();
    for (uint64_t k = 0; k < n; ++k) {
        for (uint64_t i = 0; i < ncases; ++i) cases[i] = goos_select_case{cs[i], &vals[i], nullptr, 0, 0};
        const int64_t fired = user::select(cases, static_cast<uint32_t>(ncases), true);
        user::send(cs[fired], vals[fired]);  // keep it ready
    }
    g_measured_ns = user::now_ns() - start;
}

void BM_GoosSelectReady(benchmark::State& state) {
    g_ops = 100000;
    const sim::Program p[] = {{"select", select_ready, static_cast<uint64_t>(state.range(0))}};
    for (auto _ : state) run(state, p, 1, g_ops);  // a select and the send that refills the fired case
}
BENCHMARK(BM_GoosSelectReady)->Arg(2)->Arg(8)->UseManualTime()->Unit(benchmark::kMillisecond);

// --- thread spawn, run and exit --------------------------------------------------------

void child(uint64_t done) {
    user::send(done, uint8_t{1});
}

void spawner(uint64_t) {
    const Chan done = user::make_chan(1, 0);
    const uint64_t n = g_ops;
    const uint64_t start = user::now_ns();
    for (uint64_t i = 0; i < n; ++i) {
        user::go(child, done);
        uint8_t v;
        user::recv(done, &v);
    }
    g_measured_ns = user::now_ns() - start;
}

void BM_GoosSpawnRunExit(benchmark::State& state) {
    g_ops = 50000;
    const sim::Program p[] = {{"spawner", spawner, 0}};
    for (auto _ : state) run(state, p, 1, g_ops);
}
BENCHMARK(BM_GoosSpawnRunExit)->UseManualTime()->Unit(benchmark::kMillisecond);

// --- the kernel's commit of a send description, per object --------------------------------
// The sender hands the kernel a description already counted (whole pages of objects, no
// walk): this times ledger_commit and the hand-over, not the runtime's transfer walk, which
// the Go programs' benchmarks include.

void transfer_receiver(uint64_t) {
    const Chan c = static_cast<Chan>(user::lookup("objects"));
    uint64_t v;
    while (user::recv(c, &v) == 1) {
    }
}

// The kernel's side of a send that names `npages` pages (a description as the runtime's
// walk leaves it; no walk): commit, hand over, and the receiver coming to hold them.
void transfer_sender(uint64_t npages) {
    const Chan c = user::make_chan(8, 0);
    user::publish("objects", c);
    // The description lies in the program's own memory, as a runtime's walk leaves it.
    auto* pages = reinterpret_cast<uint64_t*>(user::page_alloc());
    for (uint64_t i = 0; i < npages; ++i) pages[i] = user::page_alloc();
    const uint64_t rounds = g_ops;
    uint64_t spent = 0;
    for (uint64_t r = 0; r < rounds; ++r) {
        goos_transfer x{};
        x.pages = pages;
        x.npages = static_cast<uint32_t>(npages);
        const uint64_t start = user::now_ns();
        const int64_t sent = user::send(c, r, &x);
        spent += user::now_ns() - start;
        if (sent < 0) user::panic("transfer bench: the kernel refused the description");
    }
    g_measured_ns = spent;
    user::close(c);
}

void BM_GoosTransfer(benchmark::State& state) {
    g_ops = 200;
    const uint64_t npages = static_cast<uint64_t>(state.range(0));
    const sim::Program p[] = {{"receiver", transfer_receiver, 0}, {"sender", transfer_sender, npages}};
    for (auto _ : state) run(state, p, 2, g_ops * npages);  // per page, send through receive
}
BENCHMARK(BM_GoosTransfer)->Arg(1)->Arg(16)->Arg(512)->UseManualTime()->Unit(benchmark::kMillisecond);

// --- registry lookup --------------------------------------------------------------------

void looker(uint64_t) {
    const Chan c = user::make_chan(8, 0);
    user::publish("bench-name", c);
    const uint64_t n = g_ops;
    const uint64_t start = user::now_ns();
    for (uint64_t i = 0; i < n; ++i) user::lookup("bench-name", 0);
    g_measured_ns = user::now_ns() - start;
}

void BM_GoosRegistryLookup(benchmark::State& state) {
    g_ops = 200000;
    const sim::Program p[] = {{"looker", looker, 0}};
    for (auto _ : state) run(state, p, 1, g_ops);
}
BENCHMARK(BM_GoosRegistryLookup)->UseManualTime()->Unit(benchmark::kMillisecond);

// --- memory per parked thread ---------------------------------------------------------

uint64_t g_parked = 0;  // shared between the programs of this benchmark only
uint64_t g_spawned = 0;
long g_rss_parked = 0, g_rss_before = 0;

long rss_bytes() {
    long pages = 0, resident = 0;
    if (FILE* f = fopen("/proc/self/statm", "r")) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        fclose(f);
    }
    return resident * sysconf(_SC_PAGESIZE);
}

void parked(uint64_t c) {
    ++g_parked;
    uint8_t v;
    user::recv(c, &v);
}

void parker(uint64_t n) {
    const Chan c = user::make_chan(1, 0);
    g_rss_before = rss_bytes();  // the harness reads the host's view; not a kernel call
    uint64_t spawned = 0;
    while (spawned < n && user::go(parked, c) > 0) ++spawned;  // stops early when stacks run out
    while (g_parked < spawned) user::yield();
    g_spawned = spawned;
    g_rss_parked = rss_bytes();
    user::close(c);
}

// RSS growth per thread parked on a channel: kernel thread record, stack pages touched,
// page tables. Needs vm.max_map_count above 2 mappings per thread (./goos bench raises it).
void BM_GoosParkedThreadMemory(benchmark::State& state) {
    const uint64_t n = static_cast<uint64_t>(state.range(0));
    const sim::Program p[] = {{"parker", parker, n}};
    for (auto _ : state) {
        g_parked = 0;
        sim::Options o;
        o.quiet = true;
        o.console = false;
        o.pool_pages = 65536;
        sim::run_programs(p, 1, o);
    }
    if (g_spawned < n) state.SkipWithError("could not create every thread: raise vm.max_map_count");
    state.counters["bytes_per_thread"] =
        benchmark::Counter(static_cast<double>(g_rss_parked - g_rss_before) / static_cast<double>(g_spawned));
    state.counters["ns_per_op"] = state.counters["bytes_per_thread"];  // the table's one column
}
BENCHMARK(BM_GoosParkedThreadMemory)->Arg(100000)->Iterations(1)->Unit(benchmark::kMillisecond);

// --- a mark's end beside another program's channels -----------------------------------

// Makes `arg` channels and keeps them (it never marks), publishes "done", waits on it.
void chan_keeper(uint64_t arg) {
    for (uint64_t i = 0; i < arg; ++i)
        if (static_cast<int64_t>(user::make_chan(8, 0)) <= 0) user::panic("chan_keeper: out of channels");
    const Chan done = user::make_chan(1, 0);
    user::publish("done", done);
    uint8_t v;
    user::recv(done, &v);
}

// Times g_ops mark_begin/mark_end pairs that reach only its one channel's header page.
void marker(uint64_t) {
    const Chan done = static_cast<Chan>(user::lookup("done"));
    const uint64_t page = done & ~uint64_t{4095};
    const uint64_t start = user::now_ns();
    for (uint64_t i = 0; i < g_ops; ++i) {
        user::mark_begin();
        user::mark_end(&page, 1);
    }
    g_measured_ns = user::now_ns() - start;
    user::send(done, uint8_t{1});
}

void BM_GoosMarkEnd(benchmark::State& state) {
    g_ops = 1000;
    const sim::Program p[] = {{"keeper", chan_keeper, static_cast<uint64_t>(state.range(0))}, {"marker", marker, 0}};
    for (auto _ : state) run(state, p, 2, g_ops, 32768);
    state.SetLabel("another program holds this many channels");
}
BENCHMARK(BM_GoosMarkEnd)->Arg(0)->Arg(50000)->UseManualTime()->Unit(benchmark::kMillisecond);

// --- process exit, per page ------------------------------------------------------------

uint64_t g_exit_start = 0;

// Allocates `pages` pages, optionally lets a peer hold them all (shared), and exits; the
// watcher times the exit.
void exiter(uint64_t arg) {
    const uint64_t pages = arg >> 1;
    const bool dirty = arg & 1;
    const Chan hand = user::make_chan(8, 64);
    user::publish("pages", hand);
    static uint64_t touched[65536];  // harness-side scratch; the transfer reads it as image data
    for (uint64_t i = 0; i < pages; ++i) touched[i] = user::page_alloc();
    if (dirty) {
        // Messages that touch every page, 512 to a message: the peer comes to hold them all.
        const uint64_t list_page = user::page_alloc();
        auto* list = reinterpret_cast<uint64_t*>(list_page);
        for (uint64_t first = 0; first < pages; first += 512) {
            const uint64_t n = pages - first < 512 ? pages - first : 512;
            for (uint64_t i = 0; i < n; ++i) list[i] = touched[first + i];
            goos_transfer x{};
            x.pages = list;
            x.npages = static_cast<uint32_t>(n);
            user::send(hand, uint64_t{1}, &x);
        }
    }
    user::send(hand, uint64_t{0});  // done
    uint8_t v;
    user::recv(static_cast<Chan>(user::lookup("ack")), &v);
    g_exit_start = user::now_ns();
    user::exit(0);
}

void exit_watcher(uint64_t) {
    const Chan ack = user::make_chan(1, 1);
    user::publish("ack", ack);
    const Chan hand = static_cast<Chan>(user::lookup("pages"));
    const Chan ended = user::watch(1);
    uint64_t v = 1;
    while (v) user::recv(hand, &v);
    user::send(ack, uint8_t{1});
    uint8_t d;
    user::recv(ended, &d);
    g_measured_ns = user::now_ns() - g_exit_start;
}

void BM_GoosProcessExit(benchmark::State& state) {
    const uint64_t pages = static_cast<uint64_t>(state.range(0));
    const bool dirty = state.range(1) != 0;
    const sim::Program p[] = {{"exiter", exiter, pages << 1 | (dirty ? 1 : 0)}, {"watcher", exit_watcher, 0}};
    for (auto _ : state) run(state, p, 2, pages, 32768);
    state.SetLabel(dirty ? "dirty: every page held by a peer" : "clean");
}
BENCHMARK(BM_GoosProcessExit)->Args({8192, 0})->Args({8192, 1})->UseManualTime()->Unit(benchmark::kMillisecond);

// --- anchors ------------------------------------------------------------------------------

namespace bctx = boost::context::detail;

void fiber_body(bctx::transfer_t t) {
    for (;;) t = bctx::jump_fcontext(t.fctx, nullptr);
}

// The floor for any fiber-based design: a switch there and back.
void BM_AnchorFiberSwitchRoundTrip(benchmark::State& state) {
    static char stack[64 * 1024];
    bctx::fcontext_t f = bctx::make_fcontext(stack + sizeof stack, sizeof stack, fiber_body);
    for (auto _ : state) f = bctx::jump_fcontext(f, nullptr).fctx;
}
BENCHMARK(BM_AnchorFiberSwitchRoundTrip);

void pipe_echo(int in, int out, uint64_t n) {
    char b;
    for (uint64_t i = 0; i < n; ++i) {
        if (read(in, &b, 1) != 1 || write(out, &b, 1) != 1) return;
    }
}

void BM_AnchorPipeThreads(benchmark::State& state) {
    int a[2], b[2];
    if (pipe(a) || pipe(b)) return state.SkipWithError("pipe");
    const uint64_t n = 20000;
    for (auto _ : state) {
        std::thread t(pipe_echo, a[0], b[1], n);
        const auto start = std::chrono::steady_clock::now();
        char c = 1;
        for (uint64_t i = 0; i < n; ++i) {
            if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1) break;
        }
        const auto took = std::chrono::steady_clock::now() - start;
        t.join();
        record(state, std::chrono::duration<double, std::nano>(took).count(), n);
    }
    close(a[0]), close(a[1]), close(b[0]), close(b[1]);
}
BENCHMARK(BM_AnchorPipeThreads)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_AnchorPipeProcesses(benchmark::State& state) {
    const uint64_t n = 20000;
    for (auto _ : state) {
        int a[2], b[2];
        if (pipe(a) || pipe(b)) return state.SkipWithError("pipe");
        const pid_t pid = fork();
        if (pid == 0) {
            pipe_echo(a[0], b[1], n);
            _exit(0);
        }
        const auto start = std::chrono::steady_clock::now();
        char c = 1;
        for (uint64_t i = 0; i < n; ++i) {
            if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1) break;
        }
        const auto took = std::chrono::steady_clock::now() - start;
        waitpid(pid, nullptr, 0);
        close(a[0]), close(a[1]), close(b[0]), close(b[1]);
        record(state, std::chrono::duration<double, std::nano>(took).count(), n);
    }
}
BENCHMARK(BM_AnchorPipeProcesses)->UseManualTime()->Unit(benchmark::kMillisecond);

long futex(std::atomic<int>* addr, int op, int val) {
    return syscall(SYS_futex, reinterpret_cast<int*>(addr), op, val, nullptr, nullptr, 0);
}

void BM_AnchorFutexThreads(benchmark::State& state) {
    const uint64_t n = 20000;
    for (auto _ : state) {
        std::atomic<int> turn{0};
        std::thread t([&] {
            for (uint64_t i = 0; i < n; ++i) {
                while (turn.load() != 1) futex(&turn, FUTEX_WAIT_PRIVATE, 0);
                turn.store(0);
                futex(&turn, FUTEX_WAKE_PRIVATE, 1);
            }
        });
        const auto start = std::chrono::steady_clock::now();
        for (uint64_t i = 0; i < n; ++i) {
            turn.store(1);
            futex(&turn, FUTEX_WAKE_PRIVATE, 1);
            while (turn.load() != 0) futex(&turn, FUTEX_WAIT_PRIVATE, 1);
        }
        const auto took = std::chrono::steady_clock::now() - start;
        t.join();
        record(state, std::chrono::duration<double, std::nano>(took).count(), n);
    }
}
BENCHMARK(BM_AnchorFutexThreads)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
