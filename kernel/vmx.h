/* VMX on every CPU: the per-CPU probe and the BSP's report. */
#ifndef VMXPROBE_KERNEL_VMX_H
#define VMXPROBE_KERNEL_VMX_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/vmx.h"
#include "lib/vmx_rules.h"
#include "lib/vmxcap.h"

/* selftest=vmxon: each rule's verdict and what was observed. */
struct vmx_selftest {
	bool ran;
	enum st_verdict verdict[ST_RULES];
	struct st_observed obs[ST_RULES];
	const char *skip_reason[ST_RULES];
};

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
	struct vmx_selftest selftest;
	bool done;                      /* written last, with release order */
};

struct percpu;

/* BSP, before the APs start: the VMXON page pool. */
void vmx_init(void);

/* Every CPU (the BSP and each AP once online): CPUID, feature control,
 * IA32_VMX_BASIC, CR0/CR4 fixed bits, a VMXON page, VMXON, VMXOFF; then, with
 * selftest=vmxon, the conformance rules; then marks the CPU's result done. */
void vmx_run_cpu(struct percpu *c);

/* selftest=vmxon on this CPU (kernel/vmx_selftest.c); needs its probe result. */
void vmx_selftest_cpu(struct percpu *c);
/* BSP: print every CPU's rule lines and selftest: line; returns the failures. */
unsigned vmx_selftest_report(void);

/* BSP: wait (bounded) for every online CPU, print the vmx: lines in CPU-index
 * order and fill the summary counts. */
void vmx_report(void);

#endif
