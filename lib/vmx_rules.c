/* SPDX-License-Identifier: MIT */
/* VMXON conformance rules: see vmx_rules.h. */
#include "lib/vmx_rules.h"

#include "lib/ept.h"
#include "lib/fmt.h"

static const struct st_rule rules[ST_RULES] = {
	[ST_VMXON_NO_VMXE] = { "vmxon-without-cr4-vmxe",
		"VMXON: IF (register operand) or (CR0.PE = 0) or (CR4.VMXE = 0) or ... THEN #UD",
		ST_EXPECT_UD, 0 },
	[ST_VMXOFF_OUTSIDE] = { "vmxoff-outside-vmx-operation",
		"VMXOFF: IF (not in VMX operation) or ... THEN #UD",
		ST_EXPECT_UD, 0 },
	[ST_VMXON_MISALIGNED] = { "vmxon-region-not-4k-aligned",
		"VMXON: IF addr is not 4KB-aligned or ... THEN VMfailInvalid",
		ST_EXPECT_FAIL_INVALID, 0 },
	[ST_VMXON_BEYOND_MAXPHYADDR] = { "vmxon-region-beyond-maxphyaddr",
		"VMXON: IF ... addr sets any bits beyond the physical-address width THEN VMfailInvalid",
		ST_EXPECT_FAIL_INVALID, 0 },
	[ST_VMXON_BAD_REVISION] = { "vmxon-wrong-revision",
		"VMXON: IF bits 30:0 of the VMXON region are not the VMCS revision identifier ... THEN VMfailInvalid",
		ST_EXPECT_FAIL_INVALID, 0 },
	[ST_VMXON_IN_ROOT_NO_VMCS] = { "vmxon-in-root-no-current-vmcs",
		"VMXON in VMX root operation: VMfail(15), which is VMfailInvalid while the current-VMCS pointer is not valid",
		ST_EXPECT_FAIL_INVALID, 0 },
	[ST_VMCLEAR_VMXON_PTR] = { "vmclear-vmxon-pointer",
		"VMCLEAR: ELSIF addr = VMXON pointer THEN VMfail(VMCLEAR with VMXON pointer) (error 3)",
		ST_EXPECT_FAIL_VALID, 3 },
	[ST_VMPTRLD_VMXON_PTR] = { "vmptrld-vmxon-pointer",
		"VMPTRLD: ELSIF addr = VMXON pointer THEN VMfail(VMPTRLD with VMXON pointer) (error 10)",
		ST_EXPECT_FAIL_VALID, 10 },
	[ST_VMXON_IN_ROOT] = { "vmxon-in-vmx-root",
		"VMXON: ELSIF in VMX root operation THEN VMfail(VMXON executed in VMX root operation) (error 15)",
		ST_EXPECT_FAIL_VALID, 15 },
	[ST_CR0_FIXED_CLEAR] = { "cr0-fixed-bit-clear",
		"In VMX operation, clearing a CR0 bit that IA32_VMX_CR0_FIXED0 fixes to 1 (NE) causes #GP",
		ST_EXPECT_GP, 0 },
	[ST_CR4_FIXED_CLEAR] = { "cr4-fixed-bit-clear",
		"In VMX operation, clearing CR4.VMXE (fixed to 1 by IA32_VMX_CR4_FIXED0) causes #GP",
		ST_EXPECT_GP, 0 },
	/* Vol. 3C, "VMX Instruction Reference": VMREAD, VMWRITE, VMLAUNCH/VMRESUME. */
	[ST_VMWRITE_READ_ONLY] = { "vmwrite-read-only-field",
		"VMWRITE: ELSIF secondary source operand specifies a VM-exit information field and "
		"IA32_VMX_MISC[29] is 0 THEN VMfail(VMWRITE to read-only VMCS component) (error 13)",
		ST_EXPECT_FAIL_VALID, 13 },
	[ST_VMREAD_UNSUPPORTED] = { "vmread-unsupported-field",
		"VMREAD: ELSIF secondary source operand does not correspond to any VMCS field THEN "
		"VMfail(VMREAD/VMWRITE from/to unsupported VMCS component) (error 12)",
		ST_EXPECT_FAIL_VALID, 12 },
	[ST_VMWRITE_UNSUPPORTED] = { "vmwrite-unsupported-field",
		"VMWRITE: ELSIF secondary source operand does not correspond to any VMCS field THEN "
		"VMfail(VMREAD/VMWRITE from/to unsupported VMCS component) (error 12)",
		ST_EXPECT_FAIL_VALID, 12 },
	[ST_VMRESUME_CLEAR] = { "vmresume-clear-vmcs",
		"VMRESUME: ELSIF VMRESUME and launch state of current VMCS is not \"launched\" THEN "
		"VMfail(VMRESUME with non-launched VMCS) (error 5)",
		ST_EXPECT_FAIL_VALID, 5 },
	[ST_VMLAUNCH_LAUNCHED] = { "vmlaunch-launched-vmcs",
		"VMLAUNCH: ELSIF VMLAUNCH and launch state of current VMCS is not \"clear\" THEN "
		"VMfail(VMLAUNCH with non-clear VMCS) (error 4)",
		ST_EXPECT_FAIL_VALID, 4 },
	/* Vol. 3C, "VMX Non-Root Operation", "Instructions That Cause VM Exits Conditionally"
	 * and "Other Causes of VM Exits"; "Exit Qualification for I/O Instructions". */
	[ST_EXCEPTION_BITMAP] = { "exception-bitmap-ud",
		"Exceptions: a #UD in the guest causes a VM exit if bit 6 of the exception bitmap is 1 "
		"(exit reason 0, vector 6, type hardware exception in the interruption information)",
		ST_EXPECT_EXIT, 0, 0, 0, 0, 0x80000306, 0x800007ff, false },
	[ST_PREEMPTION_ZERO] = { "preemption-timer-zero",
		"VMX-preemption timer: if the value is zero at VM entry, a VM exit occurs before the "
		"guest executes any instruction (exit reason 52)",
		ST_EXPECT_EXIT, 0, 52, 0, 0, 0, 0, true },
	[ST_PREEMPTION_EXPIRES] = { "preemption-timer-expires",
		"VMX-preemption timer: it counts down by 1 every 2^IA32_VMX_MISC[4:0] TSC cycles in "
		"non-root operation and a VM exit occurs when it reaches zero (exit reason 52, within "
		"value x 2^rate cycles and the entry and exit)",
		ST_EXPECT_EXIT, 0, 52, 0, 0, 0, 0, false, false, 0, true },
	[ST_PREEMPTION_SAVE] = { "preemption-timer-save",
		"If the save VMX-preemption timer value VM-exit control is 1, a VM exit saves the "
		"timer's value, counted down, into the VMCS field (the guest's VMCALL, exit reason 18)",
		ST_EXPECT_EXIT, 0, 18, 0, 0, 0, 0, false, false, 0, false, true },
	[ST_MSR_BITMAP_READ] = { "msr-bitmap-read-marked",
		"RDMSR: causes a VM exit if use MSR bitmaps is 1 and the bit for ECX in the read "
		"bitmap is 1 (exit reason 31)",
		ST_EXPECT_EXIT, 0, 31, 0, 0, 0, 0, false },
	[ST_MSR_BITMAP_READ_CLEAR] = { "msr-bitmap-read-clear",
		"RDMSR: with use MSR bitmaps 1 and the bit for ECX 0, RDMSR runs without a VM exit "
		"(the guest reaches its VMCALL, exit reason 18)",
		ST_EXPECT_EXIT, 0, 18, 0, 0, 0, 0, false },
	[ST_MSR_BITMAP_WRITE] = { "msr-bitmap-write-marked",
		"WRMSR: causes a VM exit if use MSR bitmaps is 1 and the bit for ECX in the write "
		"bitmap is 1 (exit reason 32)",
		ST_EXPECT_EXIT, 0, 32, 0, 0, 0, 0, false },
	[ST_MSR_BITMAP_WRITE_CLEAR] = { "msr-bitmap-write-clear",
		"WRMSR: with use MSR bitmaps 1 and the bit for ECX 0, WRMSR runs without a VM exit "
		"(the guest reaches its VMCALL, exit reason 18)",
		ST_EXPECT_EXIT, 0, 18, 0, 0, 0, 0, false },
	[ST_IO_BITMAP] = { "io-bitmap-out-marked",
		"OUT: causes a VM exit if use I/O bitmaps is 1 and the bit for the port is 1 (exit "
		"reason 30; qualification: size 1 byte, direction out, port in bits 31:16)",
		ST_EXPECT_EXIT, 0, 30, 0x00810000, 0xffff004f, 0, 0, false },
	[ST_IO_BITMAP_CLEAR] = { "io-bitmap-out-clear",
		"OUT: with use I/O bitmaps 1 and the bit for the port 0, OUT runs without a VM exit "
		"(the guest reaches its VMCALL, exit reason 18)",
		ST_EXPECT_EXIT, 0, 18, 0, 0, 0, 0, false },
	/* Vol. 3C, "Checks on VM-Execution Control Fields". */
	[ST_VPID_NONZERO] = { "vpid-nonzero",
		"VPID: with enable VPID 1 and a VPID other than 0000H, VM entry succeeds (the guest "
		"reaches its VMCALL, exit reason 18)",
		ST_EXPECT_EXIT, 0, 18, 0, 0, 0, 0, false },
	[ST_VPID_ZERO] = { "vpid-zero",
		"If the enable VPID VM-execution control is 1, the value of the VPID VM-execution "
		"control field must not be 0000H (VMfail(VM entry with invalid control field(s)), error 7)",
		ST_EXPECT_FAIL_VALID, 7 },
	/* Vol. 3C, "EPT Translation Mechanism", "EPT Violations", "EPT Misconfigurations",
	 * "Exit Qualification for EPT Violations"; "VMX Instruction Reference": INVEPT, INVVPID. */
	[ST_EPT_RUNS] = { "ept-identity",
		"With enable EPT 1, guest-physical addresses are translated through the EPT paging "
		"structures: the guest runs under an identity EPT (its VMCALL, exit reason 18)",
		ST_EXPECT_EXIT, 0, 18, 0, 0, 0, 0, false, false, 0 },
	[ST_EPT_VIOLATION_READ] = { "ept-violation-read",
		"A read of a guest-physical address that the EPT does not map causes an EPT violation "
		"(exit reason 48; qualification bit 0 read, bit 1 not write; the guest-physical address)",
		ST_EXPECT_EXIT, 0, 48, 0x1, 0x3, 0, 0, false, true, EPT_UNMAPPED_GPA },
	[ST_EPT_VIOLATION_WRITE] = { "ept-violation-write",
		"A write to a guest-physical address that the EPT does not map causes an EPT violation "
		"(exit reason 48; qualification bit 1 write; the guest-physical address)",
		ST_EXPECT_EXIT, 0, 48, 0x2, 0x3, 0, 0, false, true, EPT_UNMAPPED_GPA },
	[ST_EPT_MISCONFIG] = { "ept-misconfiguration",
		"An EPT entry with bit 0 (read) clear and bit 1 (write) set is misconfigured: an access "
		"through it causes an EPT misconfiguration (exit reason 49; the guest-physical address)",
		ST_EXPECT_EXIT, 0, 49, 0, 0, 0, 0, false, true, EPT_MISCONFIG_GPA },
	[ST_INVEPT_SINGLE] = { "invept-single-context",
		"INVEPT type 1 (single-context), advertised by IA32_VMX_EPT_VPID_CAP[25], with a valid "
		"EPTP: VMsucceed",
		ST_EXPECT_SUCCEED, 0 },
	[ST_INVEPT_ALL] = { "invept-all-context",
		"INVEPT type 2 (all-context), advertised by IA32_VMX_EPT_VPID_CAP[26]: VMsucceed",
		ST_EXPECT_SUCCEED, 0 },
	[ST_INVVPID_ADDRESS] = { "invvpid-individual-address",
		"INVVPID type 0 (individual-address), advertised by IA32_VMX_EPT_VPID_CAP[40], VPID 1 and "
		"a canonical address: VMsucceed",
		ST_EXPECT_SUCCEED, 0 },
	[ST_INVVPID_SINGLE] = { "invvpid-single-context",
		"INVVPID type 1 (single-context), advertised by IA32_VMX_EPT_VPID_CAP[41], VPID 1: VMsucceed",
		ST_EXPECT_SUCCEED, 0 },
	[ST_INVVPID_ALL] = { "invvpid-all-context",
		"INVVPID type 2 (all-context), advertised by IA32_VMX_EPT_VPID_CAP[42]: VMsucceed",
		ST_EXPECT_SUCCEED, 0 },
	/* Vol. 3C, "Unrestricted Guests"; "Checks on Guest Control Registers". */
	[ST_UNRESTRICTED_REAL_MODE] = { "unrestricted-guest-real-mode",
		"If the unrestricted guest VM-execution control is 1, CR0.PE and CR0.PG may be 0: a "
		"real-mode guest (paging off, EPT on) runs its 16-bit code and exits on HLT (exit reason 12)",
		ST_EXPECT_EXIT, 0, 12, 0, 0, 0, 0, false },
};

