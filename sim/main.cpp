// goos-sim: boots the GoOS kernel on the hosted backend and runs either a scenario of
// built-in programs or program images (built by `goos build`, loaded by the kernel's own
// loader, each its own process), then prints a summary.
//
// Exit status: 3 when an invariant broke; otherwise the kernel's (2 for a deadlock of the
// whole system, 3 for a stalled deterministic run); otherwise the status of the first
// program that ended with a non-zero one (2 after a panic, as Go's); otherwise 65 when an
// image was refused; otherwise 0.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <string>
#include <system_error>
#include <vector>

#include "programs/programs.h"

#include "scenarios.h"

// Fault injection: every run must end with invariants 4 (every page back in the pool) and
// 6 (messages delivered once, in order) holding, whichever programs crashed where.
static int explore_seeds(const sim::Scenario& s, uint64_t runs, uint64_t first_seed) {
    uint64_t failed = 0;
    for (uint64_t seed = first_seed; seed < first_seed + runs; ++seed) {
        sim::Options o;
        o.seed = seed;
        o.deterministic = true;
        o.quiet = true;
        o.console = false;
        o.crash_one_in = 200;
        const sim::Outcome out = sim::run_scenario(s, o);
        const bool ok = out.invariants_ok && out.ledger.pages_in_use == 0;
        if (!ok) {
            ++failed;
            printf(
                "explore: seed %lu FAILS (invariants %s, %lu pages left in use); replay: goos-sim %s --seed %lu "
                "--inject %u\n",
                (unsigned long)seed, out.invariants_ok ? "hold" : "violated", (unsigned long)out.ledger.pages_in_use,
                s.name, (unsigned long)seed, o.crash_one_in);
        }
    }
    printf("explore: %lu seeds of '%s' with injected crashes, %lu failing\n", (unsigned long)runs, s.name,
           (unsigned long)failed);
    return failed ? 1 : 0;
}

static void print_summary(const sim::Outcome& out, const std::string& trace_file) {
    const auto& st = out.run.stats;
    const auto& l = out.ledger;
    printf("\n--- summary ---\n");
    printf("processes %lu (%lu ended by panic, fault or deadlock), threads %lu\n", (unsigned long)st.processes_created,
           (unsigned long)st.processes_crashed, (unsigned long)st.threads_created);
    printf("context switches %lu, preemptions %lu, messages %lu, syscalls %lu\n", (unsigned long)st.context_switches,
           (unsigned long)st.preemptions, (unsigned long)st.messages, (unsigned long)st.syscalls);
    printf(
        "pages allocated %lu, recycled %lu (%lu at once when their last holder ended, %lu settled later), "
        "in use %lu (at most %lu), dirty %lu\n",
        (unsigned long)l.pages_allocated, (unsigned long)l.pages_recycled, (unsigned long)l.recycled_at_exit,
        (unsigned long)l.settled_later, (unsigned long)l.pages_in_use, (unsigned long)l.pages_peak,
        (unsigned long)l.pages_dirty);
    printf("transfers %lu naming %lu pages, stores exposed %lu, stale walks %lu\n", (unsigned long)l.transfers,
           (unsigned long)l.pages_sent, (unsigned long)l.exposures, (unsigned long)l.stale_walks);
    printf("invariants: %s\n", out.invariants_ok ? "all six hold" : "VIOLATED");
    if (!trace_file.empty()) printf("trace written to %s\n", trace_file.c_str());
}

// A size given as a number with an optional suffix K, M or G (KiB, MiB, GiB and KB... are
// read alike), from 4M to 1024G; a clear error and exit otherwise.
static uint64_t parse_size(const std::string& text, const char* flag) {
    char* end = nullptr;
    uint64_t bytes = strtoull(text.c_str(), &end, 10);
    switch (*end) {
        case 'k':
        case 'K':
            bytes <<= 10;
            ++end;
            break;
        case 'm':
        case 'M':
            bytes <<= 20;
            ++end;
            break;
        case 'g':
        case 'G':
            bytes <<= 30;
            ++end;
            break;
        default:
            break;
    }
    if (*end == 'i' || *end == 'B') ++end;
    if (*end == 'B') ++end;
    if (*end || bytes < (uint64_t{4} << 20) || bytes > (uint64_t{1} << 40)) {
        fprintf(stderr, "goos-sim: %s %s: give a size from 4M to 1024G (suffix K, M or G)\n", flag, text.c_str());
        exit(64);
    }
    return bytes;
}

// The page pool (DESIGN.md, "Memory is sized to the machine"): --memory when given; else
// 1 GiB in a deterministic run (the same pool on every host) and the host's memory
// otherwise. It is reserved, not committed: pages cost memory as they are used.
static size_t pool_pages_for(const std::string& memory, bool deterministic) {
    uint64_t bytes = uint64_t{1} << 30;
    if (!memory.empty()) {
        bytes = parse_size(memory, "--memory");
    } else if (!deterministic) {
        const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
        if (pages > 0 && page > 0) bytes = static_cast<uint64_t>(pages) * static_cast<uint64_t>(page);
    }
    return static_cast<size_t>(bytes / GOOS_PAGE_SIZE);
}

// A program's budget (DESIGN.md, "Charging"): --budget when given, else the whole pool.
static size_t budget_pages_for(const std::string& budget, size_t pool_pages) {
    if (budget.empty()) return pool_pages;
    const auto pages = static_cast<size_t>(parse_size(budget, "--budget") / GOOS_PAGE_SIZE);
    return pages < pool_pages ? pages : pool_pages;
}

