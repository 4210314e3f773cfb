#!/usr/bin/env bash
# goos-sim's keyboard driver types what arrives on stdin (--keys stdin): the shell echoes
# both lines, and the driver counts every key.  tests/sim_keys_stdin.sh GOOS_SIM
set -u
out=$(printf 'echo typed\nsecond line\n' | "$1" --quiet --keys stdin)
printf '%s\n' "$out"
for want in 'shell: $ echo typed' 'shell: $ second line' 'keyboard: typed 23 keys'; do
  grep -qF "$want" <<<"$out" || { echo "missing: $want"; exit 1; }
done