/* The VM-entry rules, as st_rules: their names and the SDM's words are
 * lib/vmcs_entry_rules.c's (filled in on first use, the same by every CPU). */
static struct st_rule entry_rules[ENTRY_RULES];

const struct st_rule *st_rule(enum st_rule_id id)
{
	if (id >= ST_ENTRY_FIRST && id <= ST_ENTRY_LAST) {
		struct st_rule *r = &entry_rules[id - ST_ENTRY_FIRST];
		const struct entry_rule *e = entry_rule(id - ST_ENTRY_FIRST);
		r->id = e->name;
		r->quote = e->quote;
		r->expect = ST_EXPECT_ENTRY_FAIL;
		return r;
	}
	return id < ST_RULES ? &rules[id] : 0;
}

/* Did VM entry fail as one of the ENTRY_FAIL_* outcomes in `expect`? */
static bool entry_failed_as(const struct st_observed *o, unsigned expect)
{
	if (o->vector >= 0)
		return false;
	if (o->outcome == VMX_FAIL_VALID && o->has_error)
		return (o->error == 7 && (expect & ENTRY_FAIL_CONTROL)) ||
		       (o->error == 8 && (expect & ENTRY_FAIL_HOST));
	return o->has_exit && o->exit_reason == (VMX_EXIT_REASONS_FAILED_VMENTRY | EXIT_REASON_INVALID_STATE) &&
	       (expect & ENTRY_FAIL_GUEST);
}

