#!/usr/bin/env bash
# Line coverage reached by replaying the committed corpora (llvm-cov): kernel/ by every
# harness, and the runtime files the graphs harness's programs are built from.
#   fuzz/coverage.sh        builds the replay drivers with clang's coverage in build/cov
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/cov
names=(ownership syscalls select loader graphs)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_C_COMPILER=clang -DGOOS_TESTS=OFF -DGOOS_LTO=OFF \
  -DCMAKE_CXX_FLAGS="-fprofile-instr-generate -fcoverage-mapping" >/dev/null
cmake --build "$build" --target "${names[@]/#/fuzz-replay-}" -j "${GOOS_JOBS:-2}" >/dev/null
rm -f "$build"/*.profraw
for name in "${names[@]}"; do
  # %m: a profile per instrumented module, merged as they write (the graphs programs are
  # four copies of one library).
  LLVM_PROFILE_FILE="$build/$name-%m.profraw" "$build/fuzz/fuzz-replay-$name" "$root/fuzz/corpus/$name" \
    >/dev/null 2>&1
done
llvm-profdata-14 merge -o "$build/corpora.profdata" "$build"/*.profraw
objects=()
for name in "${names[@]}"; do objects+=(-object "$build/fuzz/fuzz-replay-$name"); done
echo "kernel/, all corpora:"
llvm-cov-14 report "${objects[@]:1}" -instr-profile="$build/corpora.profdata" \
  "$root"/kernel/*.cpp | sed "s#$root/##"
echo
echo "runtime/, the graphs corpus (its programs: fuzz/graph_program.cpp):"
runtime=(heap.cpp gc.cpp transfer.cpp received.cpp chantype.cpp chan.cpp)
llvm-cov-14 report "$build/fuzz/libgoos-graph-program-0.so" -instr-profile="$build/corpora.profdata" \
  "${runtime[@]/#/$root/runtime/}" | sed "s#$root/##"
