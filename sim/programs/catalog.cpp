#include "catalog.h"

#include "programs.h"

namespace programs {

namespace {

const char kKeys[] = "hello goos\nls /chan\n";

const Scenario kScenarios[] = {
    {"demo",
     "keyboard driver and shell, ping-pong across two processes, a spinner that never calls the kernel, "
     "and a program that crashes while owning objects it received",
     {{"keyboard", keyboard, reinterpret_cast<uint64_t>(kKeys)},
      {"shell", shell, 0},
      {"pong", pong, 0},
      {"ping", ping, 2000},
      {"spinner", spinner, 30'000'000},
      // The producer watches pid+1: the crasher must follow it.
      {"producer", producer, 0},
      {"crasher", crasher, 0}},
     7,
     0,
     1},
    {"pingpong", "ping-pong across two processes", {{"pong", pong, 0}, {"ping", ping, 100000}}, 2, 0, 0},
    {"preempt",
     "a spinner and a ping-pong pair: the timer keeps both going",
     {{"spinner", spinner, 100'000'000}, {"pong", pong, 0}, {"ping", ping, 20000}},
     3,
     0,
     0},
    {"fault",
     "a program dereferences nil and ends with Go's panic message while a ping-pong runs on",
     {{"pong", pong, 0}, {"nil-deref", nil_deref, 0}, {"ping", ping, 1000}},
     3,
     0,
     1},
    {"stuck",
     "a program waits on a channel no one else holds: it ends with Go's deadlock message, the others run on",
     {{"deadlocker", deadlocker, 0}, {"pong", pong, 0}, {"ping", ping, 1000}},
     3,
     0,
     1},
    {"deadlock", "every thread waits: the kernel reports a deadlock and exits with status 2", {{"pong", pong, 0}}, 1,
     2, 1},
    {"typing",
     "the keyboard driver types what the console delivers (goos-sim: stdin; x86-64: the PS/2 keyboard and the "
     "serial port) to the shell, until the input ends or Ctrl-D",
     {{"keyboard", keyboard, 0}, {"shell", shell, 0}},
     2,
     0,
     0},
};

bool same(const char* a, const char* b) {
    while (*a && *a == *b) ++a, ++b;
    return *a == *b;
}

}  // namespace

const Scenario* scenarios(size_t* count) {
    *count = sizeof kScenarios / sizeof kScenarios[0];
    return kScenarios;
}

const Scenario* find_scenario(const char* name) {
    for (const Scenario& s : kScenarios)
        if (same(name, s.name)) return &s;
    return nullptr;
}

}  // namespace programs
