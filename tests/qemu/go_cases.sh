#!/usr/bin/env bash
# Runs every Go conformance case (tests/go/cases/*.go) once in goos-sim and once on the
# x86-64 kernel in QEMU (TCG, the image as -initrd): the programs' output and the exit
# status must be the same on both targets, the same image file in both. Then each folder
# of programs that work together (examples/*/, tests/go/multi/*/) boots as one pack and is
# compared with its expected.txt, as tests/go/run_tests.sh does for goos-sim (input.txt,
# when there, is typed on the serial port, then Ctrl-D).
#   tests/qemu/go_cases.sh GOOS_SIM [KERNEL [GO_BUILD_DIR]]
# (defaults build/x86/goos-x86.elf and build/x86/go). Last line: "N passed, M failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 GOOS_SIM [KERNEL [GO_BUILD_DIR]]" >&2; exit 64; }
sim=$1
kernel=${2:-$root/build/x86/goos-x86.elf}
gobuild=${3:-$root/build/x86/go}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0
failed=0
for src in "$root"/tests/go/cases/*.go; do
  n=$(basename "$src" .go)
  if ! elf=$("$root/tools/goos-build" -B "$gobuild" "$src" 2>"$out/$n.build" | tail -1) || [ ! -f "$elf" ]; then
    echo "FAIL $n: tools/goos-build failed"
    sed 's/^/  | /' "$out/$n.build" | tail -10
    failed=$((failed + 1))
    continue
  fi
  timeout 60 "$sim" "$elf" </dev/null >"$out/$n.sim" 2>&1
  sim_status=$?
  # goos-sim: what comes before its summary; the kernel: what follows its boot lines,
  # without its own lines.
  awk '/^--- summary ---$/ { exit } { print }' "$out/$n.sim" | sed '${/^$/d}' >"$out/$n.sim.txt"
  "$root/tools/goos-pack" "$out/$n.img" "$elf"
  timeout 60 "$root/hal-x86/qemu.sh" "$kernel" --initrd "$out/$n.img" -accel tcg </dev/null 2>&1 |
    tr -d '\r' >"$out/$n.x86"
  x86_status=${PIPESTATUS[0]}
  sed -n '/program image(s)$/,$p' "$out/$n.x86" | sed 1d | grep -v '^goos-x86: ' >"$out/$n.x86.txt"
  if [ "$sim_status" = "$x86_status" ] && cmp -s "$out/$n.sim.txt" "$out/$n.x86.txt"; then
    echo "PASS $n (status $x86_status)"
    passed=$((passed + 1))
  else
    echo "FAIL $n: goos-sim status $sim_status, x86-64 status $x86_status (--- goos-sim, +++ x86-64)"
    diff -u "$out/$n.sim.txt" "$out/$n.x86.txt" | tail -n +3 | head -30 | sed 's/^/  /'
    failed=$((failed + 1))
  fi
done
# The kernel's output in the form of expected.txt: the programs' output, each program's
# exit status, the pages left in use, the invariants.
multi_normalise() {  # log
  sed -n '/program image(s)$/,$p' "$1" | sed 1d | grep -v '^goos-x86: ' | sed '${/^$/d}'
  sed -nE 's/^goos-x86: process [0-9]+ \((.*)\) exit status (-?[0-9]+)$/exit \1 \2/p' "$1" | sort
  grep -oE '^goos-x86: pages allocated .* in use [0-9]+' "$1" | grep -oE 'in use [0-9]+' | sed 's/^/pages /'
  grep -oE 'invariants: (all six hold|VIOLATED)$' "$1"
}
for dir in "$root"/examples/*/ "$root"/tests/go/multi/*/; do
  [ -f "$dir/expected.txt" ] || continue
  n=multi-$(basename "$dir")
  # A folder's sim-only file says why it cannot run in QEMU.
  if [ -f "$dir/sim-only" ]; then
    echo "SKIP $n: $(cat "$dir/sim-only")"
    continue
  fi
  elfs=()
  built=1
  for src in "$dir"*.go; do
    if ! elf=$("$root/tools/goos-build" -B "$gobuild" "$src" 2>"$out/$n.build" | tail -1) || [ ! -f "$elf" ]; then
      built=0
      break
    fi
    elfs+=("$elf")
  done
  if [ $built = 0 ]; then
    echo "FAIL $n: tools/goos-build failed"
    sed 's/^/  | /' "$out/$n.build" | tail -10
    failed=$((failed + 1))
    continue
  fi
  "$root/tools/goos-pack" "$out/$n.img" "${elfs[@]}"
  # goos-sim.args's --budget is the kernel's goos.budget= here (its --memory is not: the
  # pool is what QEMU's memory gives).
  more=()
  if [ -f "$dir/goos-sim.args" ]; then
    budget=$(grep -oE -- '--budget [^ ]+' "$dir/goos-sim.args" | cut -d' ' -f2 || true)
    [ -z "$budget" ] || more=(-append "goos.budget=$budget")
  fi
  if [ -f "$dir/input.txt" ]; then
    mkfifo "$out/$n.fifo"
    exec 3<>"$out/$n.fifo"
    timeout 60 "$root/hal-x86/qemu.sh" "$kernel" --initrd "$out/$n.img" -accel tcg "${more[@]}" <&3 2>&1 |
      tr -d '\r' >"$out/$n.x86" &
    for _ in $(seq 300); do
      grep -q "is process ${#elfs[@]}," "$out/$n.x86" 2>/dev/null && break
      sleep 0.1
    done
    { cat "$dir/input.txt"; printf '\004'; } >&3
    wait
    exec 3<&-
  else
    timeout 60 "$root/hal-x86/qemu.sh" "$kernel" --initrd "$out/$n.img" -accel tcg "${more[@]}" </dev/null 2>&1 |
      tr -d '\r' >"$out/$n.x86"
  fi
  multi_normalise "$out/$n.x86" >"$out/$n.txt"
  if cmp -s "$dir/expected.txt" "$out/$n.txt"; then
    echo "PASS $n"
    passed=$((passed + 1))
  else
    echo "FAIL $n: output differs (--- expected.txt, +++ x86-64)"
    diff -u "$dir/expected.txt" "$out/$n.txt" | tail -n +3 | head -30 | sed 's/^/  /'
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
