/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2 header.
 *
 * Multiboot2 specification 2.0, section 3.1 "OS image format": the header must be
 * contained completely within the first 32768 bytes of the OS image and be 64-bit
 * aligned; magic 0xE85250D6, architecture 0 (32-bit protected mode of i386), header
 * length, and a checksum that makes the sum of those fields zero (mod 2^32).
 * Tags follow, each 8-byte aligned; the list ends with a tag of type 0, size 8.
 */
#define MB2_HEADER_MAGIC        0xe85250d6
#define MB2_ARCH_I386           0
#define MB2_TAG_END             0
#define MB2_TAG_INFO_REQUEST    1
#define MB2_TAG_FRAMEBUFFER     5
#define MB2_TAG_RELOCATABLE     10
#define MB2_TAG_OPTIONAL        1

#include "lib/pvh.h"

	.section .multiboot2, "a"

#if TEST_MB1_HEADER
	/*
	 * Test builds only (make TEST_MB1_HEADER=1, the wrong-boot-protocol case):
	 * a Multiboot 1 header (Multiboot 0.6.96, section 3.1.1 "The layout of
	 * Multiboot header": magic 0x1BADB002, flags 0, checksum; within the first
	 * 8 KiB, 4-byte aligned), so that GRUB's multiboot command starts the kernel
	 * with EAX = 0x2BADB002 and boot/entry.S's refusal can be seen. Not in the
	 * user's kernel: QEMU's -kernel tries Multiboot 1 before PVH and refuses an
	 * x86-64 ELF that carries this header.
	 */
	.balign 4
	.long 0x1badb002
	.long 0
	.long -0x1badb002
#endif

	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	/*
	 * Section 3.1.4 "Multiboot2 information request": ask (optionally) for the
	 * command line (1), loader name (2), memory map (6), framebuffer (8),
	 * EFI system tables (11, 12) and both ACPI RSDP tags (14, 15).
	 */
	.balign 8
info_request:
	.short MB2_TAG_INFO_REQUEST, MB2_TAG_OPTIONAL
	.long info_request_end - info_request
	.long 1, 2, 6, 8, 11, 12, 14, 15
info_request_end:

	/*
	 * Section 3.1.10 "The framebuffer tag of Multiboot2 header": ask for a
	 * framebuffer, any size and depth (0 = no preference), optionally: GRUB EFI
	 * then passes the GOP framebuffer; under BIOS, grub.cfg's gfxpayload=text
	 * keeps EGA text mode.
	 */
	.balign 8
	.short MB2_TAG_FRAMEBUFFER, MB2_TAG_OPTIONAL
	.long 20
	.long 0, 0, 0

	/*
	 * Section 3.1.13 "Relocatable header tag": the image may be loaded
	 * anywhere in [min_addr, max_addr] at an `align` boundary, and the loader
	 * then passes the load base (section 3.6 "Image load base physical
	 * address", tag 21). GRUB then places it in memory its memory map calls
	 * free, under BIOS and UEFI, instead of at the link address whatever lies
	 * there (linker.ld). min 2 MiB: low memory holds the AP trampoline page
	 * and the loader's boot information. max 4 GiB: the 32-bit entry and the
	 * AP trampoline (its mailbox holds 32-bit CR3 and GDT addresses) need the
	 * whole image below it. Aligned to 2 MiB: the boot page tables map 2 MiB
	 * pages, and the boot CPU's block stays in the image's first 2 MiB
	 * (linker.ld). Preference 1: the lowest such address.
	 *
	 * Test builds only (make TEST_FIXED_ADDR=1, the kernel-on-firmware-memory
	 * case): no tag, so GRUB loads the image at its link address, 16 MiB,
	 * whatever the memory map says there, as before this tag.
	 */
#if !TEST_FIXED_ADDR
	.balign 8
	.short MB2_TAG_RELOCATABLE, 0
	.long 24
	.long 0x200000			/* min_addr */
	.long 0xffffffff		/* max_addr: the image ends below 4 GiB */
	.long 0x200000			/* align */
	.long 1				/* preference: lowest */
#endif

	.balign 8
	.short MB2_TAG_END, 0
	.long 8
mb2_header_end:

/*
 * The PVH entry point, for a direct boot (QEMU -kernel, Xen, cloud-hypervisor,
 * Firecracker). Xen's public header elfnote.h, XEN_ELFNOTE_PHYS32_ENTRY (18):
 * "Physical entry point into the kernel ... in 32-bit protected mode"; an ELF
 * note (ELF gABI "Note Section": namesz, descsz, type, name padded to 4 bytes,
 * desc) named "Xen". The desc is 8 bytes in a 64-bit ELF, as Linux's
 * ELFNOTE(Xen, XEN_ELFNOTE_PHYS32_ENTRY, _ASM_PTR ...) in
 * arch/x86/platform/pvh/head.S; QEMU's read_pvh_start_addr() reads it so.
 */
	.section .note.Xen, "a"
	.balign 4
	.long 4				/* namesz: "Xen\0" */
	.long 8				/* descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.quad pvh_start
