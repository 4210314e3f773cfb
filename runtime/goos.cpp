// The calls behind package goos (runtime/go/goos): the registry with types, watch, exit.
//
// A channel carries the kernel's tag for its Go type in word 2 (chantype.h). Lookup turns it
// back into a descriptor of the looking-up program, so that a type assertion on the result
// compares this program's own descriptors and no code depends on another program's image.
#include "chantype.h"
#include "transfer.h"

using namespace goos_rt;

namespace {

constexpr int64_t kNotChannel = -1000;  // runtime/go/goos: statusNotChannel

}  // namespace

extern "C" {

int64_t goos_publish(String name, Eface ch) GO_SYM("goos.publish");
int64_t goos_publish(String name, Eface ch) {
    if (!ch.type || (ch.type->kind & kKindMask) != kChan || !ch.data) return kNotChannel;
    // A local channel's unwalked values are sealed before it is shared (abi.h, chan_seal).
    Outgoing out;
    return transfer_retrying([&](WalkMode& mode) {
        if (mode.seal) {
            const goos_transfer* d = transfer_prepare_values(ch.type, &ch.data, 1, &out, mode);
            if (d && (d->flags & GOOS_TRANSFER_FUNCS)) return static_cast<int64_t>(GOOS_CODE_VALUE);
        }
        return sys(GOOS_SYS_publish, u(name.ptr), static_cast<uint64_t>(name.len), u(ch.data));
    });
}

// timeout: -1 waits for ever, 0 does not wait, else nanoseconds.
int64_t goos_lookup(String name, int64_t timeout, Eface* out) GO_SYM("goos.lookup");
int64_t goos_lookup(String name, int64_t timeout, Eface* out) {
    const uint64_t wait = timeout < 0 ? ~0ULL : static_cast<uint64_t>(timeout);
    const int64_t r = sys(GOOS_SYS_lookup, u(name.ptr), static_cast<uint64_t>(name.len), wait);
    if (r < 0) return r;
    // The channel's type is the type segment's: a program whose type of the same name has
    // other fields has another type, and its assertion to that type fails as Go's does.
    out->type = tag_type(chan_tag(reinterpret_cast<const void*>(r)));
    out->data = reinterpret_cast<void*>(r);
    return 0;
}

void* goos_watch(intptr_t pid) GO_SYM("goos.watch");
void* goos_watch(intptr_t pid) {
    // A pid no process can have gets a channel closed at once, as one that already ended.
    const uint64_t arg = pid < 0 || pid > 0xfffffffe ? 0xffffffffULL : static_cast<uint64_t>(pid);
    const int64_t r = sys(GOOS_SYS_watch, arg);
    if (r < 0) fatal_panic("goos: Watch: out of memory");
    return reinterpret_cast<void*>(r);
}

[[noreturn]] void goos_exit(intptr_t code) GO_SYM("goos.exit");
void goos_exit(intptr_t code) {
    sys(GOOS_SYS_exit, static_cast<uint64_t>(code));
    __builtin_unreachable();
}

// A slice argument is a 24-byte aggregate: SysV passes it in memory, like this struct.
int64_t goos_read_console(Slice p) GO_SYM("goos.readConsole");

}  // extern "C"

// What the console has typed into p, waiting for it (at most 4 KiB); 0 at the end of input.
int64_t goos_rt::console_read(Slice p) {
    if (p.len <= 0) return 0;
    const int64_t r =
        sys(GOOS_SYS_console_read, u(p.ptr), static_cast<uint64_t>(p.len > 4096 ? 4096 : p.len), GOOS_CONSOLE_WAIT);
    if (r < 0) fatal_panic("runtime: console read into memory outside the program");
    return r;
}

extern "C" {
int64_t goos_read_console(Slice p) {
    return console_read(p);
}

String goos_status_text_go(int64_t status) GO_SYM("goos.statusText");
String goos_status_text_go(int64_t status) {
    const char* text = goos_status_text(status);
    return {reinterpret_cast<const uint8_t*>(text), static_cast<intptr_t>(cstrlen(text))};
}
}
