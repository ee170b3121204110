/* SPDX-License-Identifier: MIT */
/* VMX on every CPU: the per-CPU probe (vmx.c) and the boot CPU's report (vmx_report.c). */
#ifndef VMXPROBE_KERNEL_VMX_H
#define VMXPROBE_KERNEL_VMX_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/vmx.h"
#include "lib/vmxcap.h"

/* What the probe found on one CPU; kernel/vmx.c owns one per CPU. */
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
	struct vmxcap_msrs caps;        /* 480H-492H, those that exist; compared across CPUs */
	bool done;                      /* written last, with release order */
};

struct percpu;

/* BSP, before the APs start: the VMXON page pool. */
void vmx_init(void);

/* Every CPU (the BSP and each AP once online): CPUID, feature control,
 * IA32_VMX_BASIC, CR0/CR4 fixed bits, a VMXON page, VMXON, VMXOFF; then, with
 * selftest=vmxon, the conformance rules; then marks the CPU's result done. */
void vmx_run_cpu(struct percpu *c);

/* CPU `cpu`'s result once it is done (release/acquire), else NULL. */
const struct vmx_result *vmx_result(unsigned cpu);

/* The VMXON pool: its bounds and how many pages were handed out. */
struct vmx_pool_use {
	uint64_t start, end;            /* [start, end) */
	unsigned pages, used;
};
struct vmx_pool_use vmx_pool_use(void);

/* BSP: wait (bounded) for every online CPU, print the vmx: lines in CPU-index
 * order, the capability report and the self-test, and fill the summary counts. */
void vmx_report(void);

#endif
