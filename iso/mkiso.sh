#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build a hybrid BIOS+UEFI, CD+USB ISO with grub-mkrescue.
#   iso/mkiso.sh KERNEL.elf OUT.iso [GRUB_CFG]
# GRUB_CFG defaults to iso/grub.cfg; tests pass a generated one (other command
# lines, or GRUB commands run before the kernel), never shipped in the user's ISO,
# and TEST_MODULES="wrmsr multiboot" for the GRUB commands only tests use.
# The ISO's kernel has no debug information (OBJCOPY --strip-debug; addresses are
# unchanged): addr2line a fault's rip= against build/vmxprobe.elf.
set -euo pipefail
elf=$1 out=$2 cfg=${3:-$(dirname "$0")/grub.cfg}
stage=$(mktemp -d "${TMPDIR:-/tmp}/vmxprobe-iso.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
"${OBJCOPY:-objcopy}" --strip-debug "$elf" "$stage/boot/vmxprobe.elf"
cp "$cfg" "$stage/boot/grub/grub.cfg"
# Only the modules the menu needs, and those that find it on a CD or a stick; no
# locales, fonts or themes.
. "$(dirname "$0")/menu-modules.sh"
modules="$menu_modules iso9660 part_msdos part_gpt fat
	search search_fs_file search_fs_uuid search_label ${TEST_MODULES:-}"
# After "--", xorriso commands: drop the copy of the EFI loader that grub-mkrescue
# adds for HFS+ blessing on Macs (/System/Library/CoreServices/boot.efi, 192 KiB,
# and its /mach_kernel stub); Intel Macs, like every UEFI PC, start the same loader
# from the EFI system partition (efi.img, \EFI\BOOT\BOOTX64.EFI).
grub-mkrescue --quiet -o "$out" \
	--install-modules="$(echo $modules)" --locales= --fonts= --themes= \
	--compress=xz "$stage" -- -rm_r /System /mach_kernel -- \
	2>"$stage/log" || { cat "$stage/log" >&2; exit 1; }
