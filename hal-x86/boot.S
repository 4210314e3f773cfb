// PVH entry (QEMU -kernel with an ELF that carries XEN_ELFNOTE_PHYS32_ENTRY): the loader
// starts us in 32-bit protected mode, paging off, with ebx = physical address of
// struct hvm_start_info. We zero .bss, identity-map the first 4 GiB (2 MiB pages, except
// the first 2 MiB, which uses 4 KiB pages so that x86::init can unmap page 0 and a nil
// dereference faults), enable PAE, SSE and long mode, load a 64-bit GDT and call
// kmain(start_info, 0) in 64-bit mode.
//
// Multiboot2 entry (GRUB's `multiboot2 /boot/goos-x86.elf`, for real machines): GRUB
// starts us at _mb2_start in 32-bit protected mode, paging off, with eax = 0x36d76289 and
// ebx = physical address of the Multiboot2 information structure. The same path then runs
// and calls kmain(mbi, 0x36d76289), so that x86::init parses the Multiboot2 tags instead.

#define XEN_ELFNOTE_PHYS32_ENTRY 18

        .section .note.Xen, "a"
        .balign 4
        .long 4                         // namesz: "Xen\0"
        .long 8                         // descsz: QEMU reads a size_t
        .long XEN_ELFNOTE_PHYS32_ENTRY
        .asciz "Xen"
        .balign 4
        .quad _pvh_start
        .balign 4

// The Multiboot2 header: within the first 32 KiB of the file, 8-byte aligned (link.ld
// places .multiboot2 first). GRUB loads the ELF's segments as usual; the entry address tag
// sends it to _mb2_start rather than e_entry (_pvh_start).
#define MB2_MAGIC 0xE85250D6
#define MB2_ARCH_I386 0
        .section .multiboot2, "a"
        .balign 8
mb2_header:
        .long MB2_MAGIC
        .long MB2_ARCH_I386
        .long mb2_header_end - mb2_header
        .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
        .balign 8
        .short 3                        // entry address tag
        .short 0                        // flags: required
        .long 12
        .long _mb2_start
        .balign 8
        .short 0                        // end tag
        .short 0
        .long 8
mb2_header_end:

        .section .text.boot, "ax"
        .code32
        .globl _mb2_start
_mb2_start:
        cli
        cld
        cmp     $0x36d76289, %eax       // not loaded by a Multiboot2 loader: stop
        jne     9f
        mov     %eax, %ebp              // protocol: the Multiboot2 magic
        mov     %ebx, %esi              // keep the Multiboot2 information
        jmp     boot_common
9:      hlt
        jmp     9b

        .globl _pvh_start
_pvh_start:
        cli
        cld
        xor     %ebp, %ebp              // protocol: 0 = PVH
        mov     %ebx, %esi              // keep hvm_start_info
boot_common:
        // Zero .bss (page tables and boot stack live there).
        mov     $__bss_start, %edi
        mov     $__bss_end, %ecx
        sub     %edi, %ecx
        xor     %eax, %eax
        rep stosb
        mov     $boot_stack_top, %esp

        // PML4[0] -> PDPT
        mov     $boot_pdpt, %eax
        or      $3, %eax
        mov     %eax, boot_pml4
        // PDPT[0..3] -> the four page directories
        mov     $boot_pd, %eax
        or      $3, %eax
        xor     %ecx, %ecx
1:      mov     %eax, boot_pdpt(,%ecx,8)
        add     $4096, %eax
        inc     %ecx
        cmp     $4, %ecx
        jne     1b
        // PD entries: 2 MiB pages, present + writable + PS
        xor     %ecx, %ecx
2:      mov     %ecx, %eax
        shl     $21, %eax
        or      $0x83, %eax
        mov     %eax, boot_pd(,%ecx,8)
        inc     %ecx
        cmp     $2048, %ecx
        jne     2b
        // First 2 MiB through a page table, so that x86::init can unmap page 0 once it
        // has copied what the loader put there (QEMU's PVH memory map sits in page 0).
        mov     $boot_pt0, %eax
        or      $3, %eax
        mov     %eax, boot_pd
        xor     %ecx, %ecx
3:      mov     %ecx, %eax
        shl     $12, %eax
        or      $3, %eax
        mov     %eax, boot_pt0(,%ecx,8)
        inc     %ecx
        cmp     $512, %ecx
        jne     3b

        // CR4: PAE | OSFXSR | OSXMMEXCPT
        mov     %cr4, %eax
        or      $0x620, %eax
        mov     %eax, %cr4
        mov     $boot_pml4, %eax
        mov     %eax, %cr3
        // EFER.LME
        mov     $0xC0000080, %ecx
        rdmsr
        or      $0x100, %eax
        wrmsr
        // CR0: PG | MP | NE | WP, clear EM and TS
        mov     %cr0, %eax
        and     $~0x0C, %eax
        or      $0x80010022, %eax
        mov     %eax, %cr0

        lgdt    boot_gdt_ptr
        ljmp    $0x08, $long_entry

        .code64
long_entry:
        mov     $0x10, %ax
        mov     %ax, %ds
        mov     %ax, %es
        mov     %ax, %ss
        xor     %ax, %ax
        mov     %ax, %fs
        mov     %ax, %gs
        mov     $boot_stack_top, %rsp
        fninit
        mov     %esi, %edi              // zero-extends: rdi = hvm_start_info or Multiboot2 info
        mov     %ebp, %esi              // rsi = protocol (0: PVH, 0x36d76289: Multiboot2)
        xor     %ebp, %ebp
        call    kmain
4:      cli
        hlt
        jmp     4b

        .section .rodata
        .balign 16
boot_gdt:
        .quad 0
        .quad 0x00AF9A000000FFFF        // 0x08: 64-bit code
        .quad 0x00CF92000000FFFF        // 0x10: data
boot_gdt_end:
boot_gdt_ptr:
        .word boot_gdt_end - boot_gdt - 1
        .long boot_gdt

        .section .bss
        .balign 4096
        .globl boot_pml4, boot_pdpt, boot_pd, boot_pt0
boot_pml4:  .skip 4096
boot_pdpt:  .skip 4096
boot_pd:    .skip 4 * 4096
boot_pt0:   .skip 4096
        .balign 16
boot_stack: .skip 65536
        .globl boot_stack_top
boot_stack_top:

        .section .note.GNU-stack, "", @progbits
