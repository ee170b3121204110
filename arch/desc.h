/* SPDX-License-Identifier: MIT */
/* Descriptor tables: per-CPU GDT and TSS, the shared IDT. */
#ifndef VMXPROBE_ARCH_DESC_H
#define VMXPROBE_ARCH_DESC_H

#include "arch/cpu.h"

#include <stdint.h>

/* "64-Bit Mode IDT": a 16-byte interrupt gate. */
struct idt_gate {
	uint16_t offset0;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;      /* P=1, DPL=0, type 0xE: 64-bit interrupt gate */
	uint16_t offset1;
	uint32_t offset2;
	uint32_t reserved;
} __attribute__((packed));

/* An interrupt gate to handler in the kernel's code segment, on IST stack ist (0: none). */
void idt_gate_set(struct idt_gate *g, uint64_t handler, uint8_t ist);

/* Fill the shared IDT (once, on the BSP). */
void idt_init(void);

/* Load this CPU's GDT, TSS and the IDT. */
void cpu_load_descriptors(struct arch_cpu *c);

#endif
