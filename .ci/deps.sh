#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian/Ubuntu packages a make target needs, if any are missing.
#   .ci/deps.sh GROUP...   (the union of the groups named)
#   build   the kernel: compiler, binutils, make                      (make)
#   iso     the ISO and the netboot tree: GRUB (BIOS and EFI), xorriso,
#           mtools                                (make iso, netboot, usb)
#   run     QEMU (with SeaBIOS, OVMF and the PXE ROMs) and python3 for
#           the results reader                                  (make run)
#   sign    sbsign, openssl, Debian's signed shim and MokManager, and
#           the FAT tools, for UEFI disk images   (make sign, esp, usb SECUREBOOT=1)
#   test    all of the above, plus OVMF, Bochs, pytest, pytest-xdist,
#           lxml and LAVA's job schema                          (make test)
#   slow    the test packages, plus LAVA's dispatcher      (make test-slow)
#   fuzz    clang and its libFuzzer runtime                     (make fuzz)
#   browser Chromium, its driver and Selenium, for the fleet page's test in a
#           real browser (make test tries it; where it cannot, that test SKIPs)
# Uses apt-get (through sudo when not root); where it cannot, it stops and prints
# the exact command to run.
set -euo pipefail
build=(gcc binutils make)
iso=(grub-common grub-pc-bin grub-efi-amd64-bin xorriso mtools)
run=(qemu-system-x86 ovmf python3)
sign=(sbsigntool openssl shim-signed shim-helpers-amd64-signed dosfstools mtools fdisk)
test=("${build[@]}" "${iso[@]}" "${run[@]}" "${sign[@]}" ipxe-qemu ovmf seabios bochs bochsbios vgabios
	bochs-term python3-pytest python3-pytest-xdist python3-lxml lava-common)
fuzz=(clang libclang-rt-14-dev python3)
browser=(chromium chromium-driver python3-selenium)
# The commands each group brings, for a system without dpkg.
declare -A commands=([build]="gcc ld make" [iso]="grub-mkrescue grub-mknetdir xorriso mformat"
	[run]="qemu-system-x86_64 python3" [sign]="sbsign openssl mkfs.vfat mcopy sfdisk"
	[fuzz]="clang python3" [browser]="chromium chromedriver")
commands[test]="${commands[build]} ${commands[iso]} ${commands[run]} ${commands[sign]} bochs"
commands[slow]=${commands[test]}
want=() need=()
[ $# -gt 0 ] || set -- test
for group in "$@"; do
	case $group in
		build) want+=("${build[@]}") ;;
		iso)   want+=("${iso[@]}") ;;
		run)   want+=("${run[@]}") ;;
		sign)  want+=("${sign[@]}") ;;
		test)  want+=("${test[@]}") ;;
		slow)  want+=("${test[@]}" lava-dispatcher) ;;
		fuzz)  want+=("${fuzz[@]}") ;;
		browser) want+=("${browser[@]}") ;;
		*) echo "usage: $0 build|iso|run|sign|test|slow|fuzz|browser..." >&2; exit 2 ;;
	esac
	need+=(${commands[$group]})
done

if ! command -v dpkg-query >/dev/null 2>&1; then
	missing=()
	for c in "${need[@]}"; do
		command -v "$c" >/dev/null 2>&1 || missing+=("$c")
	done
	[ ${#missing[@]} -eq 0 ] && exit 0
	echo "deps: not a Debian/Ubuntu system; install these tools yourself: ${missing[*]}" >&2
	echo "deps: (and, as the groups need them, GRUB's i386-pc and x86_64-efi platform files, OVMF, SeaBIOS, Bochs's BIOS)" >&2
	exit 1
fi

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo=(sudo)
else
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
