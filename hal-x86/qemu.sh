#!/usr/bin/env bash
# Boots a GoOS x86-64 image in QEMU and exits with the kernel's status.
#   hal-x86/qemu.sh IMAGE [scenario] [extra qemu args...]       (-kernel: the PVH entry)
#   hal-x86/qemu.sh IMAGE --initrd PACK [extra qemu args...]    (program images, PVH)
#   hal-x86/qemu.sh --iso ISO [demo] [extra qemu args...]       (-cdrom: GRUB, Multiboot2)
# scenario: demo (default), fault, preempt, stuck, deadlock, pingpong, bench, selftest.
# --initrd: PACK (tools/goos-pack, or one bare program image) is the boot module, and the
# kernel runs its program images instead of a scenario, with goos-sim's exit status.
# With --iso the scenario is the one in the ISO's grub.cfg (hal-x86/grub.cfg: demo).
# The kernel writes its status v to isa-debug-exit, which makes QEMU exit with (v<<1)|1;
# this maps it back. Any other QEMU status (0: the guest reset or powered off without
# reporting, 124: timeout(1)) is reported as is, +100 so it cannot be mistaken for a
# kernel status.
set -u
iso=0
if [ "${1:-}" = "--iso" ]; then
  iso=1
  shift
fi
if [ $# -lt 1 ]; then
  echo "usage: $0 IMAGE [scenario] [extra qemu args...]" >&2
  echo "       $0 --iso ISO [demo] [extra qemu args...]" >&2
  exit 64
fi
image=$1
shift
scenario=demo
initrd=
if [ "$iso" -eq 0 ] && [ "${1:-}" = "--initrd" ]; then
  [ $# -ge 2 ] || { echo "$0: --initrd needs a file" >&2; exit 64; }
  initrd=$2
  shift 2
elif [ $# -ge 1 ] && [ "${1#-}" = "$1" ]; then
  scenario=$1
  shift
fi
qemu=${QEMU:-qemu-system-x86_64}
if [ "$iso" -eq 1 ]; then
  if [ "$scenario" != demo ]; then
    echo "$0: --iso boots the scenario in the ISO's grub.cfg (demo), not '$scenario'" >&2
    exit 64
  fi
  boot=(-cdrom "$image")
elif [ -n "$initrd" ]; then
  boot=(-kernel "$image" -initrd "$initrd")
else
  boot=(-kernel "$image" -append "goos.scenario=$scenario")
fi
# -nographic already puts the serial port on stdio (adding -serial stdio is refused).
"$qemu" "${boot[@]}" -nographic -no-reboot \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 -m 256M "$@"
rc=$?
if [ $((rc & 1)) -eq 1 ]; then
  exit $(((rc - 1) >> 1))
fi
echo "qemu.sh: QEMU exited with $rc without a kernel status" >&2
exit $((rc == 0 ? 100 : rc))
