/* The GoOS build note (kernel/abi.h): goos build links it into an image only after the
   program passed its safety checks, and the kernel's loader refuses images without it.
   Owner "GoOS", type GOOS_NOTE_BUILD ("GOOS"), descriptor GOOS_ABI_VERSION. */
        .section .note.goos, "a", @note
        .balign 4
        .long 5                 /* namesz: "GoOS\0" */
        .long 4                 /* descsz */
        .long 0x474f4f53        /* type: GOOS_NOTE_BUILD */
        .asciz "GoOS"
        .balign 4
        .long GOOS_ABI_VERSION  /* from kernel/abi.h, given by goos build */
        .section .note.GNU-stack, "", @progbits
