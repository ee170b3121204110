/* SPDX-License-Identifier: MIT */
/*
 * The boot CPU's guest report: one "guest:" line per online CPU, in index
 * order, after the vmx: lines; an advice line per distinct non-ok result; the
 * counts behind the summary's guest=. Formats: docs/protocol.md.
 */
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/guest.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/run.h"
#include "kernel/smp.h"
#include "lib/fmt.h"

static void print_line(unsigned i, const struct guest_result *g)
{
	struct fmt_line l = { "", 0 };
	const char *detail = g->detail;

	fmt_line_add(&l, "guest: cpu=%u apic=%u result=%s exits=%u exit_cycles=%lu exit_cycles_min=%lu",
		     i, cpus[i].apic_id, guest_token_str(g->token), g->exits, g->cycles_median,
		     g->cycles_min);
	if (g->svm)
		fmt_line_add(&l, " ext=svm npt=%s", g->npt ? "yes" : "no");
	if (g->rule)
		fmt_line_add(&l, " rule=%s", g->rule);
	if (g->has_exit_code)
		fmt_line_add(&l, " exit_code=0x%lx exit_info1=0x%lx exit_info2=0x%lx", g->exit_code,
			     g->exit_info_1, g->exit_info_2);
	if (g->has_error)
		fmt_line_add(&l, " error=%u", g->error);
	if (g->has_reason)
		fmt_line_add(&l, " reason=%u", g->reason);
	if (g->has_qualification)
		fmt_line_add(&l, " qualification=0x%lx", g->qualification);
	if (g->vector >= 0)
		fmt_line_add(&l, " vector=%d", g->vector);
	fmt_line_quoted(&l, "name", g->name);
	if (!detail && g->token == GUEST_OK && g->no_timer)
		detail = "no VMX-preemption timer on this CPU: the guest's runs were not bounded";
	fmt_line_quoted(&l, "detail", detail);
	kprintf("%s\n", l.s);
}

void guest_report(void)
{
	unsigned seen[GUEST_TOKENS] = { 0 };

	counts.guest_required = options.guest;
	for (unsigned i = 0; i < smp_cpu_count(); i++) {
		const struct guest_result *g = guest_result(i);
		if (!cpu_is_online(&cpus[i]) && !cpu_has_faulted(&cpus[i]))
			continue;
		if (!g) {
			/* The CPU stopped (an exception, see its fault: line) or never finished. */
			kprintf("guest: cpu=%u apic=%u result=fault exits=0 exit_cycles=0 exit_cycles_min=0 detail=\"%s\"\n",
				i, cpus[i].apic_id, cpu_has_faulted(&cpus[i]) ?
				"an exception ended this CPU's run (see its fault: line)" :
				"no result from this CPU");
			seen[GUEST_FAULT]++;
			continue;
		}
		print_line(i, g);
		seen[g->token]++;
		counts.guest_ok += g->token == GUEST_OK;
	}
	for (unsigned t = 0; t < GUEST_TOKENS; t++)
		if (seen[t] && guest_token_advice((enum guest_token)t))
			kprintf("guest: advice result=%s cpus=%u: %s\n", guest_token_str((enum guest_token)t),
				seen[t], guest_token_advice((enum guest_token)t));
}
