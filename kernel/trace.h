// The trace ring: fixed-size records of scheduler and channel events. Objects are named
// by id, never by address, so a deterministic run gives the same trace byte for byte.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kernel {

enum class TraceKind : uint8_t {
    ThreadRun,   // a: thread starts running (slice begins)
    ThreadStop,  // thread stops running; arg: 0 blocked, 1 yield, 2 preempted, 3 dead
    ProcStart,
    ProcEnd,   // arg: exit status
    ChanMake,  // obj: channel id; arg: capacity
    ChanSend,  // obj: channel id; arg: message sequence number
    ChanRecv,
    ChanClose,
    Publish,  // obj: channel id
    Deadlock,
};

struct TraceEvent {
    uint64_t time;
    uint32_t tid;
    uint32_t pid;
    uint32_t obj;
    uint8_t kind;
    uint8_t pad[3];
    uint64_t arg;
};

// Receives full batches of events in order. Called inside the kernel: it must not
// call back into it. Without a sink, tracing is off.
using TraceSink = void (*)(const TraceEvent* events, size_t n, void* ctx);

void trace_reset(TraceSink sink, void* ctx);
void trace_record(TraceKind kind, uint32_t tid, uint32_t pid, uint32_t obj, uint64_t arg);
extern TraceSink trace_sink_fn;
// Off unless a sink reads it: reading the clock for every event would cost a third of a
// channel round trip on the hosted backend, and a call per event is not free either.
inline void trace(TraceKind kind, uint32_t tid, uint32_t pid, uint32_t obj, uint64_t arg) {
    if (trace_sink_fn) trace_record(kind, tid, pid, obj, arg);
}
void trace_flush();

}  // namespace kernel
