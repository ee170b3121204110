#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build a GRUB network-boot tree (a TFTP root) for BIOS PXE and UEFI PXE clients:
#   iso/mknetdir.sh KERNEL.elf OUT_DIR
# OUT_DIR/boot/grub/i386-pc/core.0       the boot file for BIOS PXE clients
# OUT_DIR/boot/grub/x86_64-efi/core.efi  the boot file for UEFI (x86-64) PXE clients
# OUT_DIR/boot/grub/grub.cfg             iso/grub.cfg: the ISO's menu, unchanged
# OUT_DIR/boot/vmxprobe.elf              the kernel, without debug information
# Each platform's core image finds its modules and grub.cfg on the TFTP server it was
# loaded from (grub-mknetdir sets its prefix to (tftp)/boot/grub).
set -euo pipefail
elf=$1 out=$2
rm -rf "$out.tmp"
mkdir -p "$out.tmp/boot/grub"
# The menu's modules, and the network ones.
. "$(dirname "$0")/menu-modules.sh"
modules="$menu_modules net tftp"
for platform in i386-pc x86_64-efi; do
	grub-mknetdir --net-directory="$out.tmp" --subdir=boot/grub \
		-d "/usr/lib/grub/$platform" --install-modules="$(echo $modules)" \
		--locales= --fonts= --themes= >"$out.tmp/log" 2>&1 ||
		{ cat "$out.tmp/log" >&2; exit 1; }
done
rm "$out.tmp/log"
cp "$(dirname "$0")/grub.cfg" "$out.tmp/boot/grub/grub.cfg"
"${OBJCOPY:-objcopy}" --strip-debug "$elf" "$out.tmp/boot/vmxprobe.elf"
rm -rf "$out"
mv "$out.tmp" "$out"
