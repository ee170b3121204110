/* SPDX-License-Identifier: MIT */
/* Judgement of the VMXON conformance rules. */
#include <string.h>

#include "check.h"
#include "lib/ept.h"
#include "lib/vmx_rules.h"

static struct st_observed exc(int v)
{
	return (struct st_observed){ .vector = v, .outcome = VMX_SUCCEED };
}

static struct st_observed out(enum vmx_outcome o, int has_error, uint32_t e)
{
	return (struct st_observed){ .vector = -1, .outcome = o, .has_error = has_error, .error = e };
}

/* A VM-entry failure (exit 33) passes only with an exit qualification the
 * checker expects (SDM "VM-Entry Failures During or After Loading Guest
 * State": 0 by default, 2 the PDPTEs, 4 an invalid VMCS link pointer); a
 * failing line says both. */
static void entry_qualifications(void)
{
	char buf[400];
	enum st_rule_id id = ST_ENTRY_FIRST, link = ST_RULES;
	struct st_observed o = { .vector = -1, .has_exit = true, .exit_reason = 0x80000021,
				 .qual = 4, .has_details = true, .entry_expect = ENTRY_FAIL_GUEST };

	for (unsigned i = 0; i < ENTRY_RULES; i++)
		if (!strcmp(entry_rule(i)->name, "entry-guest-link-pointer-low-bits"))
			link = (enum st_rule_id)(ST_ENTRY_FIRST + i);
	CHECK(link != ST_RULES);
	/* Qualification 0 expected: 4 fails, 0 passes. */
	CHECK_EQ(st_judge(id, &o), ST_FAIL);
	st_describe_verdict(buf, sizeof(buf), &o, ST_FAIL);
	CHECK_STR(buf, "entry-failure exit 33 qualification=0x4 info=0x0 gpa=0x0 vector=0 error-code=0x0 "
		  "idt-vectoring=0x0 rip=0x0; the checker expected entry-failure exit 33 qualification=0x0");
	o.qual = 0;
	CHECK_EQ(st_judge(id, &o), ST_PASS);
	st_describe_verdict(buf, sizeof(buf), &o, ST_PASS);
	CHECK_STR(buf, "entry-failure exit 33 qualification=0x0 info=0x0 gpa=0x0");
	/* A link-pointer rule: 4 expected; 0 fails. */
	o.entry_expect = ENTRY_FAIL_GUEST_LINK_PTR;
	CHECK_EQ(st_judge(link, &o), ST_FAIL);
	st_describe_verdict(buf, sizeof(buf), &o, ST_FAIL);
	CHECK_STR(buf, "entry-failure exit 33 qualification=0x0 info=0x0 gpa=0x0 vector=0 error-code=0x0 "
		  "idt-vectoring=0x0 rip=0x0; the checker expected entry-failure exit 33 qualification=0x4");
	o.qual = 4;
	CHECK_EQ(st_judge(link, &o), ST_PASS);
	/* A guest using PAE paging: 0 or 2 (its PDPTEs), not 4. */
	o.entry_expect = ENTRY_FAIL_GUEST | ENTRY_FAIL_GUEST_PDPTE;
	CHECK_EQ(st_judge(id, &o), ST_FAIL);
	st_describe(buf, sizeof(buf), &o);
	CHECK_STR(buf, "entry-failure exit 33 qualification=0x4 info=0x0 gpa=0x0; the checker expected "
		  "entry-failure exit 33 qualification=0x0 or 0x2");
	o.qual = 2;
	CHECK_EQ(st_judge(id, &o), ST_PASS);
	o.qual = 0;
	CHECK_EQ(st_judge(id, &o), ST_PASS);
	/* Qualifications the SDM does not give fail, whatever is expected. */
	o.entry_expect = ENTRY_FAIL_GUEST | ENTRY_FAIL_GUEST_PDPTE | ENTRY_FAIL_GUEST_QUAL(ENTRY_QUAL_NMI) |
			 ENTRY_FAIL_GUEST_LINK_PTR;
	static const uint64_t unused[] = { 1, 5, 8, 0x100000000ull, ~0ull };
	for (unsigned k = 0; k < sizeof(unused) / sizeof(unused[0]); k++) {
		o.qual = unused[k];
		CHECK_EQ(st_judge(id, &o), ST_FAIL);
	}
	/* The expected qualification is the guest's only: error 7 expected, exit 33 came. */
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 0x80000021,
				  .entry_expect = ENTRY_FAIL_CONTROL };
	CHECK_EQ(st_judge(id, &o), ST_FAIL);
	st_describe(buf, sizeof(buf), &o);
	CHECK_STR(buf, "entry-failure exit 33 qualification=0x0 info=0x0 gpa=0x0; the checker expected "
		  "VMfailValid(7)");
}