enum st_verdict st_judge(enum st_rule_id id, const struct st_observed *o)
{
	const struct st_rule *r = st_rule(id);

	if (!r)
		return ST_FAIL;
	if (id >= ST_ENTRY_FIRST && id <= ST_ENTRY_LAST)
		return entry_failed_as(o, o->entry_expect) ? ST_PASS : ST_FAIL;
	switch (r->expect) {
	case ST_EXPECT_UD:
		return o->vector == 6 ? ST_PASS : ST_FAIL;
	case ST_EXPECT_GP:
		return o->vector == 13 ? ST_PASS : ST_FAIL;
	case ST_EXPECT_FAIL_INVALID:
		return o->vector < 0 && o->outcome == VMX_FAIL_INVALID ? ST_PASS : ST_FAIL;
	case ST_EXPECT_FAIL_VALID:
		return o->vector < 0 && o->outcome == VMX_FAIL_VALID && o->has_error &&
		       o->error == r->error ? ST_PASS : ST_FAIL;
	case ST_EXPECT_EXIT:
		return o->vector < 0 && o->has_exit && o->exit_reason == r->exit &&
		       (o->qual & r->qual_mask) == r->qual &&
		       (o->info & r->info_mask) == r->info &&
		       (!r->before_guest || o->rip_unchanged) &&
		       (!r->check_gpa || o->gpa == r->gpa) &&
		       (!r->check_cycles || o->cycles <= o->cycles_bound) &&
		       (!r->check_timer_saved ||
			(o->has_timer && o->timer_saved < o->timer_initial)) ? ST_PASS : ST_FAIL;
	case ST_EXPECT_SUCCEED:
		return o->vector < 0 && !o->has_exit && o->outcome == VMX_SUCCEED ? ST_PASS : ST_FAIL;
	case ST_EXPECT_ENTRY_FAIL:
		return entry_failed_as(o, o->entry_expect) ? ST_PASS : ST_FAIL;
	}
	return ST_FAIL;
}

