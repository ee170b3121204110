/* SPDX-License-Identifier: MIT */
/*
 * The boot CPU's SVM report: where any CPU has SVM, one "svm:" line per online
 * CPU in index order, an advice line per distinct result other than on, and
 * the host save area pool. Line formats: docs/protocol.md. The verdict does
 * not count these results yet (it is VMX's: lib/verdict.c).
 */
#include "kernel/svm.h"

#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"
#include "lib/fmt.h"

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

/* The guest's line, where one was tried. */
static void print_guest(unsigned i, const struct svm_guest *g)
{
	struct fmt_line l = { "", 0 };

	fmt_line_add(&l, "svm: cpu=%u apic=%u guest=%s npt=%s exits=%u", i, cpus[i].apic_id,
		     guest_token_str(g->token), g->npt ? "yes" : "no", g->exits);
	if (g->token == GUEST_OK)
		fmt_line_add(&l, " exit_cycles=%lu exit_cycles_min=%lu", g->cycles_median, g->cycles_min);
	if (g->token == GUEST_REJECTED)
		fmt_line_add(&l, " rule=%s", vmcb_rule_name(g->rule));
	if (g->has_exit)
		fmt_line_add(&l, " exit_code=0x%lx exit_info1=0x%lx exit_info2=0x%lx", g->exit_code,
			     g->exit_info_1, g->exit_info_2);
	if (g->vector >= 0)
		fmt_line_add(&l, " vector=%d", g->vector);
	fmt_line_quoted(&l, "detail", g->detail);
	kprintf("%s\n", l.s);
}

void svm_report(void)
{
	unsigned n = smp_cpu_count(), seen[SVM_TOKENS] = { 0 }, with_svm = 0, used = 0;

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
		if (r->guest.ran)
			print_guest(i, &r->guest);
		seen[r->token]++;
		used += r->has_hsave;
	}
	for (unsigned t = 0; t < SVM_TOKENS; t++)
		if (seen[t] && svm_token_advice((enum svm_token)t))
			kprintf("svm: advice result=%s cpus=%u: %s\n", svm_token_str((enum svm_token)t),
				seen[t], svm_token_advice((enum svm_token)t));
	uint64_t start, end;
	svm_pool_bounds(&start, &end);
	kprintf("svm: pool=0x%lx-0x%lx pages=%u used=%u\n", start, end - 1,
		(unsigned)((end - start) / 4096), used);
	/* Until the verdict covers SVM (issue 24), it is VMX's alone: say so where it matters. */
	kprintf("svm: note: the verdict counts VMX only; the SVM results above are for information\n");
}
