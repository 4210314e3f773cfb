#!/usr/bin/env bash
# Boots goos-x86.elf in QEMU (TCG) in each scenario and checks the serial output and the
# kernel's exit status.  tests/qemu/boot_test.sh [IMAGE [GO_BUILD_DIR]]
# (defaults build/x86/goos-x86.elf and build/x86/go).
# Then boots goos-x86.iso (GRUB, Multiboot2) from IMAGE's folder, when it was built
# (target goos-x86-iso, needs grub-mkrescue); prints "SKIP iso-demo" otherwise.
# Then Go programs: built by tools/goos-build into GO_BUILD_DIR, packed by tools/goos-pack
# and passed as -initrd (PVH), the same images goos-sim runs (SKIP without gccgo-12); and
# once through GRUB's module2 on an ISO made here (SKIP without grub-mkrescue).
# Last line: "N passed, M failed"; exits non-zero when any failed.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
image=${1:-$root/build/x86/goos-x86.elf}
gobuild=${2:-$root/build/x86/go}
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
# PACK=path boot NAME ...: boots the program images in PACK (-initrd) instead of a scenario.
PACK=
# SERIAL=text boot ...: types text (backslash escapes as in printf %b) on the serial port instead.
SERIAL=
# With KEYS or SERIAL: the serial output line after which to type them.
WAIT_FOR="reading the console"
# boot SCENARIO EXPECTED_STATUS PATTERN...  (each PATTERN a fixed string that must appear)
boot() {
  local scenario=$1 want=$2
  shift 2
  local log=$out/$scenario.txt rc
  local target=("$image" "$scenario")
  [ -z "$ISO" ] || target=(--iso "$ISO")
  [ -z "$PACK" ] || target=("$image" --initrd "$PACK")
  if [ -n "$SERIAL" ]; then
    # Typed on the serial port (QEMU's stdin), through a FIFO written once WAIT_FOR shows.
    mkfifo "$out/$scenario.fifo"
    exec 3<>"$out/$scenario.fifo"
    timeout 60 "$qemu_sh" "${target[@]}" -accel tcg <&3 >"$log.raw" 2>&1 &
    local qemu_pid=$!
    for _ in $(seq 300); do
      grep -qF -- "$WAIT_FOR" "$log.raw" 2>/dev/null && break
      sleep 0.1
    done
    printf "%b" "$SERIAL" >&3
    wait "$qemu_pid"
    rc=$?
    exec 3<&-
  elif [ -z "$KEYS" ]; then
    timeout 60 "$qemu_sh" "${target[@]}" -accel tcg </dev/null >"$log.raw" 2>&1
    rc=$?
  else
    # Under -nographic the keyboard gets no keys: type them through QMP's sendkey.
    local sock=$out/$scenario.qmp
    timeout 60 "$qemu_sh" "${target[@]}" -accel tcg -qmp "unix:$sock,server,nowait" </dev/null \
      >"$log.raw" 2>&1 &
    local qemu_pid=$!
    for _ in $(seq 300); do
      grep -qF -- "$WAIT_FOR" "$log.raw" 2>/dev/null && break
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
  "panic: crasher: gave up while holding a page it received" \
  "producer: page shared while the crasher held it (shared), not after it ended (clean)" \
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
    "panic: crasher: gave up while holding a page it received" \
    "goos-x86: demo finished, status 0," "invariants hold"
else
  echo "SKIP iso-demo: no ISO at $iso (build target goos-x86-iso; needs grub-mkrescue, xorriso, mtools)"
fi

# ---- Go programs: the same images as goos-sim's, booted from an initial image ----
gobuild_images() {  # gobuild_images PROG.go... -> the image paths, one a line
  local src
  for src in "$@"; do
    "$root/tools/goos-build" -B "$gobuild" "$src" 2>"$out/goos-build.err" | tail -1 || return 1
  done
}
pack() {  # pack NAME PROG.go... -> $out/NAME.img
  local name=$1 elfs
  shift
  elfs=$(gobuild_images "$@") || { cat "$out/goos-build.err"; return 1; }
  # shellcheck disable=SC2086  # one path a line, no spaces in them
  "$root/tools/goos-pack" "$out/$name.img" $elfs
}
if ! command -v gccgo-12 >/dev/null; then
  echo "SKIP go-*: no gccgo-12 to build Go programs (apt-get install gccgo-12)"
else
  ex=$root/examples
  if pack pingpong "$ex/pingpong/ping.go" "$ex/pingpong/pong.go"; then
    PACK=$out/pingpong.img boot go-pingpong 0 "2 program image(s)" \
      "ping: 1000 round trips, sum 1001000" "pong: served 1000" \
      "goos-x86: process 1 (ping) exit status 0" "goos-x86: process 2 (pong) exit status 0" \
      "goos-x86: programs finished, status 0," "invariants hold"
  else
    echo "FAIL go-pingpong: could not build the images"; failed=$((failed + 1))
  fi
  # A nil dereference ends its program with Go's panic (status 2, which becomes the run's
  # status as in goos-sim) while ping-pong and a spinner that never calls the kernel
  # (preempted by the timer) go on.
  if pack nilderef "$root/tests/qemu/nilderef.go" "$ex/pingpong/ping.go" "$ex/pingpong/pong.go" \
    "$ex/spinner/spin.go"; then
    PACK=$out/nilderef.img boot go-nilderef 2 "nilderef: following a nil pointer" \
      "panic: runtime error: invalid memory address or nil pointer dereference" \
      "[signal SIGSEGV: segmentation violation addr=0x8]" "[process 1 (nilderef) exited with status 2]" \
      "ping: 1000 round trips, sum 1001000" "pong: served 1000" \
      "spinner: 300000000 steps without a system call, then 417" \
      "goos-x86: process 1 (nilderef) exit status 2" "goos-x86: process 4 (spin) exit status 0" \
      "invariants hold"
    if [ -f "$out/go-nilderef.txt" ] && grep -q " 0 preemptions" "$out/go-nilderef.txt"; then
      echo "FAIL go-nilderef-preempted: the spinner was never preempted"; failed=$((failed + 1))
    fi
  else
    echo "FAIL go-nilderef: could not build the images"; failed=$((failed + 1))
  fi
  if pack many "$root/tests/qemu/many.go"; then
    PACK=$out/many.img boot go-many 0 "many: 1000 goroutines at once, sum 499500" \
      "goos-x86: process 1 (many) exit status 0" "invariants hold"
  else
    echo "FAIL go-many: could not build the images"; failed=$((failed + 1))
  fi
  if pack crash "$ex/crash/dispatcher.go" "$ex/crash/worker.go"; then
    PACK=$out/crash.img boot go-crash 2 "dispatcher: job 3 -> 13" \
      "panic: runtime error: index out of range [3] with length 3" "[process 2 (worker) exited with status 2]" \
      "dispatcher: the worker ended during job 4" "dispatcher: still running" \
      "goos-x86: process 1 (dispatcher) exit status 0" "invariants hold"
  else
    echo "FAIL go-crash: could not build the images"; failed=$((failed + 1))
  fi
  # The keyboard example: keys typed on the PS/2 keyboard (QMP sendkey) reach the driver
  # program through the console; Ctrl-D ends the input.
  if pack keyboard "$ex/keyboard/driver.go" "$ex/keyboard/shell.go"; then
    KEYS='ls\necho hi\n^D' WAIT_FOR="shell is process" PACK=$out/keyboard.img boot go-keyboard 0 \
      "shell: ls" "shell: echo hi" "shell: input ended after 2 lines" \
      "goos-x86: process 1 (driver) exit status 0" "goos-x86: process 2 (shell) exit status 0" "invariants hold"
    # The same through the serial port: a terminal's Enter (CR) ends a line too.
    SERIAL='ls\recho hi\r\004' WAIT_FOR="shell is process" PACK=$out/keyboard.img boot go-serial 0 \
      "shell: ls" "shell: echo hi" "shell: input ended after 2 lines" \
      "goos-x86: process 1 (driver) exit status 0" "goos-x86: process 2 (shell) exit status 0" "invariants hold"
  else
    echo "FAIL go-keyboard: could not build the images"; failed=$((failed + 1))
  fi
  # Refused images (the kernel's own, ET_EXEC; one whose entry lies outside its pack) are
  # reported with the reason and the rest run; the status is goos-sim's 65.
  if hello=$(gobuild_images "$ex/hello.go"); then
    cp "$hello" "$out/broken.elf"
    "$root/tools/goos-pack" "$out/refused.img" "$image" "$hello" "$out/broken.elf"
    # Entry 2's size (at 16 + 2*48 + 40) grows past the end of the pack.
    python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(16 + 2 * 48 + 40); f.write((1 << 28).to_bytes(8, "little"))' \
      "$out/refused.img"
    PACK=$out/refused.img boot go-refused 65 \
      "goos-x86: refused goos-x86: not position independent (ET_EXEC); goos build links position-independent images" \
      "goos-x86: refused broken: it lies outside its pack" \
      "goos-x86: process 1 (hello) exit status 0" "invariants hold"
  else
    echo "FAIL go-refused: could not build the images"; failed=$((failed + 1))
  fi
  # GRUB: the pack as a module2 on an ISO made here, and a bare image as another, booted
  # through Multiboot2 (GRUB puts the modules right after the kernel).
  if command -v grub-mkrescue >/dev/null && [ -f "$out/pingpong.img" ] && [ -f "$out/broken.elf" ]; then
    mkdir -p "$out/iso/boot/grub"
    cp "$image" "$out/iso/boot/goos-x86.elf"
    cp "$out/pingpong.img" "$out/iso/boot/programs.img"
    cp "$out/broken.elf" "$out/iso/boot/hello.elf"
    cat >"$out/iso/boot/grub/grub.cfg" <<'CFG'
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
set timeout=0
menuentry "GoOS programs (Multiboot2)" {
    multiboot2 /boot/goos-x86.elf
    module2 /boot/programs.img programs
    module2 /boot/hello.elf hello
    boot
}
CFG
    if grub-mkrescue -o "$out/programs.iso" --fonts= --locales= --themes= \
      "--install-modules=normal configfile serial terminal multiboot2 boot part_acorn part_amiga part_apple part_bsd part_dfly part_dvh part_gpt part_msdos part_plan part_sun part_sunpc" \
      "$out/iso" >"$out/grub-mkrescue.log" 2>&1; then
      ISO=$out/programs.iso boot go-iso-pingpong 0 "goos-x86: booted (Multiboot2)" \
        "2 boot module(s), 3 program image(s)" "ping: 1000 round trips, sum 1001000" "pong: served 1000" \
        "hello, GoOS" "goos-x86: process 3 (hello) exit status 0" "invariants hold"
      ISO=
    else
      echo "FAIL go-iso-pingpong: grub-mkrescue failed"; sed 's/^/  | /' "$out/grub-mkrescue.log"
      failed=$((failed + 1))
    fi
  else
    echo "SKIP go-iso-pingpong: no grub-mkrescue, or the images were not built"
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
