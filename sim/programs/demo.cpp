#include "programs.h"

#include "user.h"

namespace programs {

using user::Chan;

namespace {

// Sends one key to every subscriber, taking in new subscribers first (waiting for the
// first one when there is none yet).
void type_key(Chan subscribe, Chan* subscribers, int& nsub, uint8_t key) {
    Chan c;
    while (nsub < 8 && user::recv(subscribe, &c, true) == 1) subscribers[nsub++] = c;
    if (nsub == 0 && user::recv(subscribe, &c) == 1) subscribers[nsub++] = c;
    for (int s = 0; s < nsub; ++s) user::send(subscribers[s], key);
}

}  // namespace

void keyboard(uint64_t keys) {
    // Clients subscribe by sending their own `chan byte` over this channel.
    const Chan subscribe = user::make_chan(sizeof(Chan), 4);
    user::publish("keyboard", subscribe);
    Chan subscribers[8];
    int nsub = 0;
    size_t typed = 0;
    if (keys) {  // scripted: a key every 2 ms
        for (const char* text = reinterpret_cast<const char*>(keys); text[typed]; ++typed) {
            type_key(subscribe, subscribers, nsub, static_cast<uint8_t>(text[typed]));
            user::sleep_ns(2'000'000);
        }
    } else {  // the console, until its input ends (or Ctrl-D on a keyboard that has no end)
        user::print("keyboard: reading the console; type lines, end with Ctrl-D\n");
        if (user::recv(subscribe, &subscribers[0]) == 1) nsub = 1;  // someone to type to
        char buf[64];
        for (bool more = true; more;) {
            const int64_t n = user::sys(GOOS_SYS_console_read, user::u(buf), sizeof buf, GOOS_CONSOLE_WAIT);
            more = n > 0;
            for (int64_t i = 0; i < n && more; ++i) {
                if (buf[i] == 4) {  // Ctrl-D
                    more = false;
                } else {
                    type_key(subscribe, subscribers, nsub, static_cast<uint8_t>(buf[i]));
                    ++typed;
                }
            }
        }
    }
    for (int s = 0; s < nsub; ++s) user::close(subscribers[s]);
    user::print("keyboard: typed %zu keys to %d subscriber(s)\n", typed, nsub);
}

void shell(uint64_t) {
    const int64_t kb = user::lookup("keyboard");
    if (kb < 0) user::panic("shell: no keyboard");
    const Chan keys = user::make_chan(1, 16);
    // Send our own channel: the driver comes to hold it.
    const uint64_t chans[1] = {keys};
    goos_transfer x{};
    x.chans = chans;
    x.nchans = 1;
    user::send(static_cast<Chan>(kb), keys, &x);
    char line[128];
    size_t n = 0;
    uint8_t key;
    while (user::recv(keys, &key) == 1) {
        if (key == '\n' || n == sizeof line - 1) {
            line[n] = 0;
            user::print("shell: $ %s\n", line);
            n = 0;
        } else {
            line[n++] = static_cast<char>(key);
        }
    }
    user::print("shell: keyboard closed, bye\n");
}

void pong(uint64_t) {
    const Chan requests = user::make_chan(sizeof(uint64_t), 0);
    user::publish("pong", requests);
    Chan reply;
    if (user::recv(requests, &reply) != 1) return;
    uint64_t v;
    uint64_t served = 0;
    while (user::recv(requests, &v) == 1) {
        user::send(reply, v + 1);
        ++served;
    }
    user::print("pong: served %lu round trips\n", static_cast<unsigned long>(served));
}

void ping(uint64_t rounds) {
    const Chan requests = static_cast<Chan>(user::lookup("pong"));
    const Chan reply = user::make_chan(sizeof(uint64_t), 0);
    const uint64_t chans[1] = {reply};
    goos_transfer x{};
    x.chans = chans;
    x.nchans = 1;
    user::send(requests, reply, &x);
    const uint64_t start = user::now_ns();
    for (uint64_t i = 0; i < rounds; ++i) {
        uint64_t back = 0;
        user::send(requests, i);
        if (user::recv(reply, &back) != 1 || back != i + 1) user::panic("ping: wrong reply");
    }
    const uint64_t took = user::now_ns() - start;
    user::close(requests);
    user::print("ping: %lu round trips across two processes, %lu ns each\n", static_cast<unsigned long>(rounds),
                static_cast<unsigned long>(rounds ? took / rounds : 0));
}

void spinner(uint64_t iterations) {
    volatile uint64_t sum = 0;
    for (uint64_t i = 0; i < iterations; ++i) sum = sum + i;
    user::print("spinner: %lu iterations without a kernel call, and the others kept running\n",
                static_cast<unsigned long>(iterations));
}

void producer(uint64_t) {
    const Chan work = user::make_chan(sizeof(uint64_t), 1);
    user::publish("work", work);
    const uint64_t page = user::page_alloc();
    // Hand the page over: the crasher will hold it, and until then the message does.
    goos_transfer x{};
    x.pages = &page;
    x.npages = 1;
    user::send(work, page, &x);
    // While another program may hold pointers into the page, its origin hands out no fresh
    // slot on it and frees nothing on it.
    const bool shared = user::page_shared(page);
    const Chan peer_end = user::watch(static_cast<int64_t>(user::pid()) + 1);
    uint8_t dummy;
    user::recv(peer_end, &dummy);  // closed when the crasher ends
    // The crasher holds nothing any more: the page is the producer's alone again.
    user::print("producer: page shared while the crasher held it (%s), not after it ended (%s)\n",
                shared ? "shared" : "clean", user::page_shared(page) ? "shared" : "clean");
    user::page_release(page);
}

void crasher(uint64_t) {
    const Chan work = static_cast<Chan>(user::lookup("work"));
    uint64_t page = 0;
    user::recv(work, &page);
    user::panic("crasher: gave up while holding a page it received");
}

void deadlocker(uint64_t) {
    const Chan c = user::make_chan(sizeof(int), 0);
    int v;
    user::recv(c, &v);  // no one else can ever send
}

void nil_deref(uint64_t) {
    volatile int* p = nullptr;
    *p = 1;
}

}  // namespace programs
