/* SPDX-License-Identifier: MIT */
/*
 * The boot CPU's SVM report: where any CPU has SVM, one "svm:" line per online
 * CPU in index order, an advice line per distinct result other than on, and
 * the host save area pool. Each CPU's svm: result takes the place of its vmx:
 * no-vmx in the counts behind the summary (lib/verdict.c: vp_counts_svm()).
 * Line formats: docs/protocol.md.
 */
#include "kernel/svm.h"

#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "kernel/run.h"
#include "kernel/vmx.h"
#include "kernel/percpu.h"
#include "kernel/ready_report.h"
#include "kernel/smp.h"
#include "lib/fmt.h"
#include "lib/svmcap.h"

#define SVM_REPORT_TIMEOUT_US   5000000 /* bound on waiting for the APs' probes */

static bool finished(unsigned i)
{
	return svm_result(i) != 0;
}

static void print_result(unsigned i, const struct svm_result *r)
{
	struct fmt_line l = { "", 0 };
	char features[256];

	fmt_line_add(&l, "svm: cpu=%u apic=%u result=%s", i, cpus[i].apic_id, svm_token_str(r->token));
	if (r->token != SVM_NO_SVM) {
		svm_features_str(r->caps.features, features, sizeof(features));
		for (char *p = features; *p; p++)
			*p = *p == ' ' ? ',' : *p;
		fmt_line_add(&l, " revision=%u asids=%u features=%s", r->caps.revision,
			     r->caps.nasid, features[0] ? features : "none");
		if (r->has_vm_cr)
			fmt_line_add(&l, " vm_cr=0x%lx", r->vm_cr);
		else
			fmt_line_add(&l, " vm_cr=unreadable");
	}
	if (r->has_hsave)
		fmt_line_add(&l, " hsave=0x%lx", r->hsave_pa);
	if (r->vector >= 0)
		fmt_line_add(&l, " vector=%d", r->vector);
	fmt_line_quoted(&l, "detail", r->detail);
	kprintf("%s\n", l.s);
}

/* Cross-CPU consistency of CPUID Fn8000_000A against the boot CPU's (as the
 * vmx: mismatch lines do for the VMX capability MSRs): reported, not a failure. */
static bool compare(unsigned i, const struct svm_result *bsp, const struct svm_result *r)
{
	const struct { unsigned bit; const char *name; uint32_t mine, cpu0; } f[] = {
		{ SVM_DIFFER_REVISION, "revision", r->caps.revision, bsp->caps.revision },
		{ SVM_DIFFER_ASIDS, "asids", r->caps.nasid, bsp->caps.nasid },
		{ SVM_DIFFER_FEATURES, "features", r->caps.features, bsp->caps.features },
	};
	unsigned differs = svm_caps_differ(&r->caps, &bsp->caps);

	for (unsigned k = 0; k < sizeof(f) / sizeof(f[0]); k++)
		if (differs & f[k].bit)
			kprintf("svm: cpu=%u apic=%u mismatch cpuid=0x8000000a %s=0x%x cpu0=0x%x\n", i,
				cpus[i].apic_id, f[k].name, f[k].mine, f[k].cpu0);
	return differs != 0;
}

static void emit_cap(void *ctx, const char *line)
{
	(void)ctx;
	kprintf("svmcap: %s\n", line);
}

/* The capability report (lib/svmcap.c): the boot CPU's (vmxcap=bsp) or every
 * CPU's (vmxcap=all), as vmxcap: reports VMX. */
static void print_caps(unsigned n)
{
	if (options.vmxcap == VMXCAP_OFF)
		return;
	for (unsigned i = 0; i < (options.vmxcap == VMXCAP_ALL ? n : 1); i++) {
		const struct svm_result *r = svm_result(i);
		if (!r || r->token == SVM_NO_SVM)
			continue;
		struct svmcap c = { r->cpuid_eax, r->caps.nasid, r->caps.features, r->has_vm_cr,
				    r->vm_cr };
		kprintf("svmcap: cpu=%u apic=%u\n", i, cpus[i].apic_id);
		svmcap_raw(&c, emit_cap, 0);
		svmcap_decode(&c, emit_cap, 0);
		svmcap_table(&c, emit_cap, 0);
	}
}

void svm_report(void)
{
	unsigned n = smp_cpu_count(), seen[SVM_TOKENS] = { 0 }, with_svm = 0, used = 0, mismatched = 0;
	const struct svm_result *bsp = svm_result(0);

	smp_wait_for_aps(n, finished, SVM_REPORT_TIMEOUT_US);
	for (unsigned i = 0; i < n; i++) {
		const struct svm_result *r = svm_result(i);
		with_svm += r && r->token != SVM_NO_SVM;
	}
	if (!with_svm)
		return;         /* no CPU has SVM: nothing to say (the vmx: lines said it all) */
	for (unsigned i = 0; i < n; i++) {
		const struct svm_result *r = svm_result(i);
		if (!r) {
			bool faulted = cpu_has_faulted(&cpus[i]);
			if (cpu_is_online(&cpus[i]) || faulted)
				kprintf("svm: cpu=%u apic=%u result=fault detail=\"%s\"\n", i, cpus[i].apic_id,
					faulted ? "an exception ended the probe (see its fault: line)" :
						  "no result within 5000 ms");
			continue;
		}
		print_result(i, r);
		if (i > 0 && bsp && bsp->token != SVM_NO_SVM && r->token != SVM_NO_SVM)
			mismatched += compare(i, bsp, r);
		seen[r->token]++;
		/* This CPU's extension result, in place of its vmx: no-vmx. */
		const struct vmx_result *v = vmx_result(i);
		if (v && v->token == VMX_NO_VMX)
			vp_counts_svm(&counts, r->token);
		used += r->has_hsave;
	}
	for (unsigned t = 0; t < SVM_TOKENS; t++)
		if (seen[t] && svm_token_advice((enum svm_token)t))
			kprintf("svm: advice result=%s cpus=%u: %s\n", svm_token_str((enum svm_token)t),
				seen[t], svm_token_advice((enum svm_token)t));
	if (mismatched)
		kprintf("svm: %u CPUs report SVM capabilities that differ from cpu 0's\n", mismatched);
	uint64_t start, end;
	svm_pool_bounds(&start, &end);
	kprintf("svm: pool=0x%lx-0x%lx pages=%u used=%u\n", start, end - 1,
		(unsigned)((end - start) / 4096), used);
	print_caps(n);
	/* The ready: lines from the SVM tables where the boot CPU has SVM (where it
	 * has not, vmx_report() printed them from the VMX tables). */
	if (svm_cpu_has())
		ready_report_svm(bsp, mismatched);
	if (options.selftest == SELFTEST_SVM)
		counts.selftest_failed += svm_selftest_report(n);
}
