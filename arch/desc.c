/* SPDX-License-Identifier: MIT */
/*
 * GDT, TSS and IDT. SDM Vol. 3A, chapter "Protected-Mode Memory Management"
 * (segment descriptors), chapter "Task Management" ("Task-State Segment (TSS)",
 * "TSS Descriptor in 64-bit mode"), chapter "Interrupt and Exception Handling"
 * ("64-Bit Mode IDT", "Interrupt Stack Table").
 */
#include "arch/desc.h"

#include "arch/x86.h"
#include "lib/string.h"

#define IDT_VECTORS     256

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));

extern const uint8_t isr_table[];       /* arch/isr.S: 16-byte stubs, one per vector */
#define ISR_STUB_SIZE   16

void idt_gate_set(struct idt_gate *g, uint64_t handler, uint8_t ist)
{
	g->offset0 = (uint16_t)handler;
	g->selector = __KERNEL_CS;
	g->ist = ist;
	g->type_attr = 0x8e;
	g->offset1 = (uint16_t)(handler >> 16);
	g->offset2 = (uint32_t)(handler >> 32);
	g->reserved = 0;
}

void idt_init(void)
{
	for (unsigned v = 0; v < IDT_VECTORS; v++)
		/* "Interrupt Stack Table": NMI, double fault and machine check always
		 * switch to a known-good stack of their own, so a blown stack is still
		 * reported and one arriving while another is handled (an NMI during
		 * a #MC report, say) does not overwrite the first one's frame. */
		idt_gate_set(&idt[v], (uint64_t)(uintptr_t)&isr_table[v * ISR_STUB_SIZE],
			     v == X86_TRAP_NMI ? IST_NMI : v == X86_TRAP_DF ? IST_DF :
			     v == X86_TRAP_MC ? IST_MC : 0);
}

void cpu_load_descriptors(struct arch_cpu *c)
{
	uint64_t tss = (uint64_t)(uintptr_t)&c->tss;
	uint64_t limit = sizeof(c->tss) - 1;

	memset(&c->tss, 0, sizeof(c->tss));
	for (unsigned k = 0; k < IST_STACKS; k++)
		c->tss.ist[k] = (uint64_t)(uintptr_t)&c->ist_stacks[k][CPU_IST_STACK_SIZE];
	c->tss.iomap_base = sizeof(c->tss);     /* no I/O permission bitmap */

	c->gdt[0] = 0;
	c->gdt[GDT_ENTRY_KERNEL_CS] = GDT_DESC_KERNEL_CS;
	c->gdt[GDT_ENTRY_KERNEL_DS] = GDT_DESC_KERNEL_DS;
	c->gdt[GDT_ENTRY_KERNEL32_CS] = GDT_DESC_KERNEL32_CS;
	/* "TSS Descriptor in 64-bit mode": 16 bytes, type 9 (available 64-bit TSS), P=1. */
	c->gdt[GDT_ENTRY_TSS] = (limit & 0xffff) | ((tss & 0xffffff) << 16) |
				(0x89ULL << 40) | (((limit >> 16) & 0xf) << 48) |
				(((tss >> 24) & 0xff) << 56);
	c->gdt[GDT_ENTRY_TSS + 1] = tss >> 32;

	struct desc_ptr gdtr = { sizeof(c->gdt) - 1, (uint64_t)(uintptr_t)c->gdt };
	struct desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

	load_gdt(&gdtr);
	reload_segments(__KERNEL_CS, __KERNEL_DS);
	load_tr(GDT_TSS_SEL);
	load_idt(&idtr);
}
