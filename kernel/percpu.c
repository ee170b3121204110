/* SPDX-License-Identifier: MIT */
/* Per-CPU blocks and statically reserved stacks: see percpu.h. */
#include "kernel/percpu.h"

#include "kernel/pool.h"
#include "lib/string.h"

_Static_assert(__builtin_offsetof(struct percpu, arch) == 0, "arch part first: GS base");

/* First in the pool (__pool_boot): the boot CPU's block shares its 2 MiB with
 * the kernel image, see linker.ld. */
struct percpu cpus[MAX_CPUS] __pool_boot;
uint8_t ap_stacks[MAX_CPUS - 1][CPU_STACK_SIZE] __pool __attribute__((aligned(4096)));

void percpu_setup(void)
{
	arch_cpu_set_blocks(cpus, sizeof(struct percpu), MAX_CPUS);
	percpu_clear(0);
}

void percpu_clear(uint32_t index)
{
	memset(&cpus[index], 0, sizeof(cpus[index]));
}

struct percpu *percpu_init(uint32_t index)
{
	struct percpu *c = &cpus[index];

	c->index = index;
	arch_cpu_init(&c->arch);
	return c;
}

struct percpu *percpu_current(void)
{
	return (struct percpu *)arch_cpu_current();
}
