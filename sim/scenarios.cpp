#include "scenarios.h"

#include <hal/hal.h>
#include <kernel/loader.h>
#include <stdio.h>

namespace sim {

namespace {
void record_exit(uint32_t pid, const char* name, int status, void* ctx) {
    static_cast<Outcome*>(ctx)->exits.push_back({pid, name, status});
}
}  // namespace

bool read_image(const std::string& path, Image* out) {
    FILE* f = fopen(path.c_str(), "rb");
    if (!f) return false;
    out->bytes.clear();
    uint8_t buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) out->bytes.insert(out->bytes.end(), buf, buf + n);
    const bool ok = !ferror(f);
    fclose(f);
    const size_t slash = path.find_last_of('/');
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    const size_t dot = base.rfind('.');
    out->name = dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
    return ok;
}

Outcome run_programs(const Program* programs, int n, const Options& options, const std::vector<Image>& images) {
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
    Outcome out;
    kc.exit_sink = record_exit;
    kc.exit_ctx = &out;
    kernel::init(kc);

    for (int i = 0; i < n; ++i) {
        auto p = kernel::process_spawn(programs[i].name, programs[i].entry, programs[i].arg);
        if (!p.ok()) {
            out.run.status = 1;
            return out;
        }
        if (writer) trace_name_process(writer, p.value()->pid, programs[i].name);
    }
    for (const Image& image : images) {
        kernel::LoadError why;
        auto p = kernel::process_load(image.name.c_str(), image.bytes.data(), image.bytes.size(), &why);
        if (!p.ok()) {
            out.refused.push_back(image.name + ": " + why.text);
            continue;
        }
        if (writer) trace_name_process(writer, p.value()->pid, image.name.c_str());
    }
    out.run = kernel::run();
    out.ledger = kernel::ledger_stats();
    out.invariants_ok = kernel::check_invariants(options.console);
    if (writer) trace_close(writer);
    return out;
}

}  // namespace sim
