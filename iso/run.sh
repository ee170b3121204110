#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot the ISO (or, direct, the kernel) in QEMU with the serial console on this
# terminal, and give the verdict the serial log holds.
#   iso/run.sh ISO          boot from CD (firmware, GRUB, Multiboot2)
#   iso/run.sh KERNEL.elf   PVH direct boot: -kernel, no firmware boot menu, no GRUB
#   iso/run.sh DISK.img     a disk with vmxprobe.efi on its EFI System Partition
#                           (iso/mkesp.sh), under OVMF: no GRUB
# Environment:
#   SMP=N          CPUs (default 2)
#   APPEND="..."   the kernel command line (direct boot; for an ISO, make run builds
#                  one whose menu passes it: see the Makefile's run target)
#   ACCEL=auto|kvm|tcg   auto (default): KVM where /dev/kvm is usable, else TCG
#   RUN_TIMEOUT=S  the bound on the whole boot, in seconds (default 600)
#   RUN_QUIET=S    a kernel that halts (exit=halt, reboot=) is stopped once its
#                  summary line has arrived and the serial line has been quiet for
#                  S seconds (default 2)
#   RUN_LOG=FILE   where the serial log is kept (default: run.log beside the image)
#   QEMU=PROGRAM   the QEMU to run (default qemu-system-x86_64; tests pass a fake)
#   OVMF=FILE      the UEFI firmware for a DISK.img (default /usr/share/ovmf/OVMF.fd)
#
# The verdict comes from the serial log, judged by tools/vmxprobe-log (a summary
# that agrees with the per-CPU lines), never from QEMU's exit status alone:
# isa-debug-exit makes a PASS exit with status 1, and QEMU also exits with 1 for
# its own errors (a bad option, a missing file, no KVM), before the kernel ran.
# Exit status: 0 verdict PASS or SKIP, 1 FAIL, 2 no verdict (QEMU did not start,
# or stopped without a whole summary, or RUN_TIMEOUT passed).
set -uo pipefail
image=$1
here=$(dirname "$0")
smp=${SMP:-2}
limit=${RUN_TIMEOUT:-600}
quiet=${RUN_QUIET:-2}
log=${RUN_LOG:-$(dirname "$image")/run.log}
qemu=${QEMU:-qemu-system-x86_64}
reader=(python3 "$here/../tools/vmxprobe-log")

number() { [[ $2 =~ ^[0-9]+$ ]] || { echo "run: $1=$2 is not a number of seconds" >&2; exit 2; }; }
number RUN_TIMEOUT "$limit"
number RUN_QUIET "$quiet"
[ -r "$image" ] || { echo "run: no verdict: $image cannot be read" >&2; exit 2; }

case $image in
	*.elf) media=(-kernel "$image" -append "${APPEND:-}") ;;
	*.img) media=(-bios "${OVMF:-/usr/share/ovmf/OVMF.fd}" -drive "format=raw,file=${image//,/,,}" -nic none) ;;
	*)     media=(-cdrom "$image" -boot d) ;;
esac
# COM1 is a chardev on this terminal that QEMU also copies to the log file (a
# comma in a QEMU option's value is written twice).
base=("${media[@]}" -m 512 -smp "$smp" -display none -no-reboot
      -chardev "stdio,id=com1,signal=on,logfile=${log//,/,,}" -serial chardev:com1
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
err=$(mktemp)
pid=
trap 'rm -f "$err"' EXIT
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; echo; echo "run: no verdict: interrupted" >&2; exit 2' INT TERM

# Whether the log holds a summary line (CR-terminated lines included).
has_summary() { grep -aq '^vmxprobe: summary .*verdict=' "$log" 2>/dev/null; }

# The command as a shell reads it back: copying the line reproduces the boot.
show() {
	local a line=run:
	for a in "$@"; do
		if [[ $a =~ ^[A-Za-z0-9_./=,:@%+-]+$ ]]; then line+=" $a"; else line+=" '${a//\'/\'\\\'\'}'"; fi
	done
	echo "$line" >&2
}

# boot ARGS...: run QEMU until it exits, RUN_TIMEOUT passes, or a halted kernel has
# said all it will; sets status (QEMU's, or "timeout" / "quiet" when stopped here).
boot() {
	local cmd=("$qemu" "${base[@]}" "$@") waited=0 still=0 size=-1 now
	show "${cmd[@]}"
	: > "$log"
	# An explicit <&0: a background command would otherwise read /dev/null, and the
	# GRUB menu on the serial console could not be reached from this terminal.
	"${cmd[@]}" <&0 2> >(tee "$err" >&2) &
	pid=$!
	status=
	# Every wait has a bound: poll five times a second.
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$waited" -ge $((limit * 5)) ]; then
			status=timeout
			break
		fi
		now=$(stat -c %s "$log" 2>/dev/null || echo 0)
		if [ "$now" -ne "$size" ]; then
			size=$now still=0
		elif has_summary; then
			still=$((still + 1))
			if [ "$still" -ge $((quiet * 5)) ]; then
				status=quiet
				break
			fi
		fi
		sleep 0.2
		waited=$((waited + 1))
	done
	if [ -n "$status" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	else
		wait "$pid"
		status=$?
	fi
	pid=
	wait 2>/dev/null        # tee of QEMU's messages
}

accel=${ACCEL:-auto}
if [ "$accel" = auto ]; then
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then accel=kvm; else accel=tcg; fi
	[ "$accel" = tcg ] && echo "run: /dev/kvm is not usable here: using TCG (-cpu max: no VMX, but AMD SVM, which vmxprobe checks on every CPU)" >&2
fi
case $accel in
	kvm)
		boot -accel kvm -cpu host
		# QEMU 7.2 aborts on some hosts when it cannot set an MSR of the host CPU
		# model (MSR 0x10a, IA32_ARCH_CAPABILITIES): retry without that MSR.
		if [ ! -s "$log" ] && grep -q 'failed to set MSR' "$err"; then
			echo "run: this QEMU cannot set an MSR of -cpu host; retrying with -cpu host,-arch-capabilities" >&2
			boot -accel kvm -cpu host,-arch-capabilities
		fi ;;
	tcg) boot -accel tcg -cpu max ;;
	*) echo "run: ACCEL=$accel is not known: use auto, kvm or tcg" >&2; exit 2 ;;
esac

case $status in
	timeout) how="stopped after RUN_TIMEOUT=${limit} s" ;;
	quiet)   how="stopped ${quiet} s after the summary: the kernel halted" ;;
	*)       how="QEMU exit status $status" ;;
esac
if [ ! -s "$log" ]; then
	echo "run: no verdict: the kernel printed nothing ($how; QEMU's message, if any, is above)" >&2
	exit 2
fi
judged=$("${reader[@]}" "$log")
verdict=$?
judged=${judged#"$log: "}
case $verdict in
	0|1) echo "run: verdict $judged (from the serial log $log; $how)" >&2 ;;
	*)   echo "run: no verdict: $judged (from the serial log $log; $how)" >&2
	     [ "$status" = timeout ] || has_summary || echo "run: the log ends without a summary line: the kernel stopped, reset or hung before its report" >&2 ;;
esac
exit "$verdict"
