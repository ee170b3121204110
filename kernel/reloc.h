/* SPDX-License-Identifier: MIT */
/* The image's own relocations: see reloc.c. */
#ifndef VMXPROBE_KERNEL_RELOC_H
#define VMXPROBE_KERNEL_RELOC_H

/* Where linker.ld links the image (it runs anywhere below 4 GiB). */
#define KERNEL_LINK_ADDR        0x1000000

/* Apply .rela.dyn for where the image runs (boot/entry.S calls it before kmain). */
void reloc_self(void);

/* Entries of a type reloc_self() does not know, skipped (kmain stops on them). */
extern unsigned reloc_unknown;

#endif
