// goos-sim: boots the GoOS kernel on the hosted backend and runs a scenario of built-in
// programs, then prints a summary. Exits non-zero on a deadlock or a broken invariant.
#include <CLI/CLI.hpp>
#include <stdio.h>

#include "scenarios.h"

int main(int argc, char** argv) {
    CLI::App app{"goos-sim: the GoOS kernel on the hosted backend"};
    std::string scenario = "demo";
    std::string trace_file;
    uint64_t seed = 0;
    bool list = false;
    bool quiet = false;
    app.add_option("scenario", scenario, "scenario to run (see --list)");
    app.add_option("--seed", seed, "deterministic mode: virtual clock, seeded select choices and preemption");
    app.add_option("--trace", trace_file, "write Chrome trace-event JSON (opens in Perfetto)");
    app.add_flag("--list", list, "list the scenarios");
    app.add_flag("--quiet", quiet, "print only the programs' output and problems, no summary");
    CLI11_PARSE(app, argc, argv);

    size_t n = 0;
    const sim::Scenario* all = sim::scenarios(&n);
    if (list) {
        for (size_t i = 0; i < n; ++i) printf("%-10s %s\n", all[i].name, all[i].description);
        return 0;
    }
    const sim::Scenario* s = sim::find_scenario(scenario);
    if (!s) {
        fprintf(stderr, "goos-sim: no scenario '%s' (see --list)\n", scenario.c_str());
        return 64;
    }
    sim::Options options;
    options.seed = seed;
    options.deterministic = app.count("--seed") > 0;
    options.quiet = quiet;
    options.trace_file = trace_file;
    if (!quiet) {
        printf("goos-sim: scenario '%s' (%s), %s\n", s->name, s->description,
               options.deterministic ? ("deterministic, seed " + std::to_string(seed)).c_str() : "timer preemption");
        fflush(stdout);
    }
    const sim::Outcome out = sim::run_scenario(*s, options);
    const auto& st = out.run.stats;
    const auto& l = out.ledger;
    if (!quiet) {
        printf("\n--- summary ---\n");
        printf("processes %lu (%lu ended by panic, fault or deadlock), threads %lu\n",
               (unsigned long)st.processes_created, (unsigned long)st.processes_crashed,
               (unsigned long)st.threads_created);
        printf("context switches %lu, preemptions %lu, messages %lu, syscalls %lu\n",
               (unsigned long)st.context_switches, (unsigned long)st.preemptions, (unsigned long)st.messages,
               (unsigned long)st.syscalls);
        printf("pages allocated %lu, recycled %lu (%lu at once when their last holder ended, %lu settled later), "
               "in use %lu, dirty %lu\n",
               (unsigned long)l.pages_allocated, (unsigned long)l.pages_recycled, (unsigned long)l.recycled_at_exit,
               (unsigned long)l.settled_later, (unsigned long)l.pages_in_use, (unsigned long)l.pages_dirty);
        printf("transfers %lu moving %lu objects\n", (unsigned long)l.transfers, (unsigned long)l.objects_moved);
        printf("invariants: %s\n", out.invariants_ok ? "all six hold" : "VIOLATED");
        if (!trace_file.empty()) printf("trace written to %s\n", trace_file.c_str());
    }
    if (!out.invariants_ok) return 3;
    return out.run.status;
}
