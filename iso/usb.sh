#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Write the ISO to a USB stick, with a guard.
#   iso/usb.sh ISO DEV            (make usb DEV=/dev/sdX)
# Refuses a device that does not exist (before any other check), then anything
# that is not a whole, removable (or USB-attached), unmounted block device;
# shows its size and model; asks you to type the device name (or set
# USB_CONFIRM=DEV for scripts); writes with dd; reads the stick back to verify.
# Exit status: 0 written and verified, 1 refused or failed.
set -euo pipefail
iso=${1:-} dev=${2:-}
die() { echo "usb: $*" >&2; exit 1; }

[ -n "$dev" ] || die "name the stick: make usb DEV=/dev/sdX (find it with lsblk)"
# A mistyped name first, and plainly (-e follows a symlink: a dangling one does not exist).
[ -e "$dev" ] || die "$dev does not exist: list the disks with lsblk -d -o NAME,SIZE,MODEL,TRAN"
[ -f "$iso" ] || die "$iso is missing: run make iso first"
[ -b "$dev" ] || die "$dev is not a block device"
name=$(basename "$(readlink -f "$dev")")
sys=/sys/class/block/$name
[ -e "$sys" ] || die "$dev is not listed in /sys/class/block"
[ -e "$sys/partition" ] && die "$dev is a partition: name the whole stick (e.g. /dev/sdb, not /dev/sdb1)"
removable=$(cat "$sys/removable" 2>/dev/null || echo 0)
tran=$(lsblk -dno TRAN "$dev" 2>/dev/null | tr -d ' ' || true)
if [ "$removable" != 1 ] && [ "$tran" != usb ]; then
	die "$dev is not removable (removable=$removable, transport=${tran:-unknown}): refusing to write to what may be a system disk"
fi
mounts=$(lsblk -nro MOUNTPOINT "$dev" 2>/dev/null | grep -v '^$' || true)
if [ -n "$mounts" ] || grep -q "^/dev/$name" /proc/mounts /proc/swaps 2>/dev/null; then
	die "$dev (or a partition on it) is mounted or used as swap${mounts:+ at: $(echo $mounts)}: unmount it first"
fi
size=$(lsblk -dnbo SIZE "$dev" | tr -d ' ')
isosize=$(stat -c %s "$iso")
[ "$size" -ge "$isosize" ] || die "$dev holds $size bytes, the ISO needs $isosize"
model=$(lsblk -dno VENDOR,MODEL "$dev" 2>/dev/null | sed 's/  */ /g;s/^ //;s/ $//')

echo "usb: $dev: ${model:-unknown model}, $((size / 1000000)) MB, removable=$removable transport=${tran:-unknown}"
echo "usb: writing $iso ($isosize bytes) destroys everything on $dev."
if [ -n "${USB_CONFIRM:-}" ]; then
	answer=$USB_CONFIRM
elif [ -r /dev/tty ] && { exec 3</dev/tty; } 2>/dev/null; then
	read -r -u 3 -p "usb: type the device name ($dev) to go on: " answer || answer=
else
	die "no terminal to confirm on: set USB_CONFIRM=$dev to confirm in a script"
fi
[ "$answer" = "$dev" ] || die "not confirmed ($answer): nothing was written"

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
"${sudo[@]}" dd if="$iso" of="$dev" bs=4M conv=fsync status=progress
sync
if "${sudo[@]}" cmp -n "$isosize" "$iso" "$dev"; then
	echo "usb: done: $dev holds the ISO (read back and compared)"
else
	die "the read-back of $dev differs from the ISO: try another stick"
fi
