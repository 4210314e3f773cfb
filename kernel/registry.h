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
    uint64_t tag = 0;  // what the publisher says the channel is: its runtime's type fingerprint
    uint32_t len = 0;
    char name[GOOS_MAX_NAME + 1] = {};
};

// Publishing a taken name is an error; the name goes when the publisher ends.
// The tag is opaque to the kernel: a Go runtime publishes the fingerprint of the channel's
// type, so that the looking-up program can pick its own descriptor for the same type.
Result<void> registry_publish(Process* p, const char* name, uint32_t len, Channel* c, uint64_t tag = 0);
// Blocks until the name is published or the deadline (0: none) passes; no_wait returns
// NOT_FOUND at once. The caller comes to hold the channel; *tag (when not null) gets the
// publisher's tag.
Result<Channel*> registry_lookup(Thread* t, const char* name, uint32_t len, bool no_wait, uint64_t deadline,
                                 uint64_t* tag = nullptr);
void registry_drop(Process* p);
void registry_reset();
// The published name of a channel, for reports; nullptr when it has none.
const char* registry_name_of(const Channel* c);

}  // namespace kernel
