#include "trace.h"

#include <hal/hal.h>

namespace kernel {

namespace {
constexpr size_t kRing = 4096;
TraceEvent ring[kRing];
size_t head = 0;  // next write
size_t count = 0;
void* sink_ctx = nullptr;
}  // namespace

TraceSink trace_sink_fn = nullptr;

void trace_reset(TraceSink s, void* ctx) {
    trace_sink_fn = s;
    sink_ctx = ctx;
    head = count = 0;
}

void trace_flush() {
    if (!trace_sink_fn || count == 0) return;
    const size_t start = (head + kRing - count) % kRing;
    const size_t first = start + count <= kRing ? count : kRing - start;
    trace_sink_fn(&ring[start], first, sink_ctx);
    if (first < count) trace_sink_fn(&ring[0], count - first, sink_ctx);
    count = 0;
}

void trace_record(TraceKind kind, uint32_t tid, uint32_t pid, uint32_t obj, uint64_t arg) {
    if (count == kRing) trace_flush();
    TraceEvent& e = ring[head];
    e.time = hal::Arch::now_ns();
    e.tid = tid;
    e.pid = pid;
    e.obj = obj;
    e.kind = static_cast<uint8_t>(kind);
    e.pad[0] = e.pad[1] = e.pad[2] = 0;
    e.arg = arg;
    head = (head + 1) % kRing;
    ++count;
}

}  // namespace kernel
