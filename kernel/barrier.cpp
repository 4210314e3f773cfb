// The write barrier's fast paths (barrier.h). Written in assembly so that the restart
// ranges are exact: each range ends right after its one store, and nothing the range
// computes survives a restart except its arguments and the loop's count of words done.
#include "barrier.h"

// Read by the sequences below, one RIP-relative load away; defined in the assembly so that
// link-time optimisation neither drops nor renames them.
extern "C" {
extern uintptr_t goos_barrier_pool_base;
extern uint64_t goos_barrier_pool_bytes;
extern const uint64_t* goos_barrier_shared_bits;
extern uint64_t (*goos_barrier_hook)();
extern const char goos_barrier_store_begin[], goos_barrier_store_end[];
extern const char goos_barrier_copy_begin[], goos_barrier_copy_end[];
}

// Tests the shared bit of the page of the address in %r8 (%r8 to %r10 clobbered): a jump
// to `shared` when it is set, to `plain` when the address lies outside the pool (a stack,
// a built-in program's image: never shared), else on.
#define GOOS_TEST_SHARED(plain, shared)            \
    "  sub goos_barrier_pool_base(%rip), %r8\n"    \
    "  cmp goos_barrier_pool_bytes(%rip), %r8\n"   \
    "  jae " plain                                 \
    "\n"                                           \
    "  shr $12, %r8\n"                             \
    "  mov %r8, %r9\n"                             \
    "  shr $6, %r9\n"                              \
    "  mov goos_barrier_shared_bits(%rip), %r10\n" \
    "  mov (%r10,%r9,8), %r9\n"                    \
    "  bt %r8, %r9\n"                              \
    "  jc " shared "\n"

asm(R"(
  .bss
  .balign 8
  .globl goos_barrier_pool_base, goos_barrier_pool_bytes, goos_barrier_shared_bits
  .hidden goos_barrier_pool_base, goos_barrier_pool_bytes, goos_barrier_shared_bits
goos_barrier_pool_base: .zero 8
goos_barrier_pool_bytes: .zero 8
goos_barrier_shared_bits: .zero 8
  .globl goos_barrier_hook
  .hidden goos_barrier_hook
goos_barrier_hook: .zero 8

  .text
  .globl goos_barrier_store
  .type goos_barrier_store, @function
goos_barrier_store:
  .globl goos_barrier_store_begin
  .hidden goos_barrier_store_begin
goos_barrier_store_begin:
  mov %rdi, %r8
)" GOOS_TEST_SHARED("1f", "2f") R"(
1:
  cmpq $0, goos_barrier_hook(%rip)
  jne 6f
7:
  mov %rsi, (%rdi)
  .globl goos_barrier_store_end
  .hidden goos_barrier_store_end
goos_barrier_store_end:
  ret
2:
  jmp *%rdx
6:
  push %rdi
  push %rsi
  push %rdx
  call *goos_barrier_hook(%rip)
  pop %rdx
  pop %rsi
  pop %rdi
  test %rax, %rax
  jnz goos_barrier_store_begin
  jmp 7b
  .size goos_barrier_store, .-goos_barrier_store

  .globl goos_barrier_copy
  .type goos_barrier_copy, @function
goos_barrier_copy:
  xor %eax, %eax
3:
  cmp %rdx, %rax
  jae 5f
  .globl goos_barrier_copy_begin
  .hidden goos_barrier_copy_begin
goos_barrier_copy_begin:
  lea (%rdi,%rax,8), %r8
)" GOOS_TEST_SHARED("4f", "5f") R"(
4:
  cmpq $0, goos_barrier_hook(%rip)
  jne 8f
9:
  mov (%rsi,%rax,8), %r8
  mov %r8, (%rdi,%rax,8)
  .globl goos_barrier_copy_end
  .hidden goos_barrier_copy_end
goos_barrier_copy_end:
  inc %rax
  jmp 3b
5:
  ret
8:
  push %rax
  push %rdi
  push %rsi
  push %rdx
  sub $8, %rsp
  call *goos_barrier_hook(%rip)
  add $8, %rsp
  mov %rax, %r8
  pop %rdx
  pop %rsi
  pop %rdi
  pop %rax
  test %r8, %r8
  jnz goos_barrier_copy_begin
  jmp 9b
  .size goos_barrier_copy, .-goos_barrier_copy
)");

namespace kernel {

void barrier_init(uintptr_t pool_base, uint64_t pool_pages, const uint64_t* shared_bits, uint64_t (*hook)()) {
    goos_barrier_hook = hook;
    goos_barrier_pool_base = pool_base;
    goos_barrier_pool_bytes = pool_pages * GOOS_PAGE_SIZE;
    goos_barrier_shared_bits = shared_bits;
}

uintptr_t barrier_restart_pc(uintptr_t pc) {
    const auto in = [pc](const char* begin, const char* end) {
        return pc >= reinterpret_cast<uintptr_t>(begin) && pc < reinterpret_cast<uintptr_t>(end);
    };
    if (in(goos_barrier_store_begin, goos_barrier_store_end))
        return reinterpret_cast<uintptr_t>(goos_barrier_store_begin);
    if (in(goos_barrier_copy_begin, goos_barrier_copy_end)) return reinterpret_cast<uintptr_t>(goos_barrier_copy_begin);
    return pc;
}

}  // namespace kernel
