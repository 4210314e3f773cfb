#!/usr/bin/env bash
# fuzz/run.sh NAME [libFuzzer args...]: builds fuzz-NAME with clang in build/fuzz and runs
# it on fuzz/corpus/NAME with fuzz/NAME.dict. New inputs go to build/fuzz/corpus/NAME (the
# committed corpus is read, not written); crashes to build/fuzz/crashes/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
name=${1:?usage: fuzz/run.sh NAME [libFuzzer args...]}
shift
build=$root/build/fuzz
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DGOOS_TESTS=OFF >/dev/null
cmake --build "$build" --target "fuzz-$name" -j "${GOOS_JOBS:-1}"
mkdir -p "$build/corpus/$name" "$build/crashes"
dict=()
[ -f "$root/fuzz/$name.dict" ] && dict=(-dict="$root/fuzz/$name.dict")
# close_fd_mask=1: the kernel's console (deadlock reports, panics) is stdout.
# detect_leaks=0: threads the kernel ends abandon their stacks (fuzz/CMakeLists.txt).
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
exec "$build/fuzz/fuzz-$name" -close_fd_mask=1 -detect_leaks=0 -artifact_prefix="$build/crashes/$name-" "${dict[@]}" "$@" \
  "$build/corpus/$name" "$root/fuzz/corpus/$name"