/* The VM-entry rules: any outcome the checker allows passes, another fails,
 * and a disagreement says both; a VM entry that succeeds fails. */
static void entry_rules(void)
{
	char buf[400];
	enum st_rule_id id = ST_ENTRY_FIRST;
	struct st_observed o = { .vector = -1, .outcome = VMX_FAIL_VALID, .has_error = true,
				 .error = 7, .entry_expect = ENTRY_FAIL_CONTROL };

	CHECK_STR(st_rule(id)->id, entry_rule(0)->name);
	CHECK_STR(st_rule(ST_ENTRY_LAST)->id, entry_rule(ENTRY_RULES - 1)->name);
	CHECK_EQ(st_judge(id, &o), ST_PASS);
	st_describe(buf, sizeof(buf), &o);
	CHECK_STR(buf, "VMfailValid(7)");
	o.error = 8;
	CHECK_EQ(st_judge(id, &o), ST_FAIL);
	st_describe(buf, sizeof(buf), &o);
	CHECK_STR(buf, "VMfailValid(8); the checker expected VMfailValid(7)");
	o.entry_expect = ENTRY_FAIL_CONTROL | ENTRY_FAIL_HOST;  /* either, in any order */
	CHECK_EQ(st_judge(id, &o), ST_PASS);
	st_describe(buf, sizeof(buf), &o);
	CHECK(strstr(buf, "VMfailValid(8) (VMfailValid(7) or (8) accepted") == buf);
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 0x80000021,
				  .entry_expect = ENTRY_FAIL_GUEST };
	CHECK_EQ(st_judge(id, &o), ST_PASS);
	o.exit_reason = 0x21;                           /* without bit 31 */
	CHECK_EQ(st_judge(id, &o), ST_FAIL);
	entry_qualifications();
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 18,
				  .info = 0, .has_details = true, .rip = 0x1234,
				  .entry_expect = ENTRY_FAIL_HOST };
	CHECK_EQ(st_judge(id, &o), ST_FAIL);            /* it entered the guest */
	st_describe_verdict(buf, sizeof(buf), &o, ST_FAIL);
	CHECK_STR(buf, "exit 18 qualification=0x0 info=0x0 gpa=0x0 vector=0 error-code=0x0 "
		  "idt-vectoring=0x0 rip=0x1234; the checker expected VMfailValid(8)");
	st_describe_verdict(buf, sizeof(buf), &o, ST_PASS);
	CHECK_STR(buf, "exit 18 qualification=0x0 info=0x0 gpa=0x0; the checker expected VMfailValid(8)");
	o.entry_expect = 0;                             /* no expectation: never a pass */
	CHECK_EQ(st_judge(id, &o), ST_FAIL);
}

/* Pending debug exceptions, INIT and SIPI (kernel/vmx_cross.c): an exit of
 * the right reason passes; the wrong qualification, an exit after the guest's
 * first instruction, or an INIT left pending after its exit fails. */
