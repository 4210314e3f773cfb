// The syscall path: one entry, one dispatch table built from the X-macro list in abi.h,
// and thin handlers that check every argument and then call the kernel object. Errors
// travel as kernel::Error and become a status here, once.
#include <new>

#include "abi.h"
#include "chan.h"
#include "kernel.h"
#include "ledger.h"
#include "registry.h"
#include "sched.h"
#include "uaccess.h"

namespace kernel {

namespace {

struct Args {
    uint64_t a[4];
};
using Handler = Result<int64_t> (*)(Thread* t, const Args& args);

bool on_own_stack(Thread* t, uintptr_t addr, uint64_t len) {
    return hal::Arch::context_stack_contains(t->ctx, addr, len);
}

// Whether [addr, addr+len) is code and constants of p's program: the backend's image for a
// built-in program, its own code for a loaded one (whose other pages it holds in the
// ledger, so uaccess accepts them as held pages).
bool in_image(const Process* p, uintptr_t addr, uint64_t len) {
    const uintptr_t begin = p->code_end ? p->code_begin : hal::Arch::image_begin();
    const uintptr_t end = p->code_end ? p->code_end : hal::Arch::image_end();
    return addr >= begin && addr + len <= end && addr + len >= addr;
}

template <class T>
T* ptr(uint64_t v) {
    return reinterpret_cast<T*>(v);
}

// Guards first: a value this thread checked lately needs no slab lookup (a ping-pong uses
// two channels, four checks a round trip).
Result<Channel*> chan_or_nil(Thread* t, uint64_t value) {
    if (value == 0) return static_cast<Channel*>(nullptr);
    if (t->chan_epoch == k.chan_epoch && (value == t->chans_checked[0] || value == t->chans_checked[1]))
        return reinterpret_cast<Channel*>(value);
    Channel* c = TRY(chan_from_user(t->proc, value));
    if (t->chan_epoch != k.chan_epoch) {
        t->chans_checked[0] = t->chans_checked[1] = 0;
        t->chan_epoch = k.chan_epoch;
    }
    t->chans_checked[1] = t->chans_checked[0];
    t->chans_checked[0] = value;
    return c;
}

Result<int64_t> sys_thread_spawn(Thread* t, const Args& a) {
    if (!in_image(t->proc, a.a[0], 1)) return Error::BAD_ADDRESS;
    Thread* n = TRY(thread_create(t->proc, reinterpret_cast<void (*)(uint64_t)>(a.a[0]), a.a[1], false));
    return static_cast<int64_t>(n->id);
}

Result<int64_t> sys_thread_exit(Thread* t, const Args&) {
    if (t->is_main) process_end(t->proc, 0, nullptr);
    thread_exit_current();
}

Result<int64_t> sys_yield(Thread*, const Args&) {
    yield_current();
    return 0;
}

Result<int64_t> sys_sleep(Thread* t, const Args& a) {
    if (a.a[0] == 0) {
        yield_current();
        return 0;
    }
    const uint64_t now = hal::Arch::now_ns();
    t->deadline = now + a.a[0] < now ? ~0ULL : now + a.a[0];
    if (t->proc->pauser == t) resume_others(t->proc);
    t->state = ThreadState::Sleeping;
    t->wait = WaitKind::Sleep;
    timer_insert(t);
    schedule();
    t->wait = WaitKind::None;
    return 0;
}

Result<int64_t> sys_now(Thread*, const Args&) {
    return static_cast<int64_t>(hal::Arch::now_ns());
}

Result<int64_t> sys_chan_make(Thread* t, const Args& a) {
    uint32_t len;
    if (a.a[2] && !type_encoding(a.a[2], &len)) return Error::BAD_ARGUMENT;  // a tag the kernel gave
    Channel* c = TRY(chan_make(t->proc, a.a[0], static_cast<int64_t>(a.a[1]), a.a[2]));
    return static_cast<int64_t>(reinterpret_cast<uintptr_t>(c));
}

Result<const goos_transfer*> transfer_arg(Thread* t, uint64_t v) {
    auto* d = ptr<const goos_transfer>(v);
    TRY_VOID(transfer_check(t, d));
    return d;
}

Result<int64_t> sys_chan_send(Thread* t, const Args& a) {
    Channel* c = TRY(chan_or_nil(t, a.a[0]));
    if (c && !user_readable(t, ptr<void>(a.a[1]), c->elem_size)) return Error::BAD_ADDRESS;
    const goos_transfer* d = TRY(transfer_arg(t, a.a[2]));
    return chan_send(t, c, ptr<void>(a.a[1]), d, a.a[3] & GOOS_NONBLOCK);
}

Result<int64_t> sys_chan_recv(Thread* t, const Args& a) {
    Channel* c = TRY(chan_or_nil(t, a.a[0]));
    if (c && a.a[1] && !user_writable(t, ptr<void>(a.a[1]), c->elem_size)) return Error::BAD_ADDRESS;
    return chan_recv(t, c, ptr<void>(a.a[1]), a.a[2] & GOOS_NONBLOCK);
}

Result<int64_t> sys_chan_close(Thread* t, const Args& a) {
    Channel* c = TRY(chan_or_nil(t, a.a[0]));
    TRY_VOID(chan_close(c));
    return 0;
}

// A select's cases and waiters: on the kernel stack for the common few, else in kernel
// pages charged to the process while the select runs (the thread keeps them, so a kill
// while it waits frees them: select_release).
constexpr uint32_t kStackCases = 16;

struct SelectFrame {
    SelectCase* cases;
    Waiter* waiters;
};

Result<SelectFrame> select_frame(Thread* t, uint32_t n, SelectCase* stack_cases, Waiter* stack_waiters) {
    if (n <= kStackCases) return SelectFrame{stack_cases, stack_waiters};
    const size_t bytes = size_t{n} * (sizeof(SelectCase) + sizeof(Waiter));
    const size_t npages = (bytes + kPageSize - 1) / kPageSize;
    Process* p = t->proc;
    if (p->over_budget(0, npages * kPageSize)) return Error::NO_MEMORY;
    void* mem = k.pages.alloc(npages, PageUse::Buffer);
    if (!mem) return Error::NO_MEMORY;
    p->kernel_bytes += npages * kPageSize;
    t->select_pages = mem;
    t->select_npages = static_cast<uint32_t>(npages);
    auto* waiters = static_cast<Waiter*>(mem);
    for (uint32_t i = 0; i < n; ++i) new (&waiters[i]) Waiter();
    return SelectFrame{reinterpret_cast<SelectCase*>(waiters + n), waiters};
}

Result<int64_t> sys_select(Thread* t, const Args& a) {
    const uint64_t n = a.a[1];
    if (n > GOOS_MAX_SELECT) return Error::BAD_SIZE;
    auto* ucases = ptr<goos_select_case>(a.a[0]);
    if (!aligned(ucases) || !user_writable(t, ucases, n * sizeof(goos_select_case))) return Error::BAD_ADDRESS;
    // Every case, and every array a send case names, is checked before any is read.
    for (uint64_t i = 0; i < n; ++i) {
        if (ucases[i].dir > 1) return Error::BAD_ARGUMENT;
        if (ucases[i].dir == 1) TRY_VOID(transfer_check(t, ucases[i].transfer));
    }
    SelectCase stack_cases[kStackCases];
    Waiter stack_waiters[kStackCases];
    const SelectFrame f = TRY(select_frame(t, static_cast<uint32_t>(n), stack_cases, stack_waiters));
    Result<int64_t> r = Error::OK;
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
        const goos_select_case& u = ucases[i];
        SelectCase& c = f.cases[i];
        auto ch = chan_or_nil(t, u.chan);
        if (!ch.ok()) {
            r = ch.error();
            break;
        }
        c.chan = ch.value();
        c.is_send = u.dir == 1;
        c.elem = u.elem;
        c.desc = c.is_send ? u.transfer : nullptr;
        const uint32_t size = c.chan ? c.chan->elem_size : 0;
        if (c.is_send ? !user_readable(t, u.elem, size) : u.elem && !user_writable(t, u.elem, size))
            r = Error::BAD_ADDRESS;
    }
    if (r.ok()) r = select(t, f.cases, f.waiters, static_cast<uint32_t>(n), a.a[2] & GOOS_SELECT_BLOCK, a.a[3]);
    const bool fired_recv = r.ok() && r.value() != GOOS_SELECT_DEFAULT && !f.cases[r.value()].is_send;
    select_release(t);
    if (!r.ok()) return r;
    if (fired_recv) {
        // The case array was checked before the wait; look again before writing to it.
        if (!user_writable(t, &ucases[r.value()].ok, sizeof ucases[r.value()].ok)) return Error::BAD_ADDRESS;
        ucases[r.value()].ok = t->ok ? 1 | (t->own ? GOOS_RECV_OWN : 0) : 0;
    }
    return r;
}

Result<const char*> name_arg(Thread* t, uint64_t p, uint64_t len) {
    if (len == 0 || len > GOOS_MAX_NAME) return Error::BAD_SIZE;
    if (!user_readable(t, ptr<const char>(p), len)) return Error::BAD_ADDRESS;
    return ptr<const char>(p);
}

Result<int64_t> sys_publish(Thread* t, const Args& a) {
    const char* name = TRY(name_arg(t, a.a[0], a.a[1]));
    Channel* c = TRY(chan_from_user(t->proc, a.a[2]));
    TRY_VOID(registry_publish(t->proc, name, static_cast<uint32_t>(a.a[1]), c));
    return 0;
}

// timeout: 0 = do not wait, ~0 = wait for ever, else nanoseconds.
Result<int64_t> sys_lookup(Thread* t, const Args& a) {
    const char* name = TRY(name_arg(t, a.a[0], a.a[1]));
    const uint64_t timeout = a.a[2];
    uint64_t deadline = 0;
    if (timeout != 0 && timeout != ~0ULL) {
        const uint64_t now = hal::Arch::now_ns();
        deadline = now + timeout < now ? ~0ULL - 1 : now + timeout;
    }
    Channel* c = TRY(registry_lookup(t, name, static_cast<uint32_t>(a.a[1]), timeout == 0, deadline));
    return static_cast<int64_t>(reinterpret_cast<uintptr_t>(c));
}

// a0: how many contiguous pages (0 means 1, for callers that pass nothing).
Result<int64_t> sys_page_alloc(Thread* t, const Args& a) {
    return static_cast<int64_t>(TRY(ledger_page_alloc(t->proc, a.a[0] ? a.a[0] : 1)));
}

Result<int64_t> sys_page_release(Thread* t, const Args& a) {
    TRY_VOID(ledger_page_release(t->proc, a.a[0]));
    return 0;
}

Result<int64_t> sys_type_intern(Thread* t, const Args& a) {
    if (a.a[1] > GOOS_MAX_TYPE_ENCODING) return Error::BAD_SIZE;
    const auto* enc = ptr<const uint8_t>(a.a[0]);
    if (!user_readable(t, enc, a.a[1])) return Error::BAD_ADDRESS;
    const uint64_t tag = TRY(type_intern(t->proc, enc, static_cast<uint32_t>(a.a[1])));
    return static_cast<int64_t>(tag);
}

Result<int64_t> sys_type_info(Thread* t, const Args& a) {
    uint32_t len = 0;
    const uint8_t* enc = type_encoding(a.a[0], &len);
    if (!enc) return Error::NOT_FOUND;
    const uint64_t n = a.a[2] < len ? a.a[2] : len;
    if (!user_writable(t, ptr<void>(a.a[1]), n)) return Error::BAD_ADDRESS;
    if (n) memcpy(ptr<void>(a.a[1]), enc, n);
    return static_cast<int64_t>(len);
}

Result<int64_t> sys_mark_begin(Thread* t, const Args&) {
    TRY_VOID(ledger_mark_begin(t->proc));
    return 0;
}

Result<int64_t> sys_mark_end(Thread* t, const Args& a) {
    if (a.a[1] > k.pages.npages()) return Error::BAD_SIZE;
    if (!user_readable(t, ptr<void>(a.a[0]), a.a[1] * sizeof(uint64_t))) return Error::BAD_ADDRESS;
    TRY_VOID(ledger_mark_end(t->proc, ptr<const uint64_t>(a.a[0]), static_cast<uint32_t>(a.a[1])));
    ledger_enforce_budget(t->proc);
    return 0;
}

Result<int64_t> sys_console_write(Thread* t, const Args& a) {
    if (a.a[1] > (1u << 20)) return Error::BAD_SIZE;
    if (!user_readable(t, ptr<void>(a.a[0]), a.a[1])) return Error::BAD_ADDRESS;
    hal::Arch::console_write(ptr<const char>(a.a[0]), a.a[1]);
    return static_cast<int64_t>(a.a[1]);
}

// Reads what the console has: bytes read, or 0 at the end of input. Without
// GOOS_CONSOLE_WAIT it returns WOULD_BLOCK when nothing has arrived; with it the thread
// waits for the device.
Result<int64_t> sys_console_read(Thread* t, const Args& a) {
    if (a.a[1] == 0 || a.a[1] > 4096) return Error::BAD_SIZE;
    if (!user_writable(t, ptr<void>(a.a[0]), a.a[1])) return Error::BAD_ADDRESS;
    for (;;) {
        const long n = hal::Arch::console_read(ptr<char>(a.a[0]), a.a[1]);
        if (n != 0) return n < 0 ? 0 : n;
        if (!(a.a[2] & GOOS_CONSOLE_WAIT)) return Error::WOULD_BLOCK;
        k.readers.push_back(t);
        hal::Arch::input_watch(true);
        block_current(WaitKind::Input, 0);
    }
}

// a0 = 1: the caller's other threads stop being scheduled (they stay runnable) until it
// calls again with 0, blocks or ends: a stop-the-world for its collector that leaves other
// processes running.
Result<int64_t> sys_pause_others(Thread* t, const Args& a) {
    if (a.a[0] > 1) return Error::BAD_ARGUMENT;
    if (a.a[0])
        pause_others(t);
    else
        resume_others(t->proc);
    return 0;
}

// Writes up to a1 goos_stack records at a0, one per thread of the caller's process, and
// returns how many threads there are: the stacks a conservative collector scans. The
// caller's own comes first, whole (it is running: only it knows its stack pointer); the
// others from their saved stack pointers.
Result<int64_t> sys_thread_stacks(Thread* t, const Args& a) {
    auto* out = ptr<goos_stack>(a.a[0]);
    const uint64_t cap = a.a[1];
    if (cap > (uint64_t{1} << 32)) return Error::BAD_SIZE;  // Go allows millions of goroutines
    if (cap && (!aligned(out) || !user_writable(t, out, cap * sizeof(goos_stack)))) return Error::BAD_ADDRESS;
    Process* p = t->proc;
    uint64_t n = 1;
    uintptr_t bottom = 0, sp = 0, top = 0;
    if (cap) {
        hal::Arch::context_stack(t->ctx, &bottom, &sp, &top);
        out[0] = {bottom, top};
    }
    for (Thread* u = p->threads.front(); u; u = p->threads.next(u)) {
        if (u == t) continue;
        if (n < cap) {
            hal::Arch::context_stack(u->ctx, &bottom, &sp, &top);
            out[n] = {sp, top};
        }
        ++n;
    }
    return static_cast<int64_t>(n);
}

// a0: the function a fault in the caller's program code is sent to (in its code; 0: none),
// so that the runtime can turn it into a panic the program may recover (hal.h, on_fault);
// a1: the function a call of a method the program does not have goes to (methods.h).
Result<int64_t> sys_fault_entry(Thread* t, const Args& a) {
    for (int i = 0; i < 2; ++i)
        if (a.a[i] && (!t->proc->code_end || a.a[i] < t->proc->code_begin || a.a[i] >= t->proc->code_end))
            return Error::BAD_ADDRESS;
    t->proc->fault_entry = a.a[0];
    t->proc->method_missing = a.a[1];
    methods_switch(t->proc);
    return 0;
}

// Descriptors a program names are the type segment's; anything else is refused.
Result<int64_t> sys_method_table(Thread* t, const Args& a) {
    const auto* inter = reinterpret_cast<const goos_go::Type*>(a.a[0]);
    const auto* type = reinterpret_cast<const goos_go::Type*>(a.a[1]);
    if (!type_is_descriptor(inter) || !type_is_descriptor(type)) return Error::BAD_ARGUMENT;
    const goos_go::String* missing = nullptr;
    const void* table = TRY(method_table(t->proc, inter, type, &missing));
    return static_cast<int64_t>(reinterpret_cast<uintptr_t>(table));
}

Result<int64_t> sys_method_info(Thread* t, const Args& a) {
    const goos_go::Type *type = nullptr, *mtype = nullptr;
    const goos_go::String *name = nullptr, *pkg = nullptr;
    if (a.a[0] > UINT32_MAX || !method_identity(static_cast<uint32_t>(a.a[0]), &type, &name, &pkg, &mtype))
        return Error::NOT_FOUND;
    char line[256];
    Buf out(line, sizeof line);
    const goos_go::String* sig = mtype->string;
    // "func(int) string" names the method's signature as "(int) string".
    out.str(reinterpret_cast<const char*>(type->string->ptr), static_cast<size_t>(type->string->len))
        .str(" has no method ")
        .str(reinterpret_cast<const char*>(name->ptr), static_cast<size_t>(name->len));
    if (sig->len > 4) out.str(reinterpret_cast<const char*>(sig->ptr) + 4, static_cast<size_t>(sig->len) - 4);
    out.str(" in this program");
    const uint64_t n = a.a[2] < out.size() ? a.a[2] : out.size();
    if (!user_writable(t, ptr<void>(a.a[1]), n)) return Error::BAD_ADDRESS;
    if (n) memcpy(ptr<void>(a.a[1]), line, n);
    return static_cast<int64_t>(out.size());
}

// The fault entry took over: another fault of this thread goes to it again.
Result<int64_t> sys_fault_handled(Thread* t, const Args&) {
    t->in_fault = false;
    return 0;
}

Result<int64_t> sys_exit(Thread* t, const Args& a) {
    process_end(t->proc, static_cast<int>(a.a[0] & 0xff), nullptr);
    __builtin_unreachable();
}

// An unrecovered panic: Go's message and the goroutine, then status 2.
// a2, a3: the goroutine's stack as the runtime names it (may be empty), printed after the
// goroutine line as Go prints a traceback.
Result<int64_t> sys_panic(Thread* t, const Args& a) {
    const uint64_t len = a.a[1] > 1024 ? 1024 : a.a[1];
    if (!user_readable(t, ptr<void>(a.a[0]), len)) return Error::BAD_ADDRESS;
    const uint64_t frames_len = a.a[3] > 2048 ? 2048 : a.a[3];
    if (!user_readable(t, ptr<void>(a.a[2]), frames_len)) return Error::BAD_ADDRESS;
    char data[3500];
    Buf out(data, sizeof data);
    out.str("panic: ").str(ptr<const char>(a.a[0]), len).str("\n\ngoroutine ").unum(t->id).str(" [running]:\n");
    out.str(ptr<const char>(a.a[2]), frames_len);
    out.str("[process ").unum(t->pid).str(" (").str(t->proc->name).str(") exited with status 2]\n");
    process_end(t->proc, 2, out.c_str());
    __builtin_unreachable();
}

// The write barrier's slow path (abi.h): grant, then store, so that nothing stored is
// visible before its grant.
Result<int64_t> sys_barrier_store(Thread* t, const Args& a) {
    void* dst = ptr<void>(a.a[0]);
    const void* src = ptr<const void>(a.a[1]);
    const uint64_t len = a.a[2];
    if (len == 0) return 0;  // nothing stored, nothing to grant
    if (!user_writable(t, dst, len) || !user_readable(t, src, len)) return Error::BAD_ADDRESS;
    const goos_transfer* d = TRY(transfer_arg(t, a.a[3]));
    TRY_VOID(ledger_expose(t, a.a[0], len, d));
    memmove(dst, src, len);
    return 0;
}

Result<int64_t> sys_collect_wait(Thread* t, const Args& a) {
    Process* p = t->proc;
    if (!p->info || (p->ask_waiter && p->ask_waiter != t)) return Error::BAD_ARGUMENT;
    if (p->info->collect_asks == a.a[0]) {
        p->ask_waiter = t;
        block_current(WaitKind::Ask, 0);
        if (p->ask_waiter == t) p->ask_waiter = nullptr;
    }
    return static_cast<int64_t>(p->info->collect_asks & ~(1ULL << 63));
}

// What the caller's budget is charged with, in bytes (DESIGN.md, "Charging"): its share of
// the pages it holds, and the kernel memory it made.
Result<int64_t> sys_charged(Thread* t, const Args&) {
    const Process* p = t->proc;
    return static_cast<int64_t>(p->charge * kPageSize / kChargeUnit + p->kernel_bytes);
}

Result<int64_t> sys_getpid(Thread* t, const Args&) {
    return static_cast<int64_t>(t->pid);
}

Result<int64_t> sys_watch(Thread* t, const Args& a) {
    if (a.a[0] > 0xffffffffULL) return Error::NOT_FOUND;
    Channel* c = TRY(chan_make(t->proc, 0, 0));
    c->watch_pid = static_cast<uint32_t>(a.a[0]);
    if (process_by_pid(c->watch_pid))
        k.watches.push_back(c);
    else
        (void)chan_close(c);  // already ended: closed at once
    return static_cast<int64_t>(reinterpret_cast<uintptr_t>(c));
}

// Local channels (abi.h, GOOS_CHAN_SHARED_WORD).
Result<int64_t> sys_chan_peek(Thread* t, const Args& a) {
    Channel* c = TRY(chan_from_user(t->proc, a.a[0]));
    const uint64_t n = a.a[2] < c->unwalked ? a.a[2] : c->unwalked;
    if (!user_writable(t, ptr<void>(a.a[1]), n * c->elem_size)) return Error::BAD_ADDRESS;
    return static_cast<int64_t>(chan_peek(c, ptr<uint8_t>(a.a[1]), n));
}

Result<int64_t> sys_chan_seal(Thread* t, const Args& a) {
    const uint64_t n = a.a[1];
    if (n > GOOS_MAX_TRANSFER) return Error::BAD_SIZE;
    const auto* seals = ptr<const goos_seal>(a.a[0]);
    if (!aligned(seals) || !user_readable(t, seals, n * sizeof(goos_seal))) return Error::BAD_ADDRESS;
    for (uint64_t i = 0; i < n; ++i) {
        TRY(chan_from_user(t->proc, seals[i].chan));
        TRY_VOID(transfer_check(t, seals[i].desc));
    }
    TRY_VOID(ledger_seal(t, seals, static_cast<uint32_t>(n)));
    return 0;
}

// After two stale walks (abi.h, walk_join).
Result<int64_t> sys_walk_join(Thread* t, const Args& a) {
    const auto* pages = ptr<const uint64_t>(a.a[0]);
    const uint64_t n = a.a[1];
    if (!pages && n == 0) {
        ledger_join_release(t);
        return 0;
    }
    if (n > GOOS_MAX_TRANSFER) return Error::BAD_SIZE;
    if (!aligned(pages) || !user_readable(t, pages, n * sizeof(uint64_t))) return Error::BAD_ADDRESS;
    TRY_VOID(ledger_join(t, pages, static_cast<uint32_t>(n)));
    return 0;
}

Result<int64_t> sys_chan_roots(Thread* t, const Args& a) {
    if (!user_writable(t, ptr<void>(a.a[0]), a.a[1])) return Error::BAD_ADDRESS;
    return static_cast<int64_t>(chan_roots(t->proc, ptr<uint8_t>(a.a[0]), a.a[1]));
}

constexpr Handler kTable[] = {
#define GOOS_X(name, nargs) &sys_##name,
    GOOS_SYSCALLS(GOOS_X)
#undef GOOS_X
};
static_assert(sizeof kTable / sizeof kTable[0] == GOOS_SYS_COUNT);

}  // namespace

