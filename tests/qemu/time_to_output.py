#!/usr/bin/env python3
"""Times a command's output: seconds from its start to the first line containing each
PATTERN, and to its end.   time_to_output.py PATTERN [PATTERN...] -- COMMAND [ARGS...]
Used for the figures in the README's QEMU section (time from QEMU start to a program's
first output under TCG)."""
import subprocess
import sys
import time

sep = sys.argv.index("--")
patterns, command = sys.argv[1:sep], sys.argv[sep + 1:]
start = time.monotonic()
seen = {}
proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
for raw in proc.stdout:
    line = raw.decode(errors="replace")
    for p in patterns:
        if p not in seen and p in line:
            seen[p] = time.monotonic() - start
status = proc.wait()
end = time.monotonic() - start
for p in patterns:
    print(f"{p!r}: " + (f"{seen[p]:.3f} s" if p in seen else "never seen"))
print(f"exit status {status} after {end:.3f} s")