static void debug_init_sipi_rules(void)
{
	struct st_observed o = { .vector = -1, .has_exit = true, .exit_reason = 0, .qual = 0x4000,
				 .info = 0x80000301, .rip_unchanged = true };

	CHECK_EQ(st_judge(ST_PENDING_DBG_BS, &o), ST_PASS);
	o.qual = 0x4001;                                /* B0 too */
	CHECK_EQ(st_judge(ST_PENDING_DBG_BS, &o), ST_FAIL);
	o.qual = 0x4000;
	o.rip_unchanged = false;                        /* a single step after the first instruction */
	CHECK_EQ(st_judge(ST_PENDING_DBG_BS, &o), ST_FAIL);
	o = (struct st_observed){ .vector = -1, .has_exit = true, .qual = 0x1, .info = 0x80000301,
				  .rip_unchanged = true };
	CHECK_EQ(st_judge(ST_PENDING_DBG_BP, &o), ST_PASS);
	o.info = 0x80000b0e;                            /* a #PF instead */
	CHECK_EQ(st_judge(ST_PENDING_DBG_BP, &o), ST_FAIL);

	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 3, .rip_unchanged = true };
	CHECK_EQ(st_judge(ST_INIT_HELD_IN_ROOT, &o), ST_PASS);
	o.exit_reason = 18;                             /* the INIT was lost: the guest ran */
	o.rip_unchanged = false;
	CHECK_EQ(st_judge(ST_INIT_HELD_IN_ROOT, &o), ST_FAIL);
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 3, .has_value = true,
				  .value = 1, .value_expected = 1 };
	CHECK_EQ(st_judge(ST_INIT_EXIT, &o), ST_PASS);
	o.value = 0;                                    /* still pending after its exit */
	CHECK_EQ(st_judge(ST_INIT_EXIT, &o), ST_FAIL);
	o.has_value = false;
	CHECK_EQ(st_judge(ST_INIT_EXIT, &o), ST_FAIL);

	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 4, .qual = 0x5e,
				  .rip_unchanged = true };
	CHECK_EQ(st_judge(ST_SIPI_EXIT, &o), ST_PASS);
	o.qual = 0x9e;                                  /* another vector */
	CHECK_EQ(st_judge(ST_SIPI_EXIT, &o), ST_FAIL);
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 52, .rip_unchanged = true };
	CHECK_EQ(st_judge(ST_SIPI_EXIT, &o), ST_FAIL);

	/* The last of several CR3-target values: no exit; a CPU that reads only
	 * the first exits (28). */
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 18 };
	CHECK_EQ(st_judge(ST_CR3_TARGET_LAST, &o), ST_PASS);
	o.exit_reason = 28;
	o.qual = 0x303;
	CHECK_EQ(st_judge(ST_CR3_TARGET_LAST, &o), ST_FAIL);

	/* MOV SS: VMLAUNCH in its shadow fails with 26 (4, the launch state's
	 * error, fails the rule), or VMfailInvalid without a current VMCS. */
	o = out(VMX_FAIL_VALID, 1, 26);
	CHECK_EQ(st_judge(ST_VMLAUNCH_MOV_SS, &o), ST_PASS);
	o = out(VMX_FAIL_VALID, 1, 4);
	CHECK_EQ(st_judge(ST_VMLAUNCH_MOV_SS, &o), ST_FAIL);
	CHECK_EQ(st_judge(ST_VMLAUNCH_MOV_SS_NO_VMCS, &o), ST_FAIL);
	o = out(VMX_FAIL_INVALID, 0, 0);
	CHECK_EQ(st_judge(ST_VMLAUNCH_MOV_SS_NO_VMCS, &o), ST_PASS);
	/* The single step in a MOV-SS shadow: after the first instruction, with
	 * BS and B0; one that comes before it (RIP offset 0), or without B0, fails. */
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 0, .qual = 0x4001,
				  .info = 0x80000301, .has_value = true, .value = 1, .value_expected = 1 };
	CHECK_EQ(st_judge(ST_DBG_MOV_SS_SHADOW, &o), ST_PASS);
	o.value = 0;
	CHECK_EQ(st_judge(ST_DBG_MOV_SS_SHADOW, &o), ST_FAIL);
	o.value = 1;
	o.qual = 0x4000;
	CHECK_EQ(st_judge(ST_DBG_MOV_SS_SHADOW, &o), ST_FAIL);
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 18, .has_value = true,
				  .value = 0x2, .value_expected = 0x2 };
	CHECK_EQ(st_judge(ST_MOV_SS_VMCALL, &o), ST_PASS);
	o.value = 0x0;                                  /* the blocking not saved */
	CHECK_EQ(st_judge(ST_MOV_SS_VMCALL, &o), ST_FAIL);
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 0, .info = 0x80000301,
				  .has_value = true, .value = 0x2, .value_expected = 0x2 };
	CHECK_EQ(st_judge(ST_MOV_SS_VMCALL, &o), ST_FAIL);     /* the #DB not held */

	/* Virtual-NMI blocking: no NMI-window exit until the IRET, then one at
	 * the IRET's target. */
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 18 };
	CHECK_EQ(st_judge(ST_NMI_WINDOW_BLOCKED, &o), ST_PASS);
	o.exit_reason = 8;
	CHECK_EQ(st_judge(ST_NMI_WINDOW_BLOCKED, &o), ST_FAIL);
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 8, .has_value = true,
				  .value = 24, .value_expected = 24 };
	CHECK_EQ(st_judge(ST_NMI_WINDOW_IRET, &o), ST_PASS);
	o.value = 0;                                    /* at once: the blocking ignored */
	CHECK_EQ(st_judge(ST_NMI_WINDOW_IRET, &o), ST_FAIL);

	/* The EPT matrix: an allowed access reaches the VMCALL, a violation's
	 * qualification names the access and the leaf's permissions. */
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 18, .has_value = true,
				  .value = 7, .value_expected = 7 };
	CHECK_EQ(st_judge(ST_EPT_RX_READ, &o), ST_PASS);
	CHECK_EQ(st_judge(ST_EPT_RWX_WRITE, &o), ST_PASS);
	CHECK_EQ(st_judge(ST_EPT_RX_WRITE, &o), ST_FAIL);       /* a write R+X allowed */
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 48, .qual = 0x1aa,
				  .has_value = true, .value = 5, .value_expected = 5 };
	CHECK_EQ(st_judge(ST_EPT_RX_WRITE, &o), ST_PASS);
	o.qual = 0x18a;                                 /* the leaf's X not reported */
	CHECK_EQ(st_judge(ST_EPT_RX_WRITE, &o), ST_FAIL);
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 48, .qual = 0x1a2,
				  .has_value = true, .value = 5, .value_expected = 5 };
	CHECK_EQ(st_judge(ST_EPT_W_MISCONFIG_WRITE, &o), ST_FAIL);      /* a violation, not 49 */

	/* Posted interrupts: the notification processed (no exit), 41H delivered,
	 * ON and PIR cleared; an exit for the notification, or ON left set, fails. */
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 18, .has_value = true,
				  .value = 0x4100, .value_expected = 0x4100 };
	CHECK_EQ(st_judge(ST_POSTED_INTR, &o), ST_PASS);
	o.value = 0x14100;
	CHECK_EQ(st_judge(ST_POSTED_INTR, &o), ST_FAIL);
	o.value = 0x4100;
	o.exit_reason = 1;
	CHECK_EQ(st_judge(ST_POSTED_INTR, &o), ST_FAIL);

	/* A SIPI while the guest runs: no exit for it. */
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 18, .has_value = true,
				  .value = 1, .value_expected = 1 };
	CHECK_EQ(st_judge(ST_SIPI_IGNORED_ACTIVE, &o), ST_PASS);
	o.exit_reason = 4;
	CHECK_EQ(st_judge(ST_SIPI_IGNORED_ACTIVE, &o), ST_FAIL);
}

