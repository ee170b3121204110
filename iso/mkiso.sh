#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build a hybrid BIOS+UEFI, CD+USB ISO with grub-mkrescue.
#   iso/mkiso.sh KERNEL.elf OUT.iso [GRUB_CFG]
# GRUB_CFG defaults to iso/grub.cfg; tests pass a generated one (other command
# lines, or GRUB commands run before the kernel), never shipped in the user's ISO,
# and TEST_MODULES="wrmsr multiboot" for the GRUB commands only tests use.
# EFI_APP=vmxprobe.efi puts the UEFI application beside the kernel, as
# /boot/vmxprobe.efi, for the menu's chainloader entry under UEFI.
# The ISO's kernel has no debug information (OBJCOPY --strip-debug; the symbols'
# link addresses are unchanged): addr2line a fault's rip= against
# build/vmxprobe.elf after subtracting how far it was moved (docs/protocol.md).
set -euo pipefail
elf=$1 out=$2 cfg=${3:-$(dirname "$0")/grub.cfg}
stage=$(mktemp -d "${TMPDIR:-/tmp}/vmxprobe-iso.XXXXXX")
trap 'rm -rf "$stage"' EXIT
# $stage/root becomes the ISO's root; the rest of $stage (the log, the lists
# below) stays out of the ISO.
root=$stage/root
mkdir -p "$root/boot/grub"
"${OBJCOPY:-objcopy}" --strip-debug "$elf" "$root/boot/vmxprobe.elf"
cp "$cfg" "$root/boot/grub/grub.cfg"
[ -z "${EFI_APP:-}" ] || cp "$EFI_APP" "$root/boot/vmxprobe.efi"
# Only the modules the menu needs, and those that find it on a CD or a stick; no
# locales, fonts or themes.
. "$(dirname "$0")/menu-modules.sh"
modules="$menu_modules iso9660 part_msdos part_gpt fat
	search search_fs_file search_fs_uuid search_label ${TEST_MODULES:-}"

# GRUB's normal mode reads four autoload lists from $prefix/PLATFORM/ before the
# menu (GRUB manual, "GRUB image files": modules "are often loaded automatically";
# the lists are read by grub-core/normal/dyncmd.c, autofs.c, crypto.c and term.c):
# command.lst (command -> module), fs.lst, crypto.lst, terminal.lst. grub-mkrescue
# copies them whole (command.lst names 205 commands) although --install-modules
# installs a few modules, and GRUB registers every entry. Where GRUB runs slowly
# (the development machine's nested KVM runs GRUB's BIOS code at well under a
# MIPS) that cost about 3 s of an ISO boot; so each list keeps only the entries
# whose module is installed (the modules above and what they depend on, from the
# platform's moddep.lst). A command of a module that is not on the ISO then
# says "can't find command" instead of "file ... not found".
maps=()
# The platforms grub-mkrescue installs: every one under its default directory.
for dir in /usr/lib/grub/*/; do
	platform=$(basename "$dir")
	[ -f "$dir/moddep.lst" ] && [ -f "$dir/command.lst" ] || continue
	declare -A installed=()
	queue=($modules)
	while [ ${#queue[@]} -gt 0 ]; do
		m=${queue[0]} queue=("${queue[@]:1}")
		[ -n "${installed[$m]:-}" ] && continue
		installed[$m]=1
		queue+=($(sed -n "s/^$m: *//p" "$dir/moddep.lst"))
	done
	mkdir -p "$stage/lists/$platform"
	for list in command fs crypto terminal; do
		[ -f "$dir/$list.lst" ] || continue
		# A line is "[*]NAME: MODULE" (fs.lst: "MODULE").
		while IFS= read -r line; do
			[ -n "${installed[${line##*[: ]}]:-}" ] && printf '%s\n' "$line"
		done <"$dir/$list.lst" >"$stage/lists/$platform/$list.lst"
		maps+=(-map "$stage/lists/$platform/$list.lst" "/boot/grub/$platform/$list.lst")
	done
	unset installed
done

# --compress=no: the modules are stored as they are. With xz, GRUB decompresses
# each one it loads (normal.mod alone is 115 KiB), and under nested KVM that made
# GRUB's share of an ISO boot about 100 s instead of 27 s (2026-12-04); the ISO
# is about 0.6 MiB larger. (--modules=, which builds modules into the LZMA-
# compressed core image, was slower still: GRUB decompresses the whole core.)
# After "--", xorriso commands: drop the copy of the EFI loader that grub-mkrescue
# adds for HFS+ blessing on Macs (/System/Library/CoreServices/boot.efi, 192 KiB,
# and its /mach_kernel stub); Intel Macs, like every UEFI PC, start the same loader
# from the EFI system partition (efi.img, \EFI\BOOT\BOOTX64.EFI). Then the lists
# above replace grub-mkrescue's copies.
grub-mkrescue --quiet -o "$out" \
	--install-modules="$(echo $modules)" --locales= --fonts= --themes= \
	--compress=no "$root" -- -rm_r /System /mach_kernel -- "${maps[@]}" \
	2>"$stage/log" || { cat "$stage/log" >&2; exit 1; }
