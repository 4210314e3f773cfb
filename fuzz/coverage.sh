#!/usr/bin/env bash
# Line coverage of kernel/ reached by replaying the committed corpora (llvm-cov).
#   fuzz/coverage.sh        builds the replay drivers with clang's coverage in build/cov
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/cov
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_C_COMPILER=clang -DGOOS_TESTS=OFF -DGOOS_LTO=OFF \
  -DCMAKE_CXX_FLAGS="-fprofile-instr-generate -fcoverage-mapping" >/dev/null
cmake --build "$build" --target fuzz-replay-ownership fuzz-replay-syscalls fuzz-replay-select fuzz-replay-loader fuzz-replay-graphs -j "${GOOS_JOBS:-2}" >/dev/null
rm -f "$build"/*.profraw
for name in ownership syscalls select loader graphs; do
  LLVM_PROFILE_FILE="$build/$name.profraw" "$build/fuzz/fuzz-replay-$name" "$root/fuzz/corpus/$name" \
    >/dev/null 2>&1
done
llvm-profdata-14 merge -o "$build/corpora.profdata" "$build"/*.profraw
objects=()
for name in ownership syscalls select loader graphs; do objects+=(-object "$build/fuzz/fuzz-replay-$name"); done
llvm-cov-14 report "${objects[@]:1}" -instr-profile="$build/corpora.profdata" \
  "$root"/kernel/*.cpp | sed "s#$root/##"
