#!/bin/sh
# SPDX-License-Identifier: MIT
# Run a LAVA QEMU job of lava/ with LAVA's own dispatcher (lava-run), on this
# machine, without a LAVA server, and check the results it records.
#
#   tests/lava/run_lava_qemu.sh build/vmxprobe.iso [VERDICT]   # lava/qemu-iso.yaml
#   tests/lava/run_lava_qemu.sh build/vmxprobe.elf [VERDICT]   # lava/qemu-kernel.yaml
#
# The job's image URL is replaced by the given file; the device is
# tests/lava/data/qemu-device.yaml (TCG, 2 CPUs: the verdict is SKIP, QEMU's
# TCG CPU has no VMX). QEMU runs under nice -n 10, one at a time.
# Passes when the job completes and LAVA's results are exactly the ones the
# console log implies (one vmx_cpu_<i> per cpu: line, one guest_cpu_<i> per
# guest: line, the verdict), mapped as tests/lava/check_jobs.py maps them;
# and, when VERDICT (PASS, FAIL or SKIP) is given, the verdict is that one.
#
# Needs root (lava-run works in /var/lib/lava/dispatcher/tmp) and Debian's
# lava-dispatcher and qemu-system-x86. Without lava-run it prints SKIP and
# exits 0 (the caller decides). Exit status: 0 passed (or SKIP), 1 failed,
# 2 usage.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
py=/usr/bin/python3
[ -x "$py" ] || py=python3

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 build/vmxprobe.iso|build/vmxprobe.elf [PASS|FAIL|SKIP]" >&2
	exit 2
fi
image=$1
want=${2:-}
case $want in ''|PASS|FAIL|SKIP) ;; *) echo "$0: VERDICT is PASS, FAIL or SKIP" >&2; exit 2;; esac
case $image in
*.iso) job=$root/lava/qemu-iso.yaml; label=iso ;;
*.elf) job=$root/lava/qemu-kernel.yaml; label=kernel ;;
*) echo "$0: $image: want an .iso or an .elf" >&2; exit 2 ;;
esac
if [ ! -f "$image" ]; then
	echo "$0: $image: no such file (build it first)" >&2
	exit 2
fi
image=$(cd "$(dirname "$image")" && pwd)/$(basename "$image")

# On failure, keep lava-run's whole log.
keep() {
	cp "$work/lava.log" "${TMPDIR:-/tmp}/vmxprobe-lava-qemu.log" &&
		echo "lava-run's log: ${TMPDIR:-/tmp}/vmxprobe-lava-qemu.log"
}
skip() {
	echo "SKIP: $1"
	echo "lava-run: 0 passed, 0 failed, 1 skipped"
	exit 0
}
command -v lava-run >/dev/null 2>&1 || skip "lava-run is not installed: apt-get install -y lava-dispatcher"
command -v qemu-system-x86_64 >/dev/null 2>&1 || skip "qemu-system-x86_64 is not installed: apt-get install -y qemu-system-x86"
[ "$(id -u)" = 0 ] || skip "lava-run needs root (it works in /var/lib/lava/dispatcher/tmp)"

work=$(mktemp -d /tmp/vmxprobe-lava.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

# The job, with the image taken from this file.
"$py" - "$job" "$label" "file://$image" "$work/job.yaml" <<'EOF'
import sys, yaml
src, label, url, dst = sys.argv[1:]
with open(src) as f:
    job = yaml.safe_load(f)
for action in job["actions"]:
    if "deploy" in action:
        action["deploy"]["images"][label]["url"] = url
with open(dst, "w") as f:
    yaml.safe_dump(job, f, sort_keys=False)
EOF

echo "lava-run: $(basename "$job") with $image"
rc=0
# --job-id names the dispatcher's work directory: one per run.
nice -n 10 timeout 600 lava-run --device "$here/data/qemu-device.yaml" \
	--job-id "vmxprobe-$$" --output-dir "$work/out" "$work/job.yaml" \
	>"$work/lava.log" 2>&1 || rc=$?
if [ "$rc" != 0 ]; then
	echo "FAIL: lava-run exited $rc; its last lines:"
	tail -n 20 "$work/lava.log"
	keep
	echo "lava-run: 0 passed, 1 failed"
	exit 1
fi

# lava-run prints its log, one JSON/YAML mapping a line: the console
# ("target"), and every result ("results"). result.yaml in the output
# directory holds only the job's own result.
"$py" "$here/check_lava_run.py" "$work/lava.log" "$work/out/result.yaml" $want || { keep; exit 1; }
