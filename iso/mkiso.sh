#!/usr/bin/env bash
# Build a hybrid BIOS+UEFI, CD+USB ISO with grub-mkrescue.
#   iso/mkiso.sh KERNEL.elf OUT.iso [GRUB_CFG]
# GRUB_CFG defaults to iso/grub.cfg; tests pass a generated one (other command
# lines, or GRUB commands run before the kernel), never shipped in the user's ISO.
set -euo pipefail
elf=$1 out=$2 cfg=${3:-$(dirname "$0")/grub.cfg}
stage=$(mktemp -d "${TMPDIR:-/tmp}/vmxprobe-iso.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$elf" "$stage/boot/vmxprobe.elf"
cp "$cfg" "$stage/boot/grub/grub.cfg"
# Only the modules the menu needs (both platforms); no locales, fonts or themes.
modules="normal configfile multiboot2 multiboot boot echo test iso9660 part_msdos part_gpt fat
	search search_fs_file search_fs_uuid search_label wrmsr all_video gfxterm
	serial terminal sleep reboot halt"
grub-mkrescue --quiet -o "$out" \
	--install-modules="$(echo $modules)" --locales= --fonts= --themes= \
	--compress=xz "$stage" 2>"$stage/log" || { cat "$stage/log" >&2; exit 1; }
