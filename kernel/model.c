/* SPDX-License-Identifier: MIT */
/*
 * The "model:" line: the boot CPU's vendor, family, model, stepping and brand
 * string (lib/cpumodel.c decodes them), so that a fleet's logs can be grouped
 * by CPU model. Intel SDM Vol. 2A, CPUID leaves 0, 1 and 80000002H-80000004H
 * ("Processor Brand String"); AMD APM Vol. 3, appendix E.
 */
#include "kernel/model.h"

#include "arch/x86.h"
#include "kernel/log.h"
#include "lib/cpumodel.h"

void model_report(void)
{
	struct cpuid_regs l0 = cpuid(0);
	const uint32_t vendor[3] = { l0.b, l0.d, l0.c };
	uint32_t brand[12];
	bool has_brand = cpuid(0x80000000).a >= 0x80000004;
	struct cpu_model m;

	for (unsigned i = 0; has_brand && i < 3; i++) {
		struct cpuid_regs r = cpuid(0x80000002 + i);
		brand[4 * i] = r.a, brand[4 * i + 1] = r.b, brand[4 * i + 2] = r.c, brand[4 * i + 3] = r.d;
	}
	cpu_model_decode(&m, vendor, cpuid(1).a, has_brand ? brand : 0);
	kprintf("model: vendor=\"%s\" family=0x%x model=0x%x stepping=%u signature=0x%x brand=\"%s\"\n",
		m.vendor, m.family, m.model, m.stepping, m.signature, m.brand);
}
