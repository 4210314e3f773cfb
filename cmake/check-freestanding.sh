#!/usr/bin/env bash
# Fails when the freestanding kernel object needs any symbol besides the HAL's: the
# backend's hal::Arch functions and state, and the C memory primitives it provides.
# _GLOBAL_OFFSET_TABLE_ is the linker's own (taking a function's address in PIC code).
set -euo pipefail
obj=$1
undefined=$(nm -u "$obj" | awk '{print $2}')
bad=$(printf '%s\n' "$undefined" | grep -v -E '^(_ZN3hal4Arch|_ZN3hal6hosted|memcpy$|memmove$|memset$|memcmp$|_GLOBAL_OFFSET_TABLE_$)' | grep -v '^$' || true)
if [ -n "$bad" ]; then
  echo "kernel/ needs symbols outside the HAL:" >&2
  printf '%s\n' "$bad" | c++filt >&2
  exit 1
fi
echo "freestanding kernel: $(printf '%s\n' "$undefined" | grep -c . ) undefined symbols, all from the HAL"