static void st_describe_plain(char *buf, size_t size, const struct st_observed *o);

static void describe_exit(char *buf, size_t size, const struct st_observed *o)
{
	size_t n = fmt_snprintf(buf, size, "%sexit %u qualification=0x%lx info=0x%x gpa=0x%lx%s",
				o->exit_reason >> 31 ? "entry-failure " : "", o->exit_reason & 0xffff,
				(unsigned long)o->qual, o->info, (unsigned long)o->gpa,
				o->rip_unchanged ? " before the first instruction" : "");
	if (o->cycles_bound && n < size)
		n += fmt_snprintf(buf + n, size - n, " after %lu cycles (bound %lu)",
				  (unsigned long)o->cycles, (unsigned long)o->cycles_bound);
	if (o->has_timer && n < size)
		fmt_snprintf(buf + n, size - n, " timer %u->%u", o->timer_initial, o->timer_saved);
}

/* What the checker expects, after what happened: when the two disagree, and
 * when the SDM lets the CPU choose between two errors. */
static void describe_expect(char *buf, size_t size, const struct st_observed *o)
{
	unsigned e = o->entry_expect;
	size_t n = 0;

	while (n < size && buf[n])
		n++;
	if (!e || n >= size)
		return;
	if (!entry_failed_as(o, e))
		fmt_snprintf(buf + n, size - n, "; the checker expected %s%s%s%s%s",
			     e & ENTRY_FAIL_CONTROL ? "VMfailValid(7)" : "",
			     (e & ENTRY_FAIL_CONTROL) && (e & ENTRY_FAIL_HOST) ? " or " : "",
			     e & ENTRY_FAIL_HOST ? "VMfailValid(8)" : "",
			     e & ENTRY_FAIL_GUEST ? "entry-failure exit 33" : "",
			     (e & ENTRY_FAIL_CONTROL) && (e & ENTRY_FAIL_HOST) ?
			     " (the SDM lets the processor check controls and host state in any order)" : "");
	else if ((e & ENTRY_FAIL_CONTROL) && (e & ENTRY_FAIL_HOST))
		fmt_snprintf(buf + n, size - n, " (VMfailValid(7) or (8) accepted: the SDM lets the "
			     "processor check controls and host state in any order)");
}

