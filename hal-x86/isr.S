// Interrupt entry stubs, the common interrupt path, and the context switch.
//
// The interrupt path saves every general-purpose register and the SSE/x87 state (fxsave)
// on the interrupted thread's stack, so that a thread preempted by the tick (which may
// switch to another thread from inside x86_isr_dispatch) resumes later, through this same
// frame and iretq, with all its registers intact. Stack on entry to x86_isr_dispatch:
//   [frame] r15 ... rax, vector, error, rip, cs, rflags, rsp, ss   (struct IsrFrame)
//   below it, 512 bytes of fxsave area (16-aligned).

        .text
        .code64

.macro ISR_NOERR n
        .globl isr_\n
isr_\n:
        pushq   $0
        pushq   $\n
        jmp     isr_common
.endm
.macro ISR_ERR n
        .globl isr_\n
isr_\n:
        pushq   $\n
        jmp     isr_common
.endm

.irp n, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,22,23,24,25,26,27,28,31
        ISR_NOERR \n
.endr
.irp n, 8,10,11,12,13,14,17,21,29,30
        ISR_ERR \n
.endr
.macro IRQ n
        .globl isr_\n
isr_\n:
        pushq   $0
        pushq   $\n
        jmp     irq_common
.endm
.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
        IRQ \n
.endr

// Hardware interrupts arrive on IST3 (x86.cpp, idt_init), not on the interrupted stack:
// program images are compiled for the SysV ABI, whose leaf functions keep data in the
// 128-byte red zone below rsp, and a ring-0 interrupt on the same stack would push its
// frame right there. So the frame (vector, error, rip, cs, rflags, rsp, ss) moves from
// IST3 to the interrupted stack below its red zone, 16-aligned as the CPU would align
// it, and the common path goes on from there as before: a preempted thread keeps its
// frame on its own stack, and iretq restores its rsp, red zone intact. Interrupts stay
// off until the frame has left IST3, so IST3 is never in use twice.
irq_common:
        push    %rax
        push    %rdx
        // 0 rdx, 8 rax, 16 vector, 24 error, 32 rip, 40 cs, 48 rflags, 56 rsp, 64 ss
        mov     56(%rsp), %rax
        sub     $128, %rax
        and     $-16, %rax
        sub     $72, %rax
.irp off, 0,8,16,24,32,40,48,56,64
        mov     \off(%rsp), %rdx
        mov     %rdx, \off(%rax)
.endr
        mov     %rax, %rsp
        pop     %rdx
        pop     %rax
        jmp     isr_common

isr_common:
        cld
        push    %rax
        push    %rbx
        push    %rcx
        push    %rdx
        push    %rsi
        push    %rdi
        push    %rbp
        push    %r8
        push    %r9
        push    %r10
        push    %r11
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        mov     %rsp, %rbx
        sub     $512, %rsp
        and     $-16, %rsp
        fxsave64 (%rsp)
        mov     %rbx, %rdi
        call    x86_isr_dispatch
        fxrstor64 (%rsp)
        mov     %rbx, %rsp
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %r11
        pop     %r10
        pop     %r9
        pop     %r8
        pop     %rbp
        pop     %rdi
        pop     %rsi
        pop     %rdx
        pop     %rcx
        pop     %rbx
        pop     %rax
        add     $16, %rsp
        iretq

        .section .rodata
        .balign 8
        .globl x86_isr_table
x86_isr_table:
.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
        .quad isr_\n
.endr

        .text
// void x86_context_switch(uint64_t* save_rsp, uint64_t next_rsp)
// Called with interrupts off (inside a kernel section); saves the callee-saved registers
// on the current stack and resumes the other context. Caller-saved registers, xmm
// included, are dead across the call by the ABI.
        .globl x86_context_switch
x86_context_switch:
        push    %rbp
        push    %rbx
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        mov     %rsp, (%rdi)
        mov     %rsi, %rsp
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbx
        pop     %rbp
        ret

// A fresh context's first return lands here: rbx = entry, r12 = arg. Still inside the
// kernel section (IF=0): the kernel's thread_main leaves it.
        .globl x86_thread_start
x86_thread_start:
        mov     %r12, %rdi
        and     $-16, %rsp
        xor     %ebp, %ebp
        call    *%rbx
        ud2

        .section .note.GNU-stack, "", @progbits
