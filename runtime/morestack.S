/* Split stacks (DESIGN.md, "Thread"; GCCGO.md, "Split stacks"): what a -fsplit-stack
   function calls when its frame would reach below the limit at %fs:0x70.

   gccgo's prologue is
       cmpq %fs:0x70, %rsp          (or leaq -FRAME(%rsp), %r11; cmpq %fs:0x70, %r11)
       jb   grow
     body: ...
     grow:
       movq %r10, %rax              (only when the function takes a closure: %r10 is ours now)
       movl $FRAME, %r10d           the bytes the frame needs
       movl $ARGS, %r11d            the bytes of arguments the caller passed on the stack
       call __morestack
       ret
       movq %rax, %r10; jmp body
   so on entry (%rsp) is the address of that `ret`, 8(%rsp) the return into the function's
   caller and 16(%rsp) the caller's stack arguments. __morestack gets a segment big enough
   (goos_rt_stack_grow, stack.cpp, which also moves the limit), copies the stack arguments
   to its top, and calls the function's body (the byte after the `ret`) there with the
   argument registers as they came. When the body returns, goos_rt_stack_release moves the
   limit back, and __morestack returns to the `ret`, which returns to the caller.

   The unwinder (panics, recover, tracebacks) steps from the body straight to the caller:
   the return address it takes is the caller's (16 bytes above the saved %rbp) and the
   caller's stack pointer is the one past it. A recovery that unwinds past this frame never
   runs its second half; goos_rt_stack_resync puts the limit right instead (stack.cpp).

   gold rewrites a split-stack function that calls code built without split stacks and not
   marked as this file is (libgcc's unwinder) so that its prologue always calls
   __morestack_non_split, which returns straight into the body when the frame and 16 KiB
   more fit above the limit, and grows a segment with room for both when not: such code
   always has 16 KiB, plus the reserve below the limit (GOOS_STACK_RESERVE), to run in. */
        .text
        .globl  __morestack_non_split
        .hidden __morestack_non_split
        .type   __morestack_non_split, @function
__morestack_non_split:
        .cfi_startproc
        pushq   %rax            /* the caller's closure, maybe */
        .cfi_def_cfa_offset 16
        movq    %rsp, %rax
        subq    %r10, %rax
        subq    $0x4000, %rax
        cmpq    %fs:0x70, %rax
        jb      1f
        /* Room enough: into the body, past the `ret`, unless the body begins with the
           `leaq 0x18(%rbp), %r11` that finds its stack arguments through our frame. */
        movq    8(%rsp), %rax
        cmpl    $0x185d8d4c, 1(%rax)
        je      1f
        incq    8(%rsp)
        popq    %rax
        .cfi_def_cfa_offset 8
        ret
1:      .cfi_def_cfa_offset 16
        popq    %rax
        .cfi_def_cfa_offset 8
        addq    $0x4000, %r10
        .cfi_endproc
        /* falls through */
        .size   __morestack_non_split, . - __morestack_non_split

        .globl  __morestack
        .hidden __morestack
        .type   __morestack, @function
__morestack:
        .cfi_startproc
        pushq   %rbp
        .cfi_def_cfa_offset 16
        .cfi_offset %rbp, -16
        movq    %rsp, %rbp
        .cfi_def_cfa_register %rbp
        /* Return to the caller's caller: the return address at CFA+0, and %rsp = CFA+8
           (DW_CFA_val_offset_sf %rsp, -1 times the data alignment factor of -8). */
        .cfi_offset %rip, 0
        .cfi_escape 0x15, 7, 0x7f

        pushq   %r10            /* -8(%rbp): the frame size, which the grow reads there */
        pushq   %rax            /* -16: the closure, moved out of %r10 */
        pushq   %rdi            /* -24 .. -64: the integer argument registers */
        pushq   %rsi
        pushq   %rdx
        pushq   %rcx
        pushq   %r8
        pushq   %r9
        subq    $136, %rsp      /* %xmm0-%xmm7, the float arguments, and 8 to align */
        movdqu  %xmm0, 0(%rsp)
        movdqu  %xmm1, 16(%rsp)
        movdqu  %xmm2, 32(%rsp)
        movdqu  %xmm3, 48(%rsp)
        movdqu  %xmm4, 64(%rsp)
        movdqu  %xmm5, 80(%rsp)
        movdqu  %xmm6, 96(%rsp)
        movdqu  %xmm7, 112(%rsp)
        /* %rsp is 16-byte aligned here: the function was entered 8 bytes off a multiple of
           16 and called us at once, so %rbp is 8 off, and 64 + 136 bytes follow. */
        leaq    -8(%rbp), %rdi  /* the frame size */
        leaq    24(%rbp), %rsi  /* the caller's stack arguments */
        movq    %r11, %rdx      /* and their size */
        movq    %rbp, %rcx      /* where the old stack stops being live */
        call    goos_rt_stack_grow
        movdqu  0(%rsp), %xmm0
        movdqu  16(%rsp), %xmm1
        movdqu  32(%rsp), %xmm2
        movdqu  48(%rsp), %xmm3
        movdqu  64(%rsp), %xmm4
        movdqu  80(%rsp), %xmm5
        movdqu  96(%rsp), %xmm6
        movdqu  112(%rsp), %xmm7
        movq    %rax, %rsp      /* the new segment, the arguments copied at its top */
        movq    -24(%rbp), %rdi
        movq    -32(%rbp), %rsi
        movq    -40(%rbp), %rdx
        movq    -48(%rbp), %rcx
        movq    -56(%rbp), %r8
        movq    -64(%rbp), %r9
        movq    -16(%rbp), %rax
        movq    8(%rbp), %r10
        incq    %r10            /* past the `ret` */
        call    *%r10

        /* Back from the body: keep its results (%rax, %rdx, %xmm0, %xmm1) across the
           release, which puts the old limit back. */
        movq    %rbp, %rsp
        subq    $72, %rsp       /* aligned, as above */
        movq    %rax, 0(%rsp)
        movq    %rdx, 8(%rsp)
        movdqu  %xmm0, 16(%rsp)
        movdqu  %xmm1, 32(%rsp)
        movq    %rbp, %rdi
        call    goos_rt_stack_release
        movq    0(%rsp), %rax
        movq    8(%rsp), %rdx
        movdqu  16(%rsp), %xmm0
        movdqu  32(%rsp), %xmm1
        movq    %rbp, %rsp
        popq    %rbp
        .cfi_def_cfa %rsp, 8
        .cfi_offset %rip, -8
        .cfi_restore %rsp
        ret
        .cfi_endproc
        .size   __morestack, . - __morestack

        .section .note.GNU-stack, "", @progbits
        /* Built for split stacks, with functions that are not (as libgcc's morestack.o): gold
           then leaves the prologues of the functions that call these as they are. */
        .section .note.GNU-split-stack, "", @progbits
        .section .note.GNU-no-split-stack, "", @progbits
