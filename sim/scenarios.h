// Booting the kernel on the hosted backend with a set of built-in programs (a scenario
// from sim/programs/catalog.h, or a test's own list): used by goos-sim, tests, benchmarks.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string>
#include <vector>

#include <kernel/kernel.h>
#include <kernel/ledger.h>
#include <sim/programs/catalog.h>

namespace sim {

using Program = programs::Program;
using Scenario = programs::Scenario;
using programs::scenarios;
inline const Scenario* find_scenario(const std::string& name) { return programs::find_scenario(name.c_str()); }

struct Options {
    uint64_t seed = 1;
    bool deterministic = false;
    bool quiet = false;
    size_t pool_pages = 16384;
    std::string trace_file;  // Chrome trace-event JSON; empty: none
    uint32_t crash_one_in = 0;  // deterministic: inject a crash at one kernel entry in N
    size_t process_page_limit = 4096;
    uint64_t stall_ns = 1'000'000'000;  // deterministic: CPU time without a preemption point that stops the run
    bool console = true;
};

// A program image read from a file, for the kernel's loader.
struct Image {
    std::string name;
    std::vector<uint8_t> bytes;
};

struct ProcessExit {
    uint32_t pid;
    std::string name;
    int status;
};

struct Outcome {
    kernel::RunResult run;
    std::vector<ProcessExit> exits;  // in the order the processes ended
    std::vector<std::string> refused;  // "<image>: <reason>" for each image the loader refused
    kernel::LedgerStats ledger;
    bool invariants_ok = false;
};

// Boots a fresh kernel, spawns the built-in programs, loads the images (each its own
// process; a refused image is reported in Outcome::refused and the rest run), runs to the
// end and checks the invariants.
Outcome run_programs(const Program* programs, int n, const Options& options, const std::vector<Image>& images = {});
// Reads a program image; false (with errno set) when the file cannot be read.
bool read_image(const std::string& path, Image* out);
inline Outcome run_scenario(const Scenario& s, const Options& options) {
    return run_programs(s.programs, s.nprograms, options);
}

// Writes Chrome trace-event JSON (opens in Perfetto) from the kernel's trace ring.
class TraceWriter;
TraceWriter* trace_open(const std::string& path);
void trace_sink(const kernel::TraceEvent* events, size_t n, void* ctx);
void trace_close(TraceWriter* w);
void trace_name_process(TraceWriter* w, uint32_t pid, const char* name);

}  // namespace sim
