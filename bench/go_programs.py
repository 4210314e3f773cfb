#!/usr/bin/env python3
"""The same Go programs built three ways and run side by side (issue 5's performance):
GoOS (tools/goos-build, run by goos-sim), gccgo-12 with libgo on Linux, and gc Go; and on
GoOS once more with the write barrier's flag off (goos-nobarrier, GOOS_NO_BARRIER=1 in
tools/goos-build), which gives what the barrier costs.

Usage: bench/go_programs.py BUILD_DIR OUT_DIR [--runs N]
Reports, per program and runtime, the median wall time of N runs and the peak resident
memory of the process (for GoOS: goos-sim, kernel and all, so it is an upper bound), and
the ratios to gc Go and to gccgo. Writes OUT_DIR/go-programs.json.
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build, out_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
work = os.path.join(build, "go-programs")
os.makedirs(work, exist_ok=True)
PROGRAMS = ["pingpong", "alloc", "transfer", "binarytrees", "fanout"]


def run(cmd):
    """Wall time (s), peak RSS (KiB), exit status and output of one run. The peak RSS
    comes from GNU time: a child's ru_maxrss counts the memory of the process that forked
    it before exec (Linux keeps the old high-water mark), so it must be a small one."""
    rss_path = os.path.join(work, "run.rss")
    start = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_path] + cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    elapsed = time.monotonic() - start
    with open(rss_path) as f:
        rss = int(f.read().split()[-1])
    return elapsed, rss, proc.returncode, proc.stdout.decode(errors="replace")


results = {}
for prog in PROGRAMS:
    src = os.path.join(root, "bench", "go", prog + ".go")
    gc_bin = os.path.join(work, prog + "-gc")
    gccgo_bin = os.path.join(work, prog + "-gccgo")
    env = dict(os.environ, GOCACHE=os.path.join(build, "gocache"), GO111MODULE="off", GOFLAGS="")
    subprocess.run(["go", "build", "-o", gc_bin, src], check=True, env=env)
    subprocess.run(["gccgo-12", "-O2", "-o", gccgo_bin, src], check=True)
    image = subprocess.run([os.path.join(root, "tools", "goos-build"), "-B", build, src], check=True,
                           capture_output=True, text=True).stdout.strip()
    image_nb = subprocess.run([os.path.join(root, "tools", "goos-build"), "-B", build, src], check=True,
                              capture_output=True, text=True, env=dict(os.environ, GOOS_NO_BARRIER="1")).stdout.strip()
    commands = {
        "goos": [os.path.join(build, "goos-sim"), "--quiet", image],
        "goos-nobarrier": [os.path.join(build, "goos-sim"), "--quiet", image_nb],
        "gccgo": [gccgo_bin],
        "gc": [gc_bin],
    }
    results[prog] = {}
    for name, cmd in commands.items():
        samples = [run(cmd) for _ in range(runs)]
        ok = all(s[2] == 0 for s in samples)
        results[prog][name] = {
            "seconds": statistics.median(s[0] for s in samples),
            "peak_rss_kib": max(s[1] for s in samples),
            "ok": ok,
            "output": samples[-1][3].strip().splitlines()[-1] if samples[-1][3].strip() else "",
        }

with open(os.path.join(out_dir, "go-programs.json"), "w") as f:
    json.dump(results, f, indent=2)

print(f"\nGo programs, median of {runs} runs (wall time; peak RSS of the whole process):")
print(f"{'program':12} {'runtime':14} {'time':>10} {'peak RSS':>10}  {'vs gc':>7} {'vs gccgo':>8}  result")
for prog, by in results.items():
    for name, r in by.items():
        vs_gc = by["gc"]["seconds"] / r["seconds"] if r["ok"] else float("nan")
        vs_gccgo = by["gccgo"]["seconds"] / r["seconds"] if r["ok"] else float("nan")
        print(f"{prog:12} {name:14} {r['seconds'] * 1e3:8.1f}ms {r['peak_rss_kib'] / 1024:8.1f}MB  "
              f"{vs_gc:6.2f}x {vs_gccgo:7.2f}x  {'ok' if r['ok'] else 'FAILED'}: {r['output'][:60]}")
print("(\"vs gc\" > 1 means faster than gc Go.)")
for prog, by in results.items():
    if by["goos"]["ok"] and by["goos-nobarrier"]["ok"]:
        cost = by["goos"]["seconds"] / by["goos-nobarrier"]["seconds"] - 1
        print(f"write barrier's cost on {prog}: {cost * 100:+.1f}% (goos against goos-nobarrier)")
