/* SPDX-License-Identifier: MIT */
/*
 * Local APIC facts, pure. SDM Vol. 3A, chapter "Advanced Programmable Interrupt
 * Controller (APIC)", "Local APIC Status and Location" (IA32_APIC_BASE), and
 * Vol. 2A, CPUID leaves 0BH/1FH ("Extended Topology Enumeration").
 */
#ifndef VMXPROBE_LIB_APIC_H
#define VMXPROBE_LIB_APIC_H

#include <stdint.h>

/*
 * IA32_APIC_BASE bits 12 up to MAXPHYADDR-1 hold the APIC base ("APIC Base field
 * ... Bits 12 through (MAXPHYADDR - 1)"); the bits above are reserved. Masking
 * with 31:12 would silently truncate an APIC relocated above 4 GiB.
 */
uint64_t apic_base_addr(uint64_t msr, unsigned phys_bits);

/*
 * The number of logical processors in the package, from the sub-leaves of CPUID
 * leaf 0BH or 1FH: walk them until level type 0 (ECX[15:8], "invalid"); EBX[15:0]
 * of the last valid one counts the logical processors at that (the widest) level.
 * leaf(ctx, subleaf, &ebx, &ecx) reads one sub-leaf. 0 when nothing is reported.
 */
unsigned topology_logical_per_package(void (*leaf)(void *ctx, unsigned subleaf, uint32_t *ebx,
						  uint32_t *ecx),
				      void *ctx);

#endif
