#include "registry.h"

#include "kernel.h"
#include "sched.h"

namespace kernel {

namespace {
Slab<NameEntry, SlabType::Name> entries;
List<NameEntry, &NameEntry::link> names;

NameEntry* find(const char* name, uint32_t len) {
    for (NameEntry* e = names.front(); e; e = names.next(e))
        if (kstreq(e->name, e->len, name, len)) return e;
    return nullptr;
}
}  // namespace

void registry_reset() {
    names.clear();
    entries.reset();
}

Result<void> registry_publish(Process* p, const char* name, uint32_t len, Channel* c) {
    if (len == 0 || len > GOOS_MAX_NAME) return Error::BAD_SIZE;
    if (find(name, len)) return Error::NAME_TAKEN;
    TRY_VOID(chan_may_share(c));
    NameEntry* e = entries.create(k.pages);
    if (!e) return Error::NO_MEMORY;
    memcpy(e->name, name, len);
    e->len = len;
    e->chan = c;
    e->publisher = p;
    names.push_back(e);
    ++c->published;
    chan_now_shared(c);
    trace(TraceKind::Publish, k.current ? k.current->id : 0, p->pid, c->id, 0);
    // Hand the channel to every thread waiting for this name.
    for (Thread* t = k.lookups.front(); t;) {
        Thread* next = k.lookups.next(t);
        if (kstreq(t->lookup_name, t->lookup_len, name, len)) {
            k.lookups.remove(t);
            chan_hold(c, t->proc->bit());
            c->grant_seq = k.ledger_seq + 1;
            t->proc->granted(kChanHeaderBytes);
            t->lookup_result = reinterpret_cast<uint64_t>(c);
            wake(t, 0);
        }
        t = next;
    }
    return {};
}

Result<Channel*> registry_lookup(Thread* t, const char* name, uint32_t len, bool no_wait, uint64_t deadline) {
    if (len == 0 || len > GOOS_MAX_NAME) return Error::BAD_SIZE;
    if (NameEntry* e = find(name, len)) {
        chan_hold(e->chan, t->proc->bit());
        e->chan->grant_seq = k.ledger_seq + 1;
        t->proc->granted(kChanHeaderBytes);
        return e->chan;
    }
    if (no_wait) return Error::NOT_FOUND;
    // The name stays readable on the caller's stack while it waits.
    char copy[GOOS_MAX_NAME + 1];
    memcpy(copy, name, len);
    t->lookup_name = copy;
    t->lookup_len = len;
    t->lookup_result = 0;
    k.lookups.push_back(t);
    block_current(WaitKind::Lookup, deadline);
    t->lookup_name = nullptr;
    if (t->wake_status != 0) return static_cast<Error>(t->wake_status);
    return reinterpret_cast<Channel*>(t->lookup_result);
}

void registry_drop(Process* p) {
    for (NameEntry* e = names.front(); e;) {
        NameEntry* next = names.next(e);
        if (e->publisher == p) {
            --e->chan->published;
            chan_maybe_dead(e->chan);
            names.remove(e);
            entries.destroy(e);
        }
        e = next;
    }
}

const char* registry_name_of(const Channel* c) {
    for (NameEntry* e = names.front(); e; e = names.next(e))
        if (e->chan == c) return e->name;
    return nullptr;
}

}  // namespace kernel
