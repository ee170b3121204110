/* SPDX-License-Identifier: MIT */
/*
 * CPUID feature bits vmxprobe tests, named as Linux's
 * arch/x86/include/asm/cpufeatures.h names them (bit positions within the
 * register; Intel SDM Vol. 2A, CPUID, "Feature Information" and leaf 80000001H).
 */
#ifndef VMXPROBE_LIB_CPUFEATURES_H
#define VMXPROBE_LIB_CPUFEATURES_H

#define X86_FEATURE_VMX_BIT     5       /* CPUID.01H:ECX.VMX */
#define X86_FEATURE_HYPERVISOR_BIT 31   /* CPUID.01H:ECX bit 31: reserved for hypervisors, set by them */
#define X86_FEATURE_NX_BIT      20      /* CPUID.80000001H:EDX.NX (execute disable) */
#define X86_FEATURE_LM_BIT      29      /* CPUID.80000001H:EDX.LM (Intel 64) */

#endif
