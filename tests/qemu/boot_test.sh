#!/usr/bin/env bash
# Boots goos-x86.elf in QEMU (TCG) in each scenario and checks the serial output and the
# kernel's exit status.  tests/qemu/boot_test.sh [IMAGE]   (default build/x86/goos-x86.elf)
# Then boots goos-x86.iso (GRUB, Multiboot2) from IMAGE's folder, when it was built
# (target goos-x86-iso, needs grub-mkrescue); prints "SKIP iso-demo" otherwise.
# Last line: "N passed, M failed"; exits non-zero when any failed.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
image=${1:-$root/build/x86/goos-x86.elf}
qemu_sh=$root/hal-x86/qemu.sh
passed=0
failed=0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ ! -f "$image" ]; then
  echo "no image at $image (build: cmake -S . -B build/x86 -G Ninja -DGOOS_HAL=x86 && ninja -C build/x86)"
  echo "0 passed, 1 failed"
  exit 1
fi

iso=$(dirname "$image")/goos-x86.iso

# Keys to type on the PS/2 keyboard once the driver reads the console (KEYS=... boot ...).
KEYS=
# ISO=path boot NAME ...: boots the GRUB ISO with -cdrom instead (the scenario is its grub.cfg's).
ISO=
# boot SCENARIO EXPECTED_STATUS PATTERN...  (each PATTERN a fixed string that must appear)
boot() {
  local scenario=$1 want=$2
  shift 2
  local log=$out/$scenario.txt rc
  local target=("$image" "$scenario")
  [ -z "$ISO" ] || target=(--iso "$ISO")
  if [ -z "$KEYS" ]; then
    timeout 60 "$qemu_sh" "${target[@]}" -accel tcg </dev/null >"$log.raw" 2>&1
    rc=$?
  else
    # Under -nographic the keyboard gets no keys: type them through QMP's sendkey.
    local sock=$out/$scenario.qmp
    timeout 60 "$qemu_sh" "${target[@]}" -accel tcg -qmp "unix:$sock,server,nowait" </dev/null \
      >"$log.raw" 2>&1 &
    local qemu_pid=$!
    for _ in $(seq 300); do
      grep -q "reading the console" "$log.raw" 2>/dev/null && break
      sleep 0.1
    done
    python3 "$root/tests/qemu/sendkeys.py" "$sock" "$KEYS" || echo "sendkeys failed" >>"$log.raw"
    wait "$qemu_pid"
    rc=$?
  fi
  tr -d '\r' <"$log.raw" >"$log"
  local problems=()
  [ "$rc" -eq "$want" ] || problems+=("exit status $rc, want $want")
  for pattern in "$@"; do
    grep -qF -- "$pattern" "$log" || problems+=("missing: $pattern")
  done
  if [ ${#problems[@]} -eq 0 ]; then
    echo "PASS $scenario"
    passed=$((passed + 1))
  else
    echo "FAIL $scenario"
    printf '  %s\n' "${problems[@]}"
    echo "  --- serial output ---"
    sed -n '/goos-x86: booted/,$p' "$log" | sed 's/^/  | /' | tail -40
    failed=$((failed + 1))
  fi
}

boot demo 0 \
  "shell: \$ hello goos" "shell: \$ ls /chan" "keyboard: typed 20 keys to 1 subscriber(s)" \
  "ping: 2000 round trips across two processes" "pong: served 2000 round trips" \
  "panic: crasher: gave up while owning objects it received" \
  "producer: page dirty while the crasher held it (alloc: invalid argument), clean after it ended (alloc: ok)" \
  "spinner: 30000000 iterations without a kernel call, and the others kept running" \
  "goos-x86: demo finished, status 0," "invariants hold"
boot fault 0 \
  "panic: runtime error: invalid memory address or nil pointer dereference" \
  "[signal SIGSEGV: segmentation violation addr=0x0]" "[process 2 (nil-deref) exited with status 2]" \
  "ping: 1000 round trips across two processes" "pong: served 1000 round trips" \
  "goos-x86: fault finished, status 0," "invariants hold"
boot preempt 0 \
  "spinner: 100000000 iterations without a kernel call, and the others kept running" \
  "ping: 20000 round trips across two processes" "pong: served 20000 round trips" \
  "goos-x86: preempt finished, status 0," "invariants hold"
boot stuck 0 \
  "fatal error: all goroutines are asleep - deadlock!" "[process 1 (deadlocker) exited with status 2]" \
  "ping: 1000 round trips across two processes" "goos-x86: stuck finished, status 0,"
boot deadlock 2 "fatal error: all goroutines are asleep - deadlock!" "goos-x86: deadlock finished, status 2,"
boot sse 0 "xmm: 1111222233334444 kept in xmm5 across preemption" \
  "xmm: 5555666677778888 kept in xmm5 across preemption" "goos-x86: sse finished, status 0,"
boot overflow 0 "panic: runtime error: invalid memory address or nil pointer dereference" \
  "[process 2 (overflow) exited with status 2]" "ping: 1000 round trips across two processes" \
  "goos-x86: overflow finished, status 0,"
boot selftest 0 "selftest: 0 of 8 scenarios failed"
KEYS='echo hi\nls /chan\n^D' boot typing 0 "shell: \$ echo hi" "shell: \$ ls /chan" \
  "keyboard: typed 17 keys to 1 subscriber(s)" "shell: keyboard closed, bye" "goos-x86: typing finished, status 0,"
if [ -f "$iso" ]; then
  ISO=$iso boot iso-demo 0 "goos-x86: booted (Multiboot2)" "scenario 'demo'" \
    "shell: \$ hello goos" "ping: 2000 round trips across two processes" \
    "panic: crasher: gave up while owning objects it received" \
    "goos-x86: demo finished, status 0," "invariants hold"
else
  echo "SKIP iso-demo: no ISO at $iso (build target goos-x86-iso; needs grub-mkrescue, xorriso, mtools)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
