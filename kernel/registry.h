// The registry: the kernel's list of published channels, by name.
#pragma once

#include <stdint.h>

#include "chan.h"
#include "list.h"
#include "process.h"
#include "result.h"

namespace kernel {

struct NameEntry {
    Link link;
    Channel* chan = nullptr;
    Process* publisher = nullptr;
    uint32_t len = 0;
    char name[GOOS_MAX_NAME + 1] = {};
};

// Publishing a taken name is an error; the name goes when the publisher ends.
Result<void> registry_publish(Process* p, const char* name, uint32_t len, Channel* c);
// Blocks until the name is published or the deadline (0: none) passes; no_wait returns
// NOT_FOUND at once. The caller comes to hold the channel.
Result<Channel*> registry_lookup(Thread* t, const char* name, uint32_t len, bool no_wait, uint64_t deadline);
void registry_drop(Process* p);
void registry_reset();
// The published name of a channel, for reports; nullptr when it has none.
const char* registry_name_of(const Channel* c);

}  // namespace kernel
