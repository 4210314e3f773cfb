#include "scenarios.h"

#include <hal/hal.h>

#include "programs/programs.h"

namespace sim {

namespace {

const char kKeys[] = "hello goos\nls /chan\n";

const Scenario kScenarios[] = {
    {"demo",
     "keyboard driver and shell, ping-pong across two processes, a spinner that never calls the kernel, "
     "and a program that crashes while owning objects it received",
     {{"keyboard", programs::keyboard, reinterpret_cast<uint64_t>(kKeys)},
      {"shell", programs::shell, 0},
      {"pong", programs::pong, 0},
      {"ping", programs::ping, 2000},
      {"spinner", programs::spinner, 30'000'000},
      // The producer watches pid+1: the crasher must follow it.
      {"producer", programs::producer, 10},
      {"crasher", programs::crasher, 0}},
     7},
    {"pingpong", "ping-pong across two processes", {{"pong", programs::pong, 0}, {"ping", programs::ping, 100000}}, 2},
    {"preempt",
     "a spinner and a ping-pong pair: the timer keeps both going",
     {{"spinner", programs::spinner, 100'000'000}, {"pong", programs::pong, 0}, {"ping", programs::ping, 20000}},
     3},
    {"fault",
     "a program dereferences nil and ends with Go's panic message while a ping-pong runs on",
     {{"pong", programs::pong, 0}, {"nil-deref", programs::nil_deref, 0}, {"ping", programs::ping, 1000}},
     3},
    {"stuck",
     "a program waits on a channel no one else holds: it ends with Go's deadlock message, the others run on",
     {{"deadlocker", programs::deadlocker, 0}, {"pong", programs::pong, 0}, {"ping", programs::ping, 1000}},
     3},
    {"deadlock", "every thread waits: the kernel reports a deadlock and exits with status 2",
     {{"pong", programs::pong, 0}},
     1},
};

}  // namespace

const Scenario* scenarios(size_t* count) {
    *count = sizeof kScenarios / sizeof kScenarios[0];
    return kScenarios;
}

const Scenario* find_scenario(const std::string& name) {
    for (const Scenario& s : kScenarios)
        if (name == s.name) return &s;
    return nullptr;
}

Outcome run_programs(const Program* programs, int n, const Options& options) {
    hal::hosted::Config hc;
    hc.deterministic = options.deterministic;
    hc.pool_pages = options.pool_pages;
    hc.console = options.console;
    hal::hosted::configure(hc);

    TraceWriter* writer = options.trace_file.empty() ? nullptr : trace_open(options.trace_file);
    kernel::Config kc;
    kc.seed = options.seed;
    kc.deterministic = options.deterministic;
    kc.quiet = options.quiet;
    kc.crash_one_in = options.crash_one_in;
    kc.process_page_limit = options.process_page_limit;
    kc.trace_sink = writer ? trace_sink : nullptr;
    kc.trace_ctx = writer;
    kernel::init(kc);

    Outcome out;
    for (int i = 0; i < n; ++i) {
        auto p = kernel::process_spawn(programs[i].name, programs[i].entry, programs[i].arg);
        if (!p.ok()) {
            out.run.status = 1;
            return out;
        }
        if (writer) trace_name_process(writer, p.value()->pid, programs[i].name);
    }
    out.run = kernel::run();
    out.ledger = kernel::ledger_stats();
    out.invariants_ok = kernel::check_invariants(options.console);
    if (writer) trace_close(writer);
    return out;
}

}  // namespace sim
