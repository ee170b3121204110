/* SPDX-License-Identifier: MIT */
/*
 * The SBAT metadata of vmxprobe.efi (efi.ld puts it in a section of its own,
 * .sbat; the ELF kernel leaves it out). shim's SBAT.md, "SBAT": CSV lines of
 * component name, generation, vendor, package, version, URL; the first line
 * names the SBAT format itself. shim refuses an image without it, and one day
 * revokes a component's generations below some number: vmxprobe's generation
 * goes up by one whenever a fix must keep older, signed vmxprobe.efi images
 * from running under Secure Boot (docs/secure-boot.md).
 */
	.section .sbat, "a"
	.ascii "sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md\n"
	.ascii "vmxprobe,1,vmxprobe,vmxprobe,", VP_VERSION, ",docs/secure-boot.md\n"