void st_describe_verdict(char *buf, size_t size, const struct st_observed *o, enum st_verdict v)
{
	size_t n = 0;

	st_describe_plain(buf, size, o);
	if (v == ST_FAIL && o->vector < 0 && o->has_exit && o->has_details) {
		while (n < size && buf[n])
			n++;
		if (n < size)
			fmt_snprintf(buf + n, size - n, " vector=%u error-code=0x%x idt-vectoring=0x%x rip=0x%lx",
				     o->info & 0xff, o->error_code, o->idt_info, (unsigned long)o->rip);
	}
	describe_expect(buf, size, o);
}

void st_describe(char *buf, size_t size, const struct st_observed *o)
{
	st_describe_plain(buf, size, o);
	describe_expect(buf, size, o);
}

static void st_describe_plain(char *buf, size_t size, const struct st_observed *o)
{
	if (o->vector < 0 && o->has_exit)
		describe_exit(buf, size, o);
	else if (o->vector == 6)
		fmt_snprintf(buf, size, "#UD");
	else if (o->vector == 13)
		fmt_snprintf(buf, size, "#GP");
	else if (o->vector >= 0)
		fmt_snprintf(buf, size, "exception %d", o->vector);
	else if (o->outcome == VMX_SUCCEED)
		fmt_snprintf(buf, size, "VMsucceed");
	else if (o->outcome == VMX_FAIL_INVALID)
		fmt_snprintf(buf, size, "VMfailInvalid");
	else if (o->has_error)
		fmt_snprintf(buf, size, "VMfailValid(%u)", o->error);
	else
		fmt_snprintf(buf, size, "VMfailValid(error unreadable)");
}

const char *st_verdict_str(enum st_verdict v)
{
	switch (v) {
	case ST_PASS: return "PASS";
	case ST_FAIL: return "FAIL";
	case ST_SKIP: return "SKIP";
	case ST_NOT_RUN: break;
	}
	return "SKIP";
}

struct st_tally st_tally(const enum st_verdict *v, unsigned n)
{
	struct st_tally t = { 0, 0, 0 };

	for (unsigned i = 0; i < n; i++) {
		if (v[i] == ST_PASS)
			t.passed++;
		else if (v[i] == ST_FAIL)
			t.failed++;
		else
			t.skipped++;
	}
	return t;
}
