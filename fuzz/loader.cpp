// Fuzzes the program loader (kernel/loader.cpp) with whole images: every input is either
// refused with a reason and leaves nothing behind, or loaded into pages the new process
// holds, with its entry point in them; then the process ends (its code never runs: an
// arbitrary image's code would run in the fuzzer's address space) and every page must be
// free again, with the invariants holding.
#include <string.h>

#include <kernel/loader.h>
#include <kernel/process.h>

#include "harness.h"

using namespace fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    boot(1);
    kernel::LoadError why;
    auto r = kernel::process_load("fuzzed", data, size, &why);
    if (r.ok()) {
        kernel::Process* p = r.value();
        if (p->code_begin >= p->code_end || p->threads.size() != 1) {
            fprintf(stderr, "loader fuzzer: loaded without code or without its first thread\n");
            die();
        }
        kernel::process_end(p, 0, nullptr);
    } else {
        const bool expected = r.error() == kernel::Error::BAD_IMAGE || r.error() == kernel::Error::NO_MEMORY;
        if (!expected || why.text[0] == 0 || !memchr(why.text, 0, sizeof why.text)) {
            fprintf(stderr, "loader fuzzer: refused with status %ld and reason '%.*s'\n",
                    static_cast<long>(r.error()), static_cast<int>(sizeof why.text), why.text);
            die();
        }
    }
    (void)kernel::run();  // no thread left: returns at once
    size_t process_pages = 0;
    for (size_t i = kernel::k.pages.first_usable(); i < kernel::k.pages.npages(); ++i)
        if (kernel::k.pages.info_at(i).use == kernel::PageUse::Process) ++process_pages;
    if (process_pages || kernel::live_processes() != 0 || !kernel::check_invariants(false)) {
        kernel::check_invariants(true);
        fprintf(stderr, "loader fuzzer: %zu process pages and %zu processes left\n", process_pages,
                kernel::live_processes());
        die();
    }
    return 0;
}
