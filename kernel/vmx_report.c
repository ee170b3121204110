/* SPDX-License-Identifier: MIT */
/*
 * The boot CPU's VMX report: one "vmx:" line per online CPU in index order, an
 * advice line per distinct non-on result, the cross-CPU consistency of the
 * capability MSRs, the VMXON pool, the capability report (vmxcap=), the
 * hypervisor readiness lines (ready=) and the conformance self-test (selftest=vmxon). Line formats: docs/protocol.md.
 */
#include "kernel/vmx.h"

#include "arch/tsc.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/ready_report.h"
#include "kernel/run.h"
#include "kernel/smp.h"
#include "kernel/svm.h"
#include "kernel/vmx_selftest.h"
#include "lib/fmt.h"
#include "lib/processor-flags.h"

#define VMX_REPORT_TIMEOUT_US   5000000 /* bound on waiting for the APs' probes */

static bool online(unsigned i)
{
	return cpu_is_online(&cpus[i]);
}

static bool faulted(unsigned i)
{
	return cpu_has_faulted(&cpus[i]);
}

static bool finished(unsigned i)
{
	return vmx_result(i) != 0;
}

static void print_result(unsigned i, const struct vmx_result *r)
{
	struct fmt_line l = { "", 0 };

	fmt_line_add(&l, "vmx: cpu=%u apic=%u result=%s", i, cpus[i].apic_id, vmx_token_str(r->token));
	if (r->has_feat_ctl)
		fmt_line_add(&l, " feat_ctl=0x%lx", r->feat_ctl);
	if (r->has_revision)
		fmt_line_add(&l, " revision=0x%x", r->revision);
	if (r->has_vmxon)
		fmt_line_add(&l, " vmxon=0x%lx", r->vmxon_pa);
	if (r->has_error)
		fmt_line_add(&l, " error=%u", r->error);
	if (r->vector >= 0)
		fmt_line_add(&l, " vector=%d", r->vector);
	fmt_line_quoted(&l, "detail", r->detail);
	kprintf("%s\n", l.s);
	/* Report CR0/CR4 when the fixed bits changed more than CR4.VMXE. */
	if (r->has_vmxon && (r->cr0_after != r->cr0_before ||
			     ((r->cr4_after ^ r->cr4_before) & ~X86_CR4_VMXE)))
		kprintf("vmx: cpu=%u cr0=0x%lx->0x%lx cr4=0x%lx->0x%lx\n", i, r->cr0_before,
			r->cr0_after, r->cr4_before, r->cr4_after);
	if (r->feat_ctl_written)
		kprintf("vmx: cpu=%u feature control was unlocked: wrote and locked it (now 0x%lx)\n",
			i, r->feat_ctl);
}

/* A CPU with no result: it faulted during the probe, or never finished it. */
static void print_missing(unsigned i)
{
	if (faulted(i)) {
		counts.fault = true;
		kprintf("vmx: cpu=%u apic=%u result=fault detail=\"an exception ended the probe (see its fault: line)\"\n",
			i, cpus[i].apic_id);
	} else {
		kprintf("vmx: cpu=%u apic=%u result=fault detail=\"no result within %u ms\"\n",
			i, cpus[i].apic_id, VMX_REPORT_TIMEOUT_US / 1000);
	}
	counts.failed++;
}

struct diff_ctx {
	unsigned cpu;
};

static void print_diff(void *ctx, unsigned msr, bool bsp_has, uint64_t bsp, bool has, uint64_t v)
{
	const struct diff_ctx *d = ctx;

	kprintf("vmx: cpu=%u apic=%u mismatch msr=0x%x value=%s0x%lx cpu0=%s0x%lx\n", d->cpu,
		cpus[d->cpu].apic_id, msr, has ? "" : "unread:", v, bsp_has ? "" : "unread:", bsp);
}

static void emit_cap(void *ctx, const char *line)
{
	(void)ctx;
	kprintf("vmxcap: %s\n", line);
}

/* The capability report: the BSP's (vmxcap=bsp) or every CPU's (vmxcap=all). */
static void print_caps(unsigned n_cpus)
{
	unsigned n = options.vmxcap == VMXCAP_ALL ? n_cpus : 1;

	if (options.vmxcap == VMXCAP_OFF)
		return;
	for (unsigned i = 0; i < n; i++) {
		const struct vmx_result *r = vmx_result(i);
		if (!r || !r->caps.present[0])
			continue;       /* no VMX (or no result): nothing to decode */
		kprintf("vmxcap: cpu=%u apic=%u\n", i, cpus[i].apic_id);
		vmxcap_raw(&r->caps, emit_cap, 0);
		vmxcap_decode(&r->caps, emit_cap, 0);
		vmxcap_table(&r->caps, emit_cap, 0);
	}
}

static unsigned selftest(unsigned n)
{
	bool on[MAX_CPUS], finished[MAX_CPUS];

	for (unsigned i = 0; i < n; i++) {
		on[i] = online(i);
		finished[i] = vmx_result(i) != 0;
	}
	return vmx_selftest_report(n, on, finished);
}

void vmx_report(void)
{
	unsigned n = smp_cpu_count(), seen[VMX_TOKENS] = { 0 }, mismatched = 0;
	const struct vmx_result *bsp = vmx_result(0);

	smp_wait_for_aps(n, finished, VMX_REPORT_TIMEOUT_US);
	for (unsigned i = 0; i < n; i++) {
		const struct vmx_result *r = vmx_result(i);
		if (!r) {
			if (online(i) || faulted(i))
				print_missing(i);
			continue;
		}
		print_result(i, r);
		seen[r->token]++;
		vp_counts_add(&counts, r->token);
		/* Cross-CPU consistency of the capability MSRs against the BSP's. */
		struct diff_ctx d = { i };
		if (i > 0 && r->token != VMX_NO_VMX && bsp && bsp->token != VMX_NO_VMX)
			mismatched += vmxcap_compare(&bsp->caps, &r->caps, print_diff, &d) != 0;
	}
	for (unsigned t = 0; t < VMX_TOKENS; t++)
		/* On an AMD CPU with SVM, its svm: lines say what to do, not "no VMX". */
		if (seen[t] && vmx_token_advice((enum vmx_token)t) &&
		    !(t == VMX_NO_VMX && svm_cpu_has()))
			kprintf("vmx: advice result=%s cpus=%u: %s\n", vmx_token_str((enum vmx_token)t),
				seen[t], vmx_token_advice_under((enum vmx_token)t,
								run_hypervisor_vendor()));
	if (mismatched)
		kprintf("vmx: %u CPUs report VMX capabilities that differ from cpu 0's\n", mismatched);
	struct vmx_pool_use p = vmx_pool_use();
	kprintf("vmx: pool=0x%lx-0x%lx pages=%u used=%u\n", p.start, p.end - 1, p.pages, p.used);
	counts.vmx_probed = true;
	print_caps(n);
	ready_report(bsp, mismatched);
	if (options.selftest == SELFTEST_VMXON || options.selftest == SELFTEST_VMX)
		counts.selftest_failed = selftest(n);
}
