// Built-in programs that goos-sim's scenarios boot. Each is `void entry(uint64_t arg)`,
// started as a process's first thread; it reaches the kernel only through user.h.
#pragma once

#include <stdint.h>

namespace programs {

void keyboard(uint64_t keys);     // publishes "keyboard", types the text at `keys` (const char*), or the console's input when 0
void shell(uint64_t lines);       // subscribes to "keyboard", echoes `lines` lines
void pong(uint64_t);              // publishes "pong", answers n with n+1 until closed
void ping(uint64_t rounds);       // round trips through "pong"
void spinner(uint64_t iterations);  // a loop that never calls the kernel
void producer(uint64_t);  // sends a page of its own to "work"
void crasher(uint64_t);           // receives objects from "work", then panics holding them
void deadlocker(uint64_t);        // waits on a channel no one else can reach
void nil_deref(uint64_t);         // dereferences nil

}  // namespace programs
