#!/usr/bin/env python3
"""Turns one run of the benchmarks into a table with ratios, JSON, CSV and an SVG chart.

Inputs (in the results folder): goos.json (Google Benchmark, with repetitions) and
go-<compiler>-<procs>.jsonl (the Go anchors, one JSON object per line).
"""
import csv
import json
import os
import subprocess
import sys

results = sys.argv[1]

# GoOS benchmark -> (label, Go anchor name, other anchors to compare with)
ROWS = [
    ("BM_GoosRoundTripProcesses/100000/manual_time", "unbuffered round trip, two processes", "round_trip",
     ["BM_AnchorFiberSwitchRoundTrip", "BM_AnchorPipeProcesses/manual_time", "BM_AnchorFutexThreads/manual_time"]),
    ("BM_GoosRoundTripThreads/100000/manual_time", "unbuffered round trip, two threads", "round_trip",
     ["BM_AnchorPipeThreads/manual_time", "BM_AnchorFutexThreads/manual_time"]),
    ("BM_GoosBuffered/1/manual_time", "buffered cap 1, per item", "buffered_1", []),
    ("BM_GoosBuffered/100/manual_time", "buffered cap 100, per item", "buffered_100", []),
    ("BM_GoosSelectReady/2/manual_time", "select, 2 ready cases (+ refill send)", "select_2_ready", []),
    ("BM_GoosSelectReady/8/manual_time", "select, 8 ready cases (+ refill send)", "select_8_ready", []),
    ("BM_GoosSpawnRunExit/manual_time", "thread spawn, run, exit", "spawn_run_exit", []),
    ("BM_GoosTransfer/1/manual_time", "kernel side of a send naming 1 page (no walk), per page", None, []),
    ("BM_GoosTransfer/16/manual_time", "kernel side of a send naming 16 pages (no walk), per page", None, []),
    ("BM_GoosTransfer/512/manual_time", "kernel side of a send naming 512 pages (no walk), per page", None, []),
    ("BM_GoosRegistryLookup/manual_time", "registry lookup", None, []),
    ("BM_GoosParkedThreadMemory/100000/iterations:1", "parked thread: RSS bytes per thread (not ns)", None, []),
    ("BM_GoosProcessExit/8192/0/manual_time", "process exit, 8192 clean pages, per page", None, []),
    ("BM_GoosProcessExit/8192/1/manual_time", "process exit, 8192 dirty pages, per page", None, []),
]


def load_goos(path):
    with open(path) as f:
        data = json.load(f)
    out = {}
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
    for b in data["benchmarks"]:
        name, agg = b.get("run_name", b["name"]), b.get("aggregate_name", "")
        entry = out.setdefault(name, {})
        # Programs inside GoOS report ns_per_op themselves; plain benchmarks time one op
        # per iteration.
        value = b.get("ns_per_op", b["real_time"] * scale[b.get("time_unit", "ns")])
        if agg in ("median", "stddev", "cv"):
            entry[agg] = value
        elif not agg:
            entry.setdefault("runs", []).append(value)
    for entry in out.values():
        runs = sorted(r for r in entry.get("runs", []) if r is not None)
        if "median" not in entry and runs:
            entry["median"] = runs[len(runs) // 2]
        if runs:
            entry["spread"] = (runs[-1] - runs[0]) / 2
    return out


def load_go(results):
    anchors = {}
    for fname in sorted(os.listdir(results)):
        if fname.startswith("go-") and fname.endswith(".jsonl"):
            key = fname[3:-6]  # e.g. gc-1, gccgo-2
            with open(os.path.join(results, fname)) as f:
                for line in f:
                    if line.strip():
                        rec = json.loads(line)
                        anchors.setdefault(key, {})[rec["name"]] = rec["ns_per_op"]
    return anchors


goos = load_goos(os.path.join(results, "goos.json"))
go = load_go(results)
go_keys = sorted(go)

header = ["operation", "GoOS ns (median)", "spread"] + [f"Go {k} ns" for k in go_keys] + \
         [f"ratio Go {k}/GoOS" for k in go_keys] + ["other anchors (ns, ratio anchor/GoOS)"]
rows = []
for bench, label, anchor, others in ROWS:
    g = goos.get(bench, {})
    median = g.get("median")
    row = [label, median, g.get("spread")]
    row += [go[k].get(anchor) if anchor else None for k in go_keys]
    row += [(go[k][anchor] / median) if anchor and median and go[k].get(anchor) else None for k in go_keys]
    notes = []
    for o in others:
        om = goos.get(o, {}).get("median")
        if om and median:
            notes.append(f"{o.split('/')[0].replace('BM_Anchor', '')} {om:.1f} ({om / median:.2f}x)")
    row.append("; ".join(notes))
    rows.append(row)


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.2f}" if v < 10 else f"{v:.1f}"
    return str(v)


widths = [max(len(fmt(r[i])) for r in rows + [header]) for i in range(len(header))]
for r in [header] + rows:
    print("  ".join(fmt(v).ljust(widths[i]) for i, v in enumerate(r)))

with open(os.path.join(results, "bench.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(header)
    w.writerows(rows)
with open(os.path.join(results, "bench.json"), "w") as f:
    json.dump([dict(zip(header, r)) for r in rows], f, indent=1)

# Chart: GoOS next to each Go anchor, log scale.
dat = os.path.join(results, "bench.dat")
SHORT = ["round trip, procs", "round trip, threads", "buffered 1", "buffered 100", "select 2", "select 8",
         "spawn-run-exit"]
with open(dat, "w") as f:
    for label, r in zip(SHORT, rows):
        vals = [r[1]] + r[3:3 + len(go_keys)]
        f.write('"%s" %s\n' % (label, " ".join(fmt(v) if v else "NaN" for v in vals)))
plot = ", ".join(
    [f"'{dat}' using 2:xtic(1) title 'GoOS'"] +
    [f"'' using {i + 3} title 'Go {k}'" for i, k in enumerate(go_keys)])
script = f"""set terminal svg size 1100,500 dynamic
set output '{os.path.join(results, "bench.svg")}'
set style data histograms
set style fill solid border -1
set logscale y
set yrange [10:*]
set ylabel 'ns per operation (log)'
set key outside right top
set title 'GoOS (hosted) next to Go goroutine channels, ns per operation'
plot {plot}
"""
try:
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    print(f"\nwrote {results}/bench.csv, bench.json, bench.svg")
except (OSError, subprocess.CalledProcessError) as e:
    print(f"\nwrote {results}/bench.csv, bench.json (no chart: {e})")
