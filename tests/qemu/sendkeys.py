#!/usr/bin/env python3
"""Types on the guest's PS/2 keyboard through QEMU's QMP socket (under -nographic the
keyboard gets no keys otherwise).  sendkeys.py SOCKET TEXT   ('\\n' is Enter, '^D' Ctrl-D)"""
import json
import socket
import sys
import time

NAMES = {" ": "spc", "\n": "ret", "/": "slash", ".": "dot", "-": "minus"}


def keys(text):
    i = 0
    while i < len(text):
        if text.startswith("^D", i):
            yield "ctrl-d"
            i += 2
            continue
        c = text[i]
        yield NAMES.get(c, c)
        i += 1


sock = socket.socket(socket.AF_UNIX)
sock.connect(sys.argv[1])
f = sock.makefile("rw")
json.loads(f.readline())  # greeting


def command(obj):
    f.write(json.dumps(obj) + "\n")
    f.flush()
    while True:
        reply = json.loads(f.readline())
        if "return" in reply or "error" in reply:
            return reply


command({"execute": "qmp_capabilities"})
for key in keys(sys.argv[2].encode().decode("unicode_escape")):
    command({"execute": "human-monitor-command", "arguments": {"command-line": f"sendkey {key}"}})
    time.sleep(0.02)
