// main() of a goos-run-<prog> executable (tools/goos-build): boots the kernel on the
// hosted backend with one program, the Go program linked into this executable, whose
// first thread enters the runtime at goos_rt_start. The exit status is the program's:
// 0 when it ended normally, 2 after a panic or a deadlock (as Go's).
//
// Until the kernel loads ELF images (DESIGN.md, "Programs"), this is how a Go program
// runs on GoOS: one program per executable, linked with the kernel.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sim/scenarios.h>

#ifndef GOOS_PROGRAM_NAME
#define GOOS_PROGRAM_NAME "main"
#endif

extern "C" void goos_rt_start(uint64_t);

int main(int argc, char** argv) {
    sim::Options options;
    options.quiet = true;
    for (int i = 1; i < argc; ++i) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            options.seed = strtoull(argv[++i], nullptr, 10);
            options.deterministic = true;
        } else {
            fprintf(stderr, "usage: %s [--seed N]\n", argv[0]);
            return 64;
        }
    }
    const sim::Program program{GOOS_PROGRAM_NAME, goos_rt_start, 0};
    const sim::Outcome out = sim::run_programs(&program, 1, options);
    // The kernel does not report a process's own status yet: a crashed process (panic,
    // fault, deadlock) is counted, and Go ends those with status 2.
    int status = out.run.status;
    if (status == 0 && out.run.stats.processes_crashed) status = 2;
    if (!out.invariants_ok) {
        fprintf(stderr, "goos-run: kernel invariants broken\n");
        if (status == 0) status = 1;
    }
    return status;
}
