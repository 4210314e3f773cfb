// Chrome trace-event JSON from the kernel's trace ring: a track per thread with its run
// slices, channel traffic as instant events, process lifetimes as slices of their own.
#include <stdio.h>

#include <map>
#include <string>

#include "scenarios.h"

namespace sim {

class TraceWriter {
public:
    explicit TraceWriter(FILE* f) : f_(f) { fputs("{\"traceEvents\":[\n", f_); }
    ~TraceWriter() {
        fputs("\n]}\n", f_);
        fclose(f_);
    }
    void event(const kernel::TraceEvent& e) {
        using kernel::TraceKind;
        const double us = static_cast<double>(e.time) / 1000.0;
        switch (static_cast<TraceKind>(e.kind)) {
            case TraceKind::ThreadRun: run_start_[e.tid] = {us, e.pid}; break;
            case TraceKind::ThreadStop: {
                auto it = run_start_.find(e.tid);
                if (it == run_start_.end()) break;
                static const char* why[] = {"blocked", "yield", "preempted", "exit"};
                emit("{\"name\":\"run\",\"ph\":\"X\",\"ts\":%.3f,\"dur\":%.3f,\"pid\":%u,\"tid\":%u,"
                     "\"args\":{\"end\":\"%s\"}}",
                     it->second.first, us - it->second.first, it->second.second, e.tid, why[e.arg & 3]);
                run_start_.erase(it);
                break;
            }
            case TraceKind::ProcStart:
                proc_start_[e.pid] = us;
                emit("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%u,\"args\":{\"name\":\"%s (pid %u)\"}}",
                     e.pid, names_[e.pid].c_str(), e.pid);
                break;
            case TraceKind::ProcEnd:
                emit("{\"name\":\"process\",\"ph\":\"X\",\"ts\":%.3f,\"dur\":%.3f,\"pid\":%u,\"tid\":0,"
                     "\"args\":{\"status\":%lu}}",
                     proc_start_[e.pid], us - proc_start_[e.pid], e.pid, static_cast<unsigned long>(e.arg));
                break;
            default: {
                static const char* names[] = {"run",  "stop", "start", "end",     "chan make",
                                              "send", "recv", "close", "publish", "deadlock"};
                emit("{\"name\":\"%s\",\"ph\":\"i\",\"s\":\"t\",\"ts\":%.3f,\"pid\":%u,\"tid\":%u,"
                     "\"args\":{\"chan\":%u,\"arg\":%lu}}",
                     names[e.kind % 10], us, e.pid, e.tid, e.obj, static_cast<unsigned long>(e.arg));
            }
        }
    }

    void name_process(uint32_t pid, const char* name) { names_[pid] = name; }

private:
    template <class... A>
    void emit(const char* fmt, A... args) {
        if (!first_) fputs(",\n", f_);
        first_ = false;
        fprintf(f_, fmt, args...);
    }
    FILE* f_;
    bool first_ = true;
    std::map<uint32_t, std::pair<double, uint32_t>> run_start_;
    std::map<uint32_t, double> proc_start_;
    std::map<uint32_t, std::string> names_;
};

TraceWriter* trace_open(const std::string& path) {
    FILE* f = fopen(path.c_str(), "w");
    return f ? new TraceWriter(f) : nullptr;
}

// Runs inside the kernel section; host stdio is safe here since the tick is deferred.
void trace_sink(const kernel::TraceEvent* events, size_t n, void* ctx) {
    auto* w = static_cast<TraceWriter*>(ctx);
    for (size_t i = 0; i < n; ++i) w->event(events[i]);
}

void trace_close(TraceWriter* w) { delete w; }

void trace_name_process(TraceWriter* w, uint32_t pid, const char* name) { w->name_process(pid, name); }

}  // namespace sim
