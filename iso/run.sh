#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot the ISO (or, direct, the kernel) in QEMU with the serial console on this terminal.
#   iso/run.sh ISO          (SMP=N for the CPU count, default 2; RUN_TIMEOUT seconds, default 600)
#   iso/run.sh KERNEL.elf   PVH direct boot: -kernel, no firmware boot menu, no GRUB
#                           (APPEND="..." is the kernel command line)
# With a usable /dev/kvm: -enable-kvm -cpu host; where this QEMU cannot set an MSR
# of the host CPU model (QEMU 7.2 aborts on MSR 0x10a, IA32_ARCH_CAPABILITIES, on
# some hosts) it retries with -cpu host,-arch-capabilities. Without KVM: TCG.
# Exit status: 0 for verdict PASS or SKIP, 1 for FAIL, 2 when no verdict came.
set -uo pipefail
image=$1
smp=${SMP:-2}
limit=${RUN_TIMEOUT:-600}
case $image in
	*.elf) media=(-kernel "$image" -append "${APPEND:-}") ;;
	*)     media=(-cdrom "$image" -boot d) ;;
esac
base=("${media[@]}" -m 512 -smp "$smp" -display none -serial stdio -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
err=$(mktemp)
trap 'rm -f "$err"' EXIT

boot() {
	echo "run: qemu-system-x86_64 $*" >&2
	timeout "$limit" qemu-system-x86_64 "${base[@]}" "$@" 2> >(tee "$err" >&2)
}

if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	boot -enable-kvm -cpu host
	status=$?
	if [ "$status" -ne 1 ] && [ "$status" -ne 3 ] && [ "$status" -ne 77 ] &&
	   grep -q 'failed to set MSR' "$err"; then
		echo "run: this QEMU cannot set an MSR of -cpu host; retrying with -cpu host,-arch-capabilities" >&2
		boot -enable-kvm -cpu host,-arch-capabilities
		status=$?
	fi
else
	echo "run: /dev/kvm is not usable here: using TCG (no VMX; expect verdict SKIP)" >&2
	boot -accel tcg -cpu max
	status=$?
fi

case $status in
	1)   echo "run: verdict PASS (QEMU status 1)" >&2; exit 0 ;;
	77)  echo "run: verdict SKIP (QEMU status 77)" >&2; exit 0 ;;
	3)   echo "run: verdict FAIL (QEMU status 3)" >&2; exit 1 ;;
	124) echo "run: no verdict within ${limit} s" >&2; exit 2 ;;
	0)   echo "run: QEMU exited with 0: the guest reset (triple fault?)" >&2; exit 2 ;;
	*)   echo "run: QEMU exited with status $status" >&2; exit 2 ;;
esac
