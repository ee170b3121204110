/* SPDX-License-Identifier: MIT */
/*
 * What the x86 mechanisms keep per CPU: the fix-up ("try") slot, the GDT, the
 * TSS and the Interrupt Stack Table stacks. The kernel's per-CPU block
 * (kernel/percpu.h) starts with this struct, and the GS base points at it
 * (IA32_GS_BASE, SDM Vol. 3A "Segment Loading Instructions in IA-32e Mode"):
 * %gs:0 holds its own address.
 */
#ifndef VMXPROBE_ARCH_CPU_H
#define VMXPROBE_ARCH_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/segment.h"

/* SDM Vol. 3A, "Task-State Segment (TSS)" in 64-bit mode. */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

/* Interrupt Stack Table: NMI, double fault and machine check each get a stack. */
#define IST_NMI                 1
#define IST_DF                  2
#define IST_MC                  3
#define IST_STACKS              3
#define CPU_IST_STACK_SIZE      4096

struct arch_cpu {
	struct arch_cpu *self;          /* offset 0: %gs:0 */
	volatile int trap_vector;       /* set by a fix-up; -1 when none */
	uint64_t trap_error;
	uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
	struct tss64 tss __attribute__((aligned(16)));
	uint8_t ist_stacks[IST_STACKS][CPU_IST_STACK_SIZE] __attribute__((aligned(16)));
	/* Stay in VMX operation to the end: an INIT is pending that VMX root
	 * operation blocks and VMXOFF would deliver (a reset of this CPU). */
	bool keep_vmx;
};

/* The kernel's per-CPU blocks: `n` of `stride` bytes from `base`, each starting
 * with a struct arch_cpu. Set once, before any CPU calls arch_cpu_init(). */
void arch_cpu_set_blocks(void *base, size_t stride, unsigned n);

/* Point this CPU's GS base at c (and c->self at c). */
void arch_cpu_init(struct arch_cpu *c);

/* This CPU's block, or NULL if its GS base does not point at one yet (an AP
 * before arch_cpu_init(), or firmware's value). */
struct arch_cpu *arch_cpu_current(void);

static inline struct arch_cpu *this_arch_cpu(void)
{
	struct arch_cpu *c;

	asm volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}

#endif
