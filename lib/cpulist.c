/* SPDX-License-Identifier: MIT */
/* From the firmware's list of CPUs to the CPUs to start: see cpulist.h. */
#include "lib/cpulist.h"

void cpu_plan_build(struct cpu_plan *p, const struct madt_info *fw, uint32_t bsp_apic,
		    cpu_plan_note_fn note, void *ctx)
{
	p->apic[0] = bsp_apic;
	p->n = 1;
	p->bsp_listed = false;
	p->unreachable = 0;
	for (unsigned k = 0; k < fw->stored; k++) {
		const struct madt_cpu *e = &fw->cpus[k];
		if (!(e->flags & MADT_ENABLED)) {
			note(ctx, CPU_PLAN_DISABLED, e);
			continue;
		}
		if (e->apic_id == bsp_apic) {
			p->bsp_listed = true;
			continue;
		}
		if (p->n == p->cap) {
			note(ctx, CPU_PLAN_BEYOND_MAX, e);
			continue;
		}
		p->apic[p->n++] = e->apic_id;
	}
	p->enumerated = fw->enabled + (p->bsp_listed ? 0 : 1);
	p->disabled = fw->disabled;
}

void cpu_plan_limit_ids(struct cpu_plan *p, uint32_t max_id)
{
	unsigned keep = 1;

	for (unsigned i = 1; i < p->n; i++)
		if (p->apic[i] <= max_id)
			p->apic[keep++] = p->apic[i];
	p->unreachable += p->n - keep;
	p->n = keep;
}
