/* Per-CPU blocks and statically reserved stacks: see percpu.h. */
#include "kernel/percpu.h"

#include "arch/msr-index.h"
#include "arch/x86.h"

struct percpu cpus[MAX_CPUS];
uint8_t cpu_stacks[MAX_CPUS][CPU_STACK_SIZE] __attribute__((aligned(4096)));

struct percpu *percpu_init(uint32_t index)
{
	struct percpu *c = &cpus[index];

	c->self = c;
	c->index = index;
	c->trap_vector = -1;
	/* SDM Vol. 3A, "Segment Loading Instructions in IA-32e Mode": the GS base
	 * is written through IA32_GS_BASE (MSR C0000101H). */
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)c);
	return c;
}

struct percpu *percpu_current(void)
{
	uintptr_t gs = (uintptr_t)rdmsr(MSR_GS_BASE);
	uintptr_t lo = (uintptr_t)&cpus[0], hi = (uintptr_t)&cpus[MAX_CPUS];

	if (gs < lo || gs >= hi || (gs - lo) % sizeof(struct percpu))
		return 0;
	return (struct percpu *)gs;
}
