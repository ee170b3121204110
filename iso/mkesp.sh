#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A disk image with one EFI System Partition that starts vmxprobe.efi: for a USB
# stick (make esp, make usb SECUREBOOT=1) and the boot cases (tests/boot/run.py).
#
#   iso/mkesp.sh OUT.img APP.efi
#       \EFI\BOOT\BOOTX64.EFI is APP: the firmware starts it (Secure Boot off, or
#       APP signed with a key the firmware's db holds).
#   iso/mkesp.sh --shim CERT OUT.img APP.efi
#       Secure Boot through shim: \EFI\BOOT\BOOTX64.EFI is Debian's shim (signed by
#       Microsoft's UEFI CA), mmx64.efi its MokManager, grubx64.efi APP (what shim
#       starts; signed with the user's key), and \vmxprobe.cer the key's certificate
#       in DER, for MokManager's "Enroll key from disk" (docs/secure-boot.md).
#   iso/mkesp.sh --startup "OPTIONS" OUT.img APP.efi
#       For tests: APP as \vmxprobe.efi and a startup.nsh that starts it with
#       OPTIONS; no BOOTX64.EFI, so OVMF falls through to its UEFI Shell, which runs
#       startup.nsh (the way to pass load options without a boot entry).
#
# UEFI Specification 2.10, section 13.3 "File System Format" (the ESP is FAT;
# removable media boot \EFI\BOOT\BOOTX64.EFI: section 3.5.1.1 "Removable Media
# Boot Behavior") and section 5.3 "GUID Partition Table (GPT) Disk Layout" (the
# ESP's type GUID C12A7328-F81F-11D2-BA4B-00A0C93EC93B). The image is GPT with a
# protective MBR (sfdisk), the partition FAT32 (mkfs.vfat), filled with mtools:
# nothing is mounted, no root needed.
set -euo pipefail
SHIM=/usr/lib/shim/shimx64.efi.signed
MOKMANAGER=/usr/lib/shim/mmx64.efi.signed
ESP_TYPE=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
SIZE_MIB=64             # FAT32 needs 65525 clusters: 62 MiB of 512-byte clusters
START=2048              # the partition's first sector (1 MiB)

die() { echo "mkesp: $*" >&2; exit 1; }
cert='' startup='' shim=0
while [ $# -gt 0 ]; do
	case $1 in
		--shim) shim=1; cert=${2:?--shim needs the certificate}; shift 2 ;;
		--startup) startup=${2?--startup needs the options}; startup=${startup:- }; shift 2 ;;
		-*) die "unknown option $1" ;;
		*) break ;;
	esac
done
[ $# -eq 2 ] || die "usage: mkesp.sh [--shim CERT | --startup OPTIONS] OUT.img APP.efi"
out=$1 app=$2
[ -f "$app" ] || die "$app is missing (make efi)"
for tool in sfdisk mkfs.vfat mcopy mmd; do
	command -v "$tool" >/dev/null || die "$tool is missing: bash .ci/deps.sh sign"
done
if [ $shim = 1 ]; then
	for f in "$SHIM" "$MOKMANAGER"; do
		[ -f "$f" ] || die "$f is missing: bash .ci/deps.sh sign (packages shim-signed, shim-helpers-amd64-signed)"
	done
	[ -f "$cert" ] || die "$cert is missing: the certificate of the key vmxprobe.efi is signed with"
fi

tmp=$out.tmp
rm -f "$tmp"
truncate -s ${SIZE_MIB}M "$tmp"
printf 'label: gpt\nstart=%s, type=%s, name="vmxprobe"\n' $START $ESP_TYPE |
	sfdisk --quiet "$tmp"
# The partition's size in KiB (mkfs.vfat's block count): to the backup GPT's start.
sectors=$(sfdisk --dump "$tmp" | sed -n 's/.*start= *[0-9]*, size= *\([0-9]*\).*/\1/p')
mkfs.vfat -F 32 -s 1 -n VMXPROBE --offset $START "$tmp" $((sectors / 2)) 2>&1 >/dev/null |
	grep -v "block count mismatch" >&2 || true
img="$tmp@@$((START * 512))"
export MTOOLS_SKIP_CHECK=1

if [ -n "$startup" ]; then
	mcopy -i "$img" "$app" ::/vmxprobe.efi
	printf '@echo -off\r\nfs0:\r\n\\vmxprobe.efi %s\r\n' "$startup" > "$tmp.nsh"
	mcopy -i "$img" "$tmp.nsh" ::/startup.nsh
	rm -f "$tmp.nsh"
else
	mmd -i "$img" ::/EFI ::/EFI/BOOT
	if [ $shim = 1 ]; then
		mcopy -i "$img" "$SHIM" ::/EFI/BOOT/BOOTX64.EFI
		mcopy -i "$img" "$MOKMANAGER" ::/EFI/BOOT/mmx64.efi
		mcopy -i "$img" "$app" ::/EFI/BOOT/grubx64.efi
		if grep -q -- '-----BEGIN CERTIFICATE-----' "$cert"; then
			openssl x509 -in "$cert" -outform DER -out "$tmp.cer"
		else
			cp "$cert" "$tmp.cer"
		fi
		mcopy -i "$img" "$tmp.cer" ::/vmxprobe.cer
		rm -f "$tmp.cer"
	else
		mcopy -i "$img" "$app" ::/EFI/BOOT/BOOTX64.EFI
	fi
fi
mv "$tmp" "$out"
