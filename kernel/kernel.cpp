#include "kernel.h"

#include <new>

#include "barrier.h"
#include "ledger.h"
#include "registry.h"

namespace kernel {

Kernel k;

void init(const Config& config) {
    // Reset every piece of state so that one host process can boot the kernel again.
    k.~Kernel();
    new (&k) Kernel();
    k.config = config;
    k.rng.seed(config.seed);
    k.pages.init(hal::Arch::pool_base(), hal::Arch::pool_pages(), hal::Arch::pool_zeroed());
    barrier_init(hal::Arch::pool_base(), hal::Arch::pool_pages(), k.pages.shared_bits(), hal::Arch::barrier_hook());
    registry_reset();
    ledger_reset();
    trace_reset(config.trace_sink, config.trace_ctx);
}

}  // namespace kernel
