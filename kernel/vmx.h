/* VMX on every CPU: the per-CPU probe and the BSP's report. */
#ifndef VMXPROBE_KERNEL_VMX_H
#define VMXPROBE_KERNEL_VMX_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/vmx.h"

/* IA32_VMX_BASIC (480H) .. IA32_VMX_VMFUNC (491H), compared across CPUs. */
#define VMX_CAP_FIRST   0x480
#define VMX_CAP_MSRS    18

struct vmx_result {
	enum vmx_token token;
	bool has_feat_ctl, feat_ctl_written;
	uint64_t feat_ctl;
	bool has_revision;
	uint32_t revision;
	bool has_vmxon;
	uint64_t vmxon_pa;
	bool has_error;
	uint32_t error;                 /* VM-instruction error (VMfailValid) */
	int vector;                     /* exception vector, -1 when none */
	const char *detail;             /* a static string, or NULL */
	uint64_t cr0_before, cr0_after, cr4_before, cr4_after;
	bool cap_read[VMX_CAP_MSRS];
	uint64_t cap[VMX_CAP_MSRS];
	bool done;                      /* written last, with release order */
};

struct percpu;

/* BSP, before the APs start: the VMXON page pool. */
void vmx_init(void);

/* Every CPU (the BSP and each AP once online): CPUID, feature control,
 * IA32_VMX_BASIC, CR0/CR4 fixed bits, a VMXON page, VMXON, VMXOFF. */
void vmx_probe_cpu(struct percpu *c);

/* BSP: wait (bounded) for every online CPU, print the vmx: lines in CPU-index
 * order and fill the summary counts. */
void vmx_report(void);

#endif
