#!/usr/bin/env python3
"""Writes the loader fuzzer's seed images into fuzz/corpus/loader/: a minimal well-formed
static-pie image as tests/image_builder.h builds it (one loadable segment with code, a
relocated word, the dynamic section, a RELA table and the GoOS build note), and the same
with a symbol table. The fuzzer mutates from there."""
import os
import struct

CODE, SLOT, DYN, RELA, NOTE, SIZE = 0x100, 0x180, 0x200, 0x280, 0x300, 0x400


def image(symbols):
    b = bytearray(SIZE)
    phs = [struct.pack("<IIQQQQQQ", 1, 5, 0, 0, 0, SIZE, SIZE + 0x2000, 0x1000),
           struct.pack("<IIQQQQQQ", 2, 4, DYN, DYN, DYN, 64, 64, 8),
           struct.pack("<IIQQQQQQ", 4, 4, NOTE, NOTE, NOTE, 24, 24, 4)]
    for i, ph in enumerate(phs):
        b[64 + 56 * i:64 + 56 * (i + 1)] = ph
    b[CODE:CODE + 4] = bytes([0x48, 0x8b, 0x47, 0x08])  # mov rax, [rdi+8]; then jmp rax
    b[CODE + 4:CODE + 6] = bytes([0xff, 0xe0])
    b[DYN:DYN + 64] = struct.pack("<qQqQqQqQ", 7, RELA, 8, 24, 9, 24, 0, 0)
    b[RELA:RELA + 24] = struct.pack("<QQq", SLOT, 8, 42)
    b[NOTE:NOTE + 24] = struct.pack("<III", 5, 4, 0x474F4F53) + b"GoOS\0\0\0\0" + struct.pack("<I", 4)
    shoff, shnum = 0, 0
    if symbols:
        strings = b"\0late\0early\0"
        str_off = len(b)
        b += strings + bytes(-len(strings) % 8)
        sym_off = len(b)
        syms = [struct.pack("<IBBHQQ", 0, 0, 0, 0, 0, 0), struct.pack("<IBBHQQ", 1, 2, 0, 1, CODE + 0x20, 8),
                struct.pack("<IBBHQQ", 6, 2, 0, 1, CODE, 16)]
        b += b"".join(syms)
        shoff = len(b)
        b += bytes(64)
        b += struct.pack("<IIQQQQIIQQ", 0, 2, 0, 0, sym_off, 72, 2, 1, 8, 24)
        b += struct.pack("<IIQQQQIIQQ", 0, 3, 0, 0, str_off, len(strings), 0, 0, 1, 0)
        shnum = 3
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    b[0:64] = ident + struct.pack("<HHIQQQIHHHHHH", 3, 62, 1, CODE, 64, shoff, 0, 64, 56, 3, 64 if shnum else 0,
                                  shnum, 0)
    return bytes(b)


out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "loader")
os.makedirs(out, exist_ok=True)
for name, data in (("seed-minimal", image(False)), ("seed-symbols", image(True))):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
