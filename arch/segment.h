/* SPDX-License-Identifier: MIT */
/* GDT selectors (SDM Vol. 3A, "Segment Selectors"). Same layout in the boot GDT and per-CPU GDTs. */
#ifndef VMXPROBE_ARCH_SEGMENT_H
#define VMXPROBE_ARCH_SEGMENT_H

#define GDT_ENTRY_KERNEL_CS     1
#define GDT_ENTRY_KERNEL_DS     2
#define GDT_ENTRY_KERNEL32_CS   3
#define GDT_ENTRY_TSS           4       /* 16 bytes: entries 4 and 5 */
#define GDT_ENTRIES             6

#define __KERNEL_CS             (GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS             (GDT_ENTRY_KERNEL_DS * 8)
#define __KERNEL32_CS           (GDT_ENTRY_KERNEL32_CS * 8)
#define GDT_TSS_SEL             (GDT_ENTRY_TSS * 8)

/* Descriptor values: flat 64-bit code (L=1), flat data, flat 32-bit code. */
#define GDT_DESC_KERNEL_CS      0x00af9a000000ffff
#define GDT_DESC_KERNEL_DS      0x00cf92000000ffff
#define GDT_DESC_KERNEL32_CS    0x00cf9a000000ffff

#ifdef __ASSEMBLER__
/* 64-bit mode, after the far jump: the flat data segment in DS, ES, SS, FS, GS
 * (SDM Vol. 3A, "Segment Loading Instructions in IA-32e Mode"). */
.macro LOAD_KERNEL_DATA_SEGMENTS
	mov	$__KERNEL_DS, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%ax, %fs
	mov	%ax, %gs
.endm
#endif

#endif