int main(void)
{
	struct st_observed o;
	char buf[96];

	/* #UD rules. */
	o = exc(6);
	CHECK_EQ(st_judge(ST_VMXON_NO_VMXE, &o), ST_PASS);
	CHECK_EQ(st_judge(ST_VMXOFF_OUTSIDE, &o), ST_PASS);
	o = exc(13);
	CHECK_EQ(st_judge(ST_VMXON_NO_VMXE, &o), ST_FAIL);
	o = out(VMX_SUCCEED, 0, 0);
	CHECK_EQ(st_judge(ST_VMXOFF_OUTSIDE, &o), ST_FAIL);

	/* VMfailInvalid rules: an exception or another outcome fails them. */
	o = out(VMX_FAIL_INVALID, 0, 0);
	CHECK_EQ(st_judge(ST_VMXON_MISALIGNED, &o), ST_PASS);
	CHECK_EQ(st_judge(ST_VMXON_BEYOND_MAXPHYADDR, &o), ST_PASS);
	CHECK_EQ(st_judge(ST_VMXON_BAD_REVISION, &o), ST_PASS);
	CHECK_EQ(st_judge(ST_VMXON_IN_ROOT_NO_VMCS, &o), ST_PASS);
	o = out(VMX_SUCCEED, 0, 0);
	CHECK_EQ(st_judge(ST_VMXON_MISALIGNED, &o), ST_FAIL);
	o = exc(13);
	CHECK_EQ(st_judge(ST_VMXON_BAD_REVISION, &o), ST_FAIL);
	o = out(VMX_FAIL_VALID, 1, 15);
	CHECK_EQ(st_judge(ST_VMXON_IN_ROOT_NO_VMCS, &o), ST_FAIL);

	/* VMfailValid rules need the right error number. */
	o = out(VMX_FAIL_VALID, 1, 3);
	CHECK_EQ(st_judge(ST_VMCLEAR_VMXON_PTR, &o), ST_PASS);
	CHECK_EQ(st_judge(ST_VMPTRLD_VMXON_PTR, &o), ST_FAIL);
	o = out(VMX_FAIL_VALID, 1, 10);
	CHECK_EQ(st_judge(ST_VMPTRLD_VMXON_PTR, &o), ST_PASS);
	o = out(VMX_FAIL_VALID, 1, 15);
	CHECK_EQ(st_judge(ST_VMXON_IN_ROOT, &o), ST_PASS);
	o = out(VMX_FAIL_VALID, 0, 15);                 /* error number unreadable */
	CHECK_EQ(st_judge(ST_VMXON_IN_ROOT, &o), ST_FAIL);
	o = out(VMX_FAIL_INVALID, 0, 0);
	CHECK_EQ(st_judge(ST_VMXON_IN_ROOT, &o), ST_FAIL);

	/* #GP rules. */
	o = exc(13);
	CHECK_EQ(st_judge(ST_CR0_FIXED_CLEAR, &o), ST_PASS);
	CHECK_EQ(st_judge(ST_CR4_FIXED_CLEAR, &o), ST_PASS);
	o = out(VMX_SUCCEED, 0, 0);                     /* the write went through */
	CHECK_EQ(st_judge(ST_CR4_FIXED_CLEAR, &o), ST_FAIL);
	CHECK_EQ(st_judge(ST_RULES, &o), ST_FAIL);

	debug_init_sipi_rules();

	/* Every rule has an id, a quote and an expectation. */
	for (unsigned i = 0; i < ST_RULES; i++) {
		const struct st_rule *r = st_rule((enum st_rule_id)i);
		CHECK(r && r->id && r->quote && strlen(r->quote) > 20);
		CHECK(r->expect != ST_EXPECT_FAIL_VALID || r->error != 0);
	}
	CHECK(st_rule(ST_RULES) == 0);

	st_describe(buf, sizeof(buf), &(struct st_observed){ .vector = 6, .outcome = VMX_SUCCEED });
	CHECK_STR(buf, "#UD");
	o = out(VMX_FAIL_VALID, 1, 15);
	st_describe(buf, sizeof(buf), &o);
	CHECK_STR(buf, "VMfailValid(15)");
	o = out(VMX_FAIL_INVALID, 0, 0);
	st_describe(buf, sizeof(buf), &o);
	CHECK_STR(buf, "VMfailInvalid");
	o = out(VMX_SUCCEED, 0, 0);
	st_describe(buf, sizeof(buf), &o);
	CHECK_STR(buf, "VMsucceed");
	o = exc(14);
	st_describe(buf, sizeof(buf), &o);
	CHECK_STR(buf, "exception 14");
	CHECK_STR(st_verdict_str(ST_PASS), "PASS");
	CHECK_STR(st_verdict_str(ST_NOT_RUN), "SKIP");
	/* Counting one CPU's verdicts. */
	uint8_t vs[6] = { ST_PASS, ST_FAIL, ST_SKIP, ST_NOT_RUN, ST_PASS, ST_PASS };
	struct st_tally t = st_tally(vs, 6);
	CHECK_EQ(t.passed, 3);
	CHECK_EQ(t.failed, 1);
	CHECK_EQ(t.skipped, 2);
	t = st_tally(vs, 0);
	CHECK_EQ(t.passed + t.failed + t.skipped, 0);
	/* Exit rules (selftest=vmx): the reason, the qualification's bits, the
	 * interruption information, "before the first instruction". */
	struct st_observed x = { .vector = -1, .has_exit = true, .exit_reason = 30,
				 .qual = 0x00810000 };
	CHECK_EQ(st_judge(ST_IO_BITMAP, &x), ST_PASS);
	x.qual = 0x00810008;                    /* direction in: not the OUT expected */
	CHECK_EQ(st_judge(ST_IO_BITMAP, &x), ST_FAIL);
	x.qual = 0x00800000;                    /* another port */
	CHECK_EQ(st_judge(ST_IO_BITMAP, &x), ST_FAIL);
	x = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 52,
				  .rip_unchanged = true };
	CHECK_EQ(st_judge(ST_PREEMPTION_ZERO, &x), ST_PASS);
	x.cycles = 5000;
	x.cycles_bound = 8000;
	CHECK_EQ(st_judge(ST_PREEMPTION_EXPIRES, &x), ST_PASS);
	x.cycles = 9000;                        /* later than the timer allows */
	CHECK_EQ(st_judge(ST_PREEMPTION_EXPIRES, &x), ST_FAIL);
	CHECK_EQ(st_judge(ST_PREEMPTION_ZERO, &x), ST_PASS);   /* no bound on that rule */
	x.rip_unchanged = false;
	CHECK_EQ(st_judge(ST_PREEMPTION_ZERO, &x), ST_FAIL);
	x = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 0,
				  .info = 0x80000306 };
	CHECK_EQ(st_judge(ST_EXCEPTION_BITMAP, &x), ST_PASS);
	x.info = 0x8000030d;                    /* #GP instead of #UD */
	CHECK_EQ(st_judge(ST_EXCEPTION_BITMAP, &x), ST_FAIL);
	x = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 0x80000021 };
	CHECK_EQ(st_judge(ST_VPID_NONZERO, &x), ST_FAIL);   /* an entry failure is no VMCALL */
	st_describe(buf, sizeof(buf), &x);
	CHECK_STR(buf, "entry-failure exit 33 qualification=0x0 info=0x0 gpa=0x0");
	x = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 18 };
	CHECK_EQ(st_judge(ST_MSR_BITMAP_READ_CLEAR, &x), ST_PASS);
	CHECK_EQ(st_judge(ST_MSR_BITMAP_READ, &x), ST_FAIL);
	x = (struct st_observed){ .vector = 13 };
	CHECK_EQ(st_judge(ST_VPID_NONZERO, &x), ST_FAIL);
	o = out(VMX_FAIL_VALID, 1, 7);
	CHECK_EQ(st_judge(ST_VPID_ZERO, &o), ST_PASS);
	o = out(VMX_FAIL_VALID, 1, 4);
	CHECK_EQ(st_judge(ST_VMLAUNCH_LAUNCHED, &o), ST_PASS);
	CHECK_EQ(st_judge(ST_VMRESUME_CLEAR, &o), ST_FAIL);
	/* EPT: the violation's read/write bits and its guest-physical address. */
	x = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 48, .qual = 0x181,
				  .gpa = EPT_UNMAPPED_GPA };
	CHECK_EQ(st_judge(ST_EPT_VIOLATION_READ, &x), ST_PASS);
	CHECK_EQ(st_judge(ST_EPT_VIOLATION_WRITE, &x), ST_FAIL);
	x.gpa += 0x1000;
	CHECK_EQ(st_judge(ST_EPT_VIOLATION_READ, &x), ST_FAIL);
	x = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 49,
				  .gpa = EPT_MISCONFIG_GPA };
	CHECK_EQ(st_judge(ST_EPT_MISCONFIG, &x), ST_PASS);
	/* INVEPT/INVVPID: VMsucceed, nothing else. */
	o = out(VMX_SUCCEED, 0, 0);
	CHECK_EQ(st_judge(ST_INVEPT_SINGLE, &o), ST_PASS);
	o = out(VMX_FAIL_VALID, 1, 28);
	CHECK_EQ(st_judge(ST_INVVPID_ALL, &o), ST_FAIL);
	CHECK_EQ(st_judge(ST_INVEPT_ALL, &(struct st_observed){ .vector = 6 }), ST_FAIL);
	/* The saved preemption-timer value must have counted down. */
	x = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 18,
				  .has_timer = true, .timer_initial = 100000, .timer_saved = 99000 };
	CHECK_EQ(st_judge(ST_PREEMPTION_SAVE, &x), ST_PASS);
	x.timer_saved = 100000;
	CHECK_EQ(st_judge(ST_PREEMPTION_SAVE, &x), ST_FAIL);
	x.has_timer = false;
	CHECK_EQ(st_judge(ST_PREEMPTION_SAVE, &x), ST_FAIL);

	/* Every rule: the outcome it expects passes; a different one does not. */
	for (unsigned id = 0; id < ST_RULES; id++) {
		const struct st_rule *r = st_rule((enum st_rule_id)id);
		struct st_observed good = { .vector = -1, .outcome = VMX_SUCCEED };
		switch (r->expect) {
		case ST_EXPECT_UD: good.vector = 6; break;
		case ST_EXPECT_GP: good.vector = 13; break;
		case ST_EXPECT_FAIL_INVALID: good.outcome = VMX_FAIL_INVALID; break;
		case ST_EXPECT_FAIL_VALID:
			good.outcome = VMX_FAIL_VALID;
			good.has_error = true;
			good.error = r->error;
			break;
		case ST_EXPECT_EXIT:
			good.has_exit = true;
			good.exit_reason = r->exit;
			good.qual = r->qual;
			good.info = r->info;
			good.rip_unchanged = r->before_guest;
			good.gpa = r->gpa;
			good.cycles_bound = r->check_cycles ? 10 : 0;
			good.has_timer = r->check_timer_saved;
			good.timer_initial = 2;
			good.timer_saved = 1;
			good.has_value = r->check_value;
			good.value = good.value_expected = 0x1234;
			break;
		case ST_EXPECT_SUCCEED:
			break;
		case ST_EXPECT_ENTRY_FAIL:
			good.entry_expect = ENTRY_FAIL_GUEST;
			good.has_exit = true;
			good.exit_reason = 0x80000021;
			break;
		}
		CHECK(r->id && r->quote && strlen(r->quote) > 20);
		CHECK_EQ(st_judge((enum st_rule_id)id, &good), ST_PASS);
		struct st_observed bad = good;
		bad.vector = good.vector == 6 ? 13 : 6;         /* another exception */
		CHECK_EQ(st_judge((enum st_rule_id)id, &bad), ST_FAIL);
		if (r->expect == ST_EXPECT_EXIT) {
			bad = good;
			bad.exit_reason = r->exit + 1;          /* another exit */
			CHECK_EQ(st_judge((enum st_rule_id)id, &bad), ST_FAIL);
			if (r->check_value) {
				bad = good;
				bad.value++;                    /* another value */
				CHECK_EQ(st_judge((enum st_rule_id)id, &bad), ST_FAIL);
			}
		}
	}
	entry_rules();
	return check_report("vmx_rules");
}
