#include "scenarios.h"

#include <hal/hal.h>

namespace sim {

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
    kc.stall_ns = options.stall_ns;
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
