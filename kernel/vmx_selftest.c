/* SPDX-License-Identifier: MIT */
/*
 * The VMX conformance self-test's one runner: selftest=vmxon runs the VMXON
 * rules (kernel/vmx_vmxon_rules.c); selftest=vmx then the VMCS and guest rules
 * (kernel/vmx_conformance.c, which ends with kernel/vmx_cross.c's INIT and
 * SIPI rules). Every rule file reports through one struct conf_sink into this
 * CPU's record; the boot CPU prints every record (vmx_selftest_report()). The
 * rules, their SDM quotes and the judgement are in lib/vmx_rules.c.
 */
#include "kernel/vmx_selftest.h"

#include "arch/x86.h"
#include "kernel/config.h"
#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/pool.h"
#include "kernel/selftest_pool.h"
#include "kernel/vmx_conformance.h"
#include "kernel/vmx_cross.h"
#include "kernel/vmx_vmxon_rules.h"
#include "lib/msr-index.h"
#include "lib/processor-flags.h"
#include "lib/string.h"
#include "lib/vmx_rules.h"

/* What an entry rule observed, kept small (ENTRY_RULES of them per CPU:
 * packed, 25 bytes, not 32). */
struct entry_obs {
	uint64_t rip;
	uint32_t code;          /* the VM-instruction error, or the exit reason */
	uint32_t info, qual;
	int8_t vector;
	uint8_t outcome, expect;
	bool has_code, has_exit;
} __attribute__((packed));
_Static_assert(ENTRY_FAIL_GUEST_QUAL(ENTRY_FAIL_GUEST_QUAL_MAX) <= UINT8_MAX,
	       "entry_obs.expect holds every ENTRY_FAIL_* bit");

/* What another rule observed, kept small too: the timing of the two
 * preemption-timer rules that have one lives once per CPU (struct timing). */
struct rule_obs {
	uint64_t qual, gpa, rip, value, value_expected;
	uint32_t code;          /* the VM-instruction error, or the exit reason */
	uint32_t info, error_code, idt_info;
	int8_t vector;
	uint8_t outcome, flags;
} __attribute__((packed));
enum { OBS_CODE = 1, OBS_EXIT = 2, OBS_RIP_UNCHANGED = 4, OBS_DETAILS = 8, OBS_VALUE = 16 };

struct timing {
	uint64_t cycles, cycles_min, cycles_bound;
	uint32_t timer_initial, timer_saved;
	uint16_t cycles_rule, timer_rule;       /* the rules they belong to (0: none) */
};

/* Each rule's verdict and what was observed, on one CPU. */
struct vmx_selftest {
	bool ran;
	uint8_t verdict[ST_RULES];      /* enum st_verdict */
	struct rule_obs obs[ST_ENTRY_FIRST];
	struct entry_obs entry[ENTRY_RULES];
	struct timing timing;
	int32_t skip_reason[ST_RULES];  /* reason_offset(): a static string, as an offset */
};

/* A SKIP's reason, a static string of the kernel image, kept in 4 bytes: its
 * distance from skip_base (the image is far smaller than 2 GiB). 0: none. */
static const char skip_base[] = "not run";

static int32_t reason_offset(const char *why)
{
	intptr_t d = (intptr_t)(uintptr_t)why - (intptr_t)(uintptr_t)skip_base;

	return !why ? 0 : d > INT32_MAX || d < INT32_MIN || d == 0 ? 0 : (int32_t)d;
}

static const char *reason(int32_t off)
{
	return off ? (const char *)((uintptr_t)skip_base + (intptr_t)off) : skip_base;
}

/* A CPU's record is kernel/selftest_pool.c's (shared with the SVM rules: a run
 * checks one vendor's): zeroed by vmx_selftest_cpu() on that CPU, before its
 * vmx_result is done, and read only once it is done. */
_Static_assert(sizeof(struct vmx_selftest) <= SELFTEST_RECORD_BYTES, "vmx selftest record");

static struct vmx_selftest *cpu_record(unsigned cpu)
{
	return (struct vmx_selftest *)selftest_record(cpu);
}

/* One VMCS region per CPU for the rules that need a current VMCS. */
static uint8_t vmcs_pages[MAX_CPUS][4096] __pool __attribute__((aligned(4096)));

