/* The bounds of the runtime's own variables (DESIGN.md, "Layout records": runtime metadata
   never shares a page with objects). goos build links this file twice, assembled with
   GOOS_RT_EDGE=begin and =end, around the C++ runtime and the libraries it needs, after
   every Go package: each copy's empty .data and .bss sections are page-aligned, so the
   runtime's .data and .bss lie on pages of their own, between the two copies' symbols,
   and no package variable shares their pages. */
#define CAT(a, b) a##b
#define SYM(kind, edge) CAT(goos_rt_##kind##_, edge)
        .section .data, "aw"
        .balign 4096
        .globl SYM(data, GOOS_RT_EDGE)
        .hidden SYM(data, GOOS_RT_EDGE)
SYM(data, GOOS_RT_EDGE):
        .section .bss, "aw", @nobits
        .balign 4096
        .globl SYM(bss, GOOS_RT_EDGE)
        .hidden SYM(bss, GOOS_RT_EDGE)
SYM(bss, GOOS_RT_EDGE):
        .section .note.GNU-stack, "", @progbits
