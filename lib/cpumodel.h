/* SPDX-License-Identifier: MIT */
/*
 * The boot CPU's model, pure: the "model:" line, from CPUID leaf 0 (the vendor
 * string in EBX, EDX, ECX), leaf 1 EAX (the signature) and leaves
 * 80000002H-80000004H (the brand string). Intel SDM Vol. 2A, CPUID "Version
 * Information" (DisplayFamily = Family + Extended Family where Family is 0FH;
 * DisplayModel = Extended Model << 4 + Model where Family is 06H or 0FH) and
 * "Processor Brand String"; AMD APM Vol. 3, appendix E.3.1 (Fn0000_0001_EAX:
 * the same family and model rule, for family 0FH only).
 */
#ifndef VMXPROBE_LIB_CPUMODEL_H
#define VMXPROBE_LIB_CPUMODEL_H

#include <stdbool.h>
#include <stdint.h>

struct cpu_model {
	char vendor[13];        /* "GenuineIntel", "AuthenticAMD", ... */
	uint32_t signature;     /* leaf 1 EAX */
	unsigned family, model, stepping;
	char brand[49];         /* leading and trailing spaces gone; "" without the leaves */
};

/* vendor_regs: leaf 0 EBX, EDX, ECX; brand_regs: leaves 80000002H-80000004H's
 * EAX, EBX, ECX, EDX each, or NULL when the CPU has not those leaves. */
void cpu_model_decode(struct cpu_model *m, const uint32_t vendor_regs[3], uint32_t signature,
		      const uint32_t *brand_regs);

#endif
