#!/usr/bin/env bash
# expect-crash.sh BINARY INPUT: passes when BINARY fails on INPUT and a harness reported a
# finding ("... fuzzer: <check>"): the replay driver dies by the harness's abort (status
# 134), a libFuzzer binary exits non-zero after its deadly-signal report.
set -u
out=$("$1" "$2" 2>&1)
rc=$?
if [ "$rc" -ne 0 ] && grep -q "^[a-z]* fuzzer: " <<<"$out"; then
  grep -m1 "^[a-z]* fuzzer: " <<<"$out"
  echo "expect-crash: failed with status $rc as expected"
  exit 0
fi
printf '%s\n' "$out" | tail -20
echo "expect-crash: expected a crash, got exit status $rc"
exit 1