static int run_images(const std::vector<sim::Image>& images, bool quiet, const uint64_t* seed,
                      const std::string& trace_file, uint32_t inject, size_t pool_pages, size_t budget_pages) {
    sim::Options options;
    options.pool_pages = pool_pages;
    options.process_page_limit = budget_pages;
    options.deterministic = seed != nullptr;
    options.seed = seed ? *seed : 1;
    options.quiet = quiet;
    options.trace_file = trace_file;
    options.crash_one_in = inject;
    const sim::Outcome out = sim::run_programs(nullptr, 0, options, images);
    for (const std::string& r : out.refused) fprintf(stderr, "goos-sim: refused %s\n", r.c_str());
    if (!quiet) {
        print_summary(out, trace_file);
        for (const sim::ProcessExit& e : out.exits)
            printf("process %u (%s) exit status %d\n", e.pid, e.name.c_str(), e.status);
    }
    if (!out.invariants_ok) return 3;
    if (out.run.status) return out.run.status;
    for (const sim::ProcessExit& e : out.exits)
        if (e.status) return e.status;
    return out.refused.empty() ? 0 : 65;
}

int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape): CLI11 reports its own errors
    CLI::App app{"goos-sim: the GoOS kernel on the hosted backend"};
    std::vector<std::string> what;
    std::string trace_file;
    uint64_t seed = 0;
    bool list = false;
    bool quiet = false;
    uint64_t explore = 0;
    uint32_t inject = 0;
    std::string keys = "auto";
    std::string memory;
    std::string budget;
    app.add_option("scenario-or-images", what,
                   "a scenario to run (see --list; default: demo), or program images to load, one process each");
    app.add_option("--seed", seed, "deterministic mode: virtual clock, seeded select choices and preemption");
    app.add_option("--trace", trace_file, "write Chrome trace-event JSON (opens in Perfetto)");
    app.add_flag("--list", list, "list the scenarios");
    app.add_option("--explore", explore,
                   "run the scenario under N seeds with crashes injected at random points; print failing seeds");
    app.add_option("--inject", inject, "with --seed: inject a crash at one kernel entry in N");
    app.add_option("--keys", keys,
                   "what the keyboard driver types: 'script', 'stdin', or 'auto' (stdin when it is a terminal "
                   "and the run is not deterministic)")
        ->check(CLI::IsMember({"auto", "script", "stdin"}));
    app.add_option("--memory", memory,
                   "the page pool, e.g. 512M or 4G (default: 1G with --seed, else the host's memory); a program "
                   "may use all of it unless --budget says less");
    app.add_option("--budget", budget,
                   "each program's budget, e.g. 64M (default: the pool): a program whose charge is still over it "
                   "after it collects is ended");
    app.add_flag("--quiet", quiet, "print only the programs' output and problems, no summary");
    CLI11_PARSE(app, argc, argv);

    size_t n = 0;
    const sim::Scenario* all = sim::scenarios(&n);
    if (list) {
        for (size_t i = 0; i < n; ++i) printf("%-10s %s\n", all[i].name, all[i].description);
        return 0;
    }
    // Anything that is a file is an image; a single other word names a scenario.
    std::vector<sim::Image> images;
    for (const std::string& arg : what) {
        if (access(arg.c_str(), F_OK) != 0) continue;
        sim::Image image;
        if (!sim::read_image(arg, &image)) {
            fprintf(stderr, "goos-sim: %s: %s\n", arg.c_str(), std::generic_category().message(errno).c_str());
            return 66;
        }
        images.push_back(std::move(image));
    }
    if (!images.empty() && images.size() != what.size()) {
        fprintf(stderr, "goos-sim: give either one scenario or program image files\n");
        return 64;
    }
    const std::string scenario = what.empty() ? "demo" : what[0];
    const size_t pool_pages = pool_pages_for(memory, app.count("--seed") > 0);
    const size_t budget_pages = budget_pages_for(budget, pool_pages);
    if (!images.empty())
        return run_images(images, quiet, app.count("--seed") ? &seed : nullptr, trace_file, inject, pool_pages,
                          budget_pages);
    if (what.size() > 1) {
        fprintf(stderr, "goos-sim: no such files: give one scenario or image files\n");
        return 64;
    }
    const sim::Scenario* s = sim::find_scenario(scenario);
    if (!s) {
        fprintf(stderr, "goos-sim: no scenario or file '%s' (see --list)\n", scenario.c_str());
        return 64;
    }
    if (explore) return explore_seeds(*s, explore, app.count("--seed") ? seed : 1);
    sim::Scenario scenario_copy = *s;
    const bool from_stdin = keys == "stdin" || (keys == "auto" && isatty(0) && !app.count("--seed"));
    if (from_stdin)
        for (int i = 0; i < scenario_copy.nprograms; ++i)
            if (scenario_copy.programs[i].entry == programs::keyboard) scenario_copy.programs[i].arg = 0;
    s = &scenario_copy;
    sim::Options options;
    options.pool_pages = pool_pages;
    options.process_page_limit = budget_pages;
    options.seed = seed;
    options.deterministic = app.count("--seed") > 0;
    options.quiet = quiet;
    options.trace_file = trace_file;
    options.crash_one_in = inject;
    if (!quiet) {
        printf("goos-sim: scenario '%s' (%s), %s\n", s->name, s->description,
               options.deterministic ? ("deterministic, seed " + std::to_string(seed)).c_str() : "timer preemption");
        fflush(stdout);
    }
    const sim::Outcome out = sim::run_scenario(*s, options);
    if (!quiet) print_summary(out, trace_file);
    if (!out.invariants_ok) return 3;
    return out.run.status;
}
