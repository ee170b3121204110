/* SPDX-License-Identifier: MIT */
/* The arch per-CPU block and the GS base: see cpu.h. */
#include "arch/cpu.h"

#include "arch/x86.h"
#include "lib/msr-index.h"

static uintptr_t blocks_lo, blocks_hi;
static size_t blocks_stride;

void arch_cpu_set_blocks(void *base, size_t stride, unsigned n)
{
	blocks_lo = (uintptr_t)base;
	blocks_hi = blocks_lo + stride * n;
	blocks_stride = stride;
}

void arch_cpu_init(struct arch_cpu *c)
{
	c->self = c;
	c->trap_vector = -1;
	/* SDM Vol. 3A, "Segment Loading Instructions in IA-32e Mode": the GS base
	 * is written through IA32_GS_BASE (MSR C0000101H). */
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)c);
}

struct arch_cpu *arch_cpu_current(void)
{
	uintptr_t gs = (uintptr_t)rdmsr(MSR_GS_BASE);

	if (!blocks_stride || gs < blocks_lo || gs >= blocks_hi || (gs - blocks_lo) % blocks_stride)
		return 0;
	return (struct arch_cpu *)gs;
}