void on_input() {
    while (Thread* t = k.readers.pop_front()) wake(t, 0);
    hal::Arch::input_watch(false);
}

bool user_readable(Thread* t, const void* p, uint64_t len) {
    const auto addr = reinterpret_cast<uintptr_t>(p);
    if (len == 0) return true;
    if (addr == 0 || addr + len < addr || len > (1ULL << 32)) return false;
    return on_own_stack(t, addr, len) || in_image(t->proc, addr, len) || ledger_range_held(t->proc, addr, len);
}

bool user_writable(Thread* t, const void* p, uint64_t len) {
    const auto addr = reinterpret_cast<uintptr_t>(p);
    if (len == 0) return true;
    if (addr == 0 || addr + len < addr || len > (1ULL << 32)) return false;
    return on_own_stack(t, addr, len) || ledger_range_held(t->proc, addr, len);
}

int64_t syscall_entry(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3) {
    hal::Arch::kernel_enter();
    Thread* t = k.current;
    int64_t status;
    if (!t || !k.running) {
        status = GOOS_BAD_SYSCALL;
    } else if (nr >= GOOS_SYS_COUNT) {
        ++k.stats.syscalls;
        status = GOOS_BAD_SYSCALL;
    } else {
        ++k.stats.syscalls;
        const Args args{{a0, a1, a2, a3}};
        const Result<int64_t> r = kTable[nr](t, args);
        status = r.ok() ? r.value() : to_status(r.error());
    }
    ledger_settle_orphans();
    kernel_exit();
    return status;
}

}  // namespace kernel
