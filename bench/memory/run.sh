#!/usr/bin/env bash
# Memory at scale (issue 11, "Memory, with peak pages reported"): each folder here is a
# set of programs that work together, built with tools/goos-build and run as one goos-sim;
# prints the programs' output, the wall time and the peak of pages in use (goos-sim's
# summary, "in use N (at most M)").
#   bench/memory/run.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
for dir in "$root"/bench/memory/*/; do
    images=()
    for src in "$dir"*.go; do images+=("$("$root/tools/goos-build" -B "$build" "$src")"); done
    start=$(date +%s%N)
    out=$("$build/goos-sim" "${images[@]}" 2>&1)
    end=$(date +%s%N)
    printf '%s: %s; %d ms; peak %s pages\n' "$(basename "$dir")" \
        "$(awk '/^--- summary ---$/ { exit } { print }' <<<"$out" | sed '/^$/d' | paste -sd' ')" \
        $(((end - start) / 1000000)) "$(grep -oE 'at most [0-9]+' <<<"$out" | grep -oE '[0-9]+')"
done
