/* SPDX-License-Identifier: MIT */
/*
 * The benchmark's floor: the smallest kernel QEMU's -kernel can boot through PVH.
 * It only ends the run (QEMU isa-debug-exit, status (0 << 1) | 1 = 1), so a boot of
 * it costs what QEMU and the firmware cost and nothing else: what is left for any
 * kernel to win or lose (tests/bench/bench.py). Not part of vmxprobe.
 *
 * The note is the x86/HVM direct boot ABI's XEN_ELFNOTE_PHYS32_ENTRY (type 18,
 * name "Xen", a 32-bit entry address): Xen's include/public/elfnote.h; the loader
 * enters in 32-bit protected mode with paging off (docs/misc/pvh.pandoc).
 */
	.section .note.Xen, "a", @note
	.p2align 2
	.long 4, 4, 18                  /* namesz, descsz, XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.long floor_entry

	.text
	.code32
	.globl floor_entry
floor_entry:
	xor	%eax, %eax
	outb	%al, $0xf4              /* QEMU's isa-debug-exit: exit status 1 */
1:	cli
	hlt
	jmp	1b