static void record(struct vmx_selftest *t, enum st_rule_id id, struct st_observed o)
{
	t->verdict[id] = st_judge(id, &o);
	if (id < ST_ENTRY_FIRST) {
		t->obs[id] = (struct rule_obs){
			.qual = o.qual, .gpa = o.gpa, .rip = o.rip, .value = o.value,
			.value_expected = o.value_expected, .code = o.has_exit ? o.exit_reason : o.error,
			.info = o.info, .error_code = o.error_code, .idt_info = o.idt_info,
			.vector = (int8_t)o.vector, .outcome = (uint8_t)o.outcome,
			.flags = (uint8_t)((o.has_exit || o.has_error ? OBS_CODE : 0) |
					   (o.has_exit ? OBS_EXIT : 0) |
					   (o.rip_unchanged ? OBS_RIP_UNCHANGED : 0) |
					   (o.has_details ? OBS_DETAILS : 0) | (o.has_value ? OBS_VALUE : 0)),
		};
		if (o.cycles_bound) {
			t->timing.cycles = o.cycles;
			t->timing.cycles_min = o.cycles_min;
			t->timing.cycles_bound = o.cycles_bound;
			t->timing.cycles_rule = (uint16_t)id;
		}
		if (o.has_timer) {
			t->timing.timer_initial = o.timer_initial;
			t->timing.timer_saved = o.timer_saved;
			t->timing.timer_rule = (uint16_t)id;
		}
		return;
	}
	t->entry[id - ST_ENTRY_FIRST] = (struct entry_obs){
		.rip = o.rip, .code = o.has_exit ? o.exit_reason : o.error, .info = o.info,
		.qual = (uint32_t)o.qual, .vector = (int8_t)o.vector, .outcome = (uint8_t)o.outcome,
		.expect = (uint8_t)o.entry_expect, .has_code = o.has_exit || o.has_error,
		.has_exit = o.has_exit,
	};
}

/* What rule k observed, whole again. */
static struct st_observed observed(const struct vmx_selftest *t, unsigned k)
{
	if (k < ST_ENTRY_FIRST) {
		const struct rule_obs *r = &t->obs[k];
		bool exited = r->flags & OBS_EXIT;
		struct st_observed o = {
			.vector = r->vector, .outcome = (enum vmx_outcome)r->outcome,
			.has_error = !exited && (r->flags & OBS_CODE), .error = exited ? 0 : r->code,
			.has_exit = exited, .exit_reason = exited ? r->code : 0, .qual = r->qual,
			.info = r->info, .rip_unchanged = r->flags & OBS_RIP_UNCHANGED, .gpa = r->gpa,
			.has_details = r->flags & OBS_DETAILS, .error_code = r->error_code,
			.idt_info = r->idt_info, .rip = r->rip, .has_value = r->flags & OBS_VALUE,
			.value = r->value, .value_expected = r->value_expected,
		};
		if (k && k == t->timing.cycles_rule) {
			o.cycles = t->timing.cycles;
			o.cycles_min = t->timing.cycles_min;
			o.cycles_bound = t->timing.cycles_bound;
		}
		if (k && k == t->timing.timer_rule) {
			o.has_timer = true;
			o.timer_initial = t->timing.timer_initial;
			o.timer_saved = t->timing.timer_saved;
		}
		return o;
	}
	const struct entry_obs *e = &t->entry[k - ST_ENTRY_FIRST];
	return (struct st_observed){
		.vector = e->vector, .outcome = (enum vmx_outcome)e->outcome,
		.has_error = !e->has_exit && e->has_code, .error = e->has_exit ? 0 : e->code,
		.has_exit = e->has_exit, .exit_reason = e->has_exit ? e->code : 0, .qual = e->qual,
		.info = e->info, .has_details = e->has_exit, .rip = e->rip, .entry_expect = e->expect,
	};
}

static void skip(struct vmx_selftest *t, enum st_rule_id id, const char *why)
{
	if (t->verdict[id] == ST_NOT_RUN) {
		t->verdict[id] = ST_SKIP;
		t->skip_reason[id] = reason_offset(why);
	}
}

static void skip_rest(struct vmx_selftest *t, const char *why)
{
	for (unsigned i = 0; i < ST_RULES; i++)
		skip(t, (enum st_rule_id)i, why);
}

