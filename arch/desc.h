/* SPDX-License-Identifier: MIT */
/* Descriptor tables: per-CPU GDT and TSS, the shared IDT. */
#ifndef VMXPROBE_ARCH_DESC_H
#define VMXPROBE_ARCH_DESC_H

#include "arch/cpu.h"

/* Fill the shared IDT (once, on the BSP). */
void idt_init(void);

/* Load this CPU's GDT, TSS and the IDT. */
void cpu_load_descriptors(struct arch_cpu *c);

#endif
