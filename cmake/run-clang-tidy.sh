#!/usr/bin/env bash
# Fails on any clang-tidy finding in the kernel, the hosted backend and the simulator.
set -euo pipefail
tidy=$1
build=$2
out=$("$tidy" -p "$build" --quiet kernel/*.cpp hal-hosted/*.cpp sim/*.cpp 2>/dev/null | grep -E "(warning|error):" || true)
if [ -n "$out" ]; then
  printf '%s\n' "$out"
  exit 1
fi
echo "clang-tidy: clean"