static void sink_record(void *ctx, enum st_rule_id id, struct st_observed o)
{
	record(ctx, id, o);
}

static void sink_skip(void *ctx, enum st_rule_id id, const char *why)
{
	skip(ctx, id, why);
}

void vmx_selftest_cpu(unsigned cpu, const struct vmx_result *r)
{
	struct vmx_selftest *t = cpu_record(cpu);
	struct conf_sink sink = { sink_record, sink_skip, t };
	uint64_t f = 0;

	memset(t, 0, sizeof(*t));
	t->ran = true;
	if (r->token != VMX_ON) {
		skip_rest(t, vmx_not_on_why(r->token));
		vmx_cross_absent(cpu);
		return;
	}
	struct vmxon_setup s = { r->vmxon_pa, (uint64_t)(uintptr_t)vmcs_pages[cpu], r->revision,
				 read_cr0(), read_cr4(), r->cr0_after, r->cr4_after };
	memset(vmcs_pages[cpu], 0, 4096);
	memcpy(vmcs_pages[cpu], &s.rev, 4);
	if (s.cr0v != s.cr0)
		write_cr0(s.cr0v);

	if (!vmx_vmxon_rules(&s, r, &sink)) {
		skip_rest(t, "VMXON with the valid region did not succeed this time");
		vmx_cross_absent(cpu);
	} else {
		/* selftest=vmx: the rules that need a VMCS and a guest. */
		if (options.selftest == SELFTEST_VMX)
			vmx_conformance_cpu(cpu, r, &sink);
		else
			vmx_cross_absent(cpu);
		vmclear_safe(s.vmcs_pa, &f);
		if (!this_cpu()->arch.keep_vmx)        /* kernel/vmx_cross.c: an INIT pending */
			vmxoff_safe(&f);
	}
	/* Under the fix-up: a CPU that failed to leave VMX operation keeps its
	 * fixed bits (#GP) rather than ending the run. */
	write_cr4_safe(s.cr4);
	write_cr0_safe(s.cr0);
}

/* selftest=vmxon: the VMXON rules; selftest=vmx: every rule. */
static unsigned rules_reported(void)
{
	return options.selftest == SELFTEST_VMX ? ST_RULES : ST_VMXON_RULES;
}

static void print_rules(unsigned cpu, const struct vmx_selftest *t)
{
	for (unsigned k = 0; k < rules_reported(); k++) {
		const struct st_rule *rule = st_rule((enum st_rule_id)k);
		enum st_verdict verdict = (enum st_verdict)t->verdict[k];
		char got[400];
		if (verdict == ST_SKIP || verdict == ST_NOT_RUN) {
			kprintf("SKIP: selftest cpu=%u %s: \"%s\" (%s)\n", cpu, rule->id, rule->quote,
				reason(t->skip_reason[k]));
			continue;
		}
		struct st_observed o = observed(t, k);
		st_describe_verdict(got, sizeof(got), &o, verdict);
		kprintf("%s: selftest cpu=%u %s: \"%s\" got %s\n", st_verdict_str(verdict), cpu,
			rule->id, rule->quote, got);
	}
}

unsigned vmx_selftest_report(unsigned n, const bool *online, const bool *finished)
{
	unsigned failed_total = 0;

	for (unsigned i = 0; i < n; i++) {
		const struct vmx_selftest *t = cpu_record(i);
		if (!online[i])
			continue;
		if (!t->ran || !finished[i]) {
			const char *lost = vmx_cross_lost(i);
			if (lost)
				kprintf("FAIL: selftest cpu=%u %s: the CPU stopped answering after another "
					"CPU sent it the rule's INIT or SIPI\n", i, lost);
			kprintf("FAIL: selftest cpu=%u: the conformance rules did not complete on this CPU\n", i);
			kprintf("selftest: cpu=%u passed=0 failed=1 skipped=0\n", i);
			failed_total++;
			continue;
		}
		print_rules(i, t);
		struct st_tally c = st_tally(t->verdict, rules_reported());
		kprintf("selftest: cpu=%u passed=%u failed=%u skipped=%u\n", i, c.passed, c.failed,
			c.skipped);
		failed_total += c.failed;
	}
	return failed_total;
}
