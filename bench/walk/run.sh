#!/usr/bin/env bash
# The send walk's cost per object (issue 11): each folder here is a set of programs that
# send a large graph back and forth across programs (a channel two programs hold is not
# local, so every send walks what it carries), built with tools/goos-build and run as one
# goos-sim --quiet, three times. Prints the wall times and, for the fastest, the time per
# object sent (the send's walk, the kernel's commit and hand-over, and the receive),
# taking the objects a run sends from the folder's `objects` file.
#   bench/walk/run.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
for dir in "$root"/bench/walk/*/; do
    images=()
    for src in "$dir"*.go; do images+=("$("$root/tools/goos-build" -B "$build" "$src")"); done
    objects=$(cat "$dir/objects")
    times=()
    for run in 1 2 3; do
        start=$(date +%s%N)
        out=$("$build/goos-sim" --quiet "${images[@]}" 2>&1)
        end=$(date +%s%N)
        times+=($(((end - start) / 1000000)))
    done
    best=$(printf '%s\n' "${times[@]}" | sort -n | head -1)
    printf '%s: %s; %s ms; %s ns per object sent\n' "$(basename "$dir")" "$(head -1 <<<"$out")" \
        "${times[*]}" "$(awk -v ms="$best" -v n="$objects" 'BEGIN { printf "%.1f", ms * 1e6 / n }')"
done
