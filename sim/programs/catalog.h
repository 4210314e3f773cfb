// The scenarios: sets of built-in programs booted together. Freestanding, so that goos-sim
// (sim/scenarios.cpp) and the bare-metal image (hal-x86/main.cpp) run the same lists.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace programs {

struct Program {
    const char* name;
    void (*entry)(uint64_t arg);
    uint64_t arg;
};

struct Scenario {
    const char* name;
    const char* description;
    Program programs[8];
    int nprograms;
    int expect_status;   // the run's status: 0 when every program ended, 2 on a deadlock
    int expect_crashes;  // programs that end by panic, fault or deadlock
};

const Scenario* scenarios(size_t* count);
const Scenario* find_scenario(const char* name);

}  // namespace programs
