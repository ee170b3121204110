/* SPDX-License-Identifier: MIT */
/*
 * The image's own relocations (linker.ld, "Relocation"): before kmain, every
 * R_X86_64_RELATIVE entry of .rela.dyn gets B + A, B the distance between where
 * the image runs and where it was linked (System V ABI AMD64 supplement,
 * "Relocation Types"; ELF gABI "Relocation": Elf64_Rela r_offset, r_info,
 * r_addend). As glibc's _dl_relocate_static_pie for a static PIE, with no
 * dynamic loader: only RELATIVE entries exist (the link is -static-pie with
 * hidden symbols).
 *
 * Writing A + B (not adding B to what is there) makes a second pass harmless,
 * and a UEFI image, which the firmware relocated through .reloc, has an empty
 * table here (efi.ld). The Makefile refuses an image with another type; should
 * one appear anyway, it is skipped and counted, and kmain stops with a message.
 */
#include <stdint.h>

#include "kernel/reloc.h"

#define R_X86_64_RELATIVE       8

struct elf64_rela {
	uint64_t r_offset;
	uint64_t r_info;
	int64_t r_addend;
};

extern const struct elf64_rela __rela_start[], __rela_end[];
extern char __kernel_start[];

/* The link address of __kernel_start, as the linker wrote it: its own entry in
 * the table moves it too, which is what makes a second call a no-op. */
static char *volatile link_start = __kernel_start;

unsigned reloc_unknown;

void reloc_self(void)
{
	uint64_t delta = (uint64_t)(uintptr_t)__kernel_start - (uint64_t)(uintptr_t)link_start;

	for (const struct elf64_rela *r = __rela_start; r < __rela_end; r++) {
		if ((uint32_t)r->r_info != R_X86_64_RELATIVE) {
			reloc_unknown++;
			continue;
		}
		*(uint64_t *)(uintptr_t)(r->r_offset + delta) = (uint64_t)r->r_addend + delta;
	}
}
