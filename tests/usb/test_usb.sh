#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make usb must refuse what is not a whole, removable, unmounted stick. These
# checks run the real iso/usb.sh against devices that must be refused; none of
# them reaches the write (each would stop at a confirmation prompt anyway: no
# terminal, no USB_CONFIRM).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
usb=$root/iso/usb.sh
iso=${1:-$root/build/vmxprobe.iso}
pass=0 fail=0 skip=0

expect_refusal() {     # NAME DEV PATTERN [ISO]
	local out rc
	out=$(USB_CONFIRM= bash "$usb" "${4:-$iso}" "$2" </dev/null 2>&1); rc=$?
	if [ $rc -ne 0 ] && grep -q -- "$3" <<<"$out"; then
		echo "PASS: usb/$1"; pass=$((pass + 1))
	else
		echo "FAIL: usb/$1: exit $rc, expected a refusal matching '$3'; said: $out"; fail=$((fail + 1))
	fi
}

expect_refusal no-device "" "name the stick"
tmp=$(mktemp)
expect_refusal regular-file "$tmp" "is not a block device"
rm -f "$tmp"
# A device that does not exist (a mistyped make usb DEV=/dev/sdzz) is named as such, with
# where to look, before any other check: even with the ISO missing too.
gone="does not exist: list the disks with lsblk -d -o NAME,SIZE,MODEL,TRAN"
expect_refusal missing-device /dev/vmxprobe-no-such-device "^usb: /dev/vmxprobe-no-such-device $gone\$"
if [ ! -e /dev/sdzz ]; then
	expect_refusal missing-sdzz /dev/sdzz "^usb: /dev/sdzz $gone\$"
else
	echo "SKIP: usb/missing-sdzz: /dev/sdzz exists here"; skip=$((skip + 1))
fi
expect_refusal missing-device-before-iso /dev/vmxprobe-no-such-device \
	"^usb: /dev/vmxprobe-no-such-device $gone\$" /nonexistent/vmxprobe.iso
ln -s /dev/vmxprobe-no-such-device "$tmp.link"
expect_refusal dangling-link "$tmp.link" "^usb: $tmp.link $gone\$"
rm -f "$tmp.link"

# A non-removable disk: the first whole disk with removable=0 (the system disk).
disk=$(lsblk -dnro NAME,RM,TYPE 2>/dev/null | awk '$2 == 0 && $3 == "disk" { print $1; exit }')
if [ -n "$disk" ]; then
	expect_refusal non-removable-disk "/dev/$disk" "is not removable"
else
	echo "SKIP: usb/non-removable-disk: no whole disk visible here (lsblk lists none)"; skip=$((skip + 1))
fi
# Any partition: refused before anything else is looked at.
part=$(lsblk -nro NAME,TYPE 2>/dev/null | awk '$2 == "part" { print $1; exit }')
if [ -n "$part" ]; then
	expect_refusal partition "/dev/$part" "is a partition"
else
	echo "SKIP: usb/partition: no partition visible here"; skip=$((skip + 1))
fi
# The Secure Boot stick needs the user's key: without KEY and CERT, make refuses
# before it builds or writes anything, and says how to go on.
expect_make_refusal() {     # NAME PATTERN MAKE-ARGS...
	local name=$1 pattern=$2 out rc
	shift 2
	out=$(make -s -C "$root" "$@" </dev/null 2>&1); rc=$?
	if [ $rc -eq 2 ] && grep -q -- "$pattern" <<<"$out"; then
		echo "PASS: usb/$name"; pass=$((pass + 1))
	else
		echo "FAIL: usb/$name: exit $rc, expected 2 and '$pattern'; said: $out"; fail=$((fail + 1))
	fi
}
expect_make_refusal secureboot-no-key "^make usb: name your signing key and certificate: make usb SECUREBOOT=1 KEY=db.key CERT=db.crt DEV=/dev/sdX" \
	usb SECUREBOOT=1 DEV=/dev/vmxprobe-no-such-device
expect_make_refusal sign-no-key "^make sign: name your signing key and certificate" sign CERT=x.pem
echo "usb: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
