/*
 * selftest=vmxon: after the normal VMXON/VMXOFF, check that this CPU (or the
 * hypervisor under it) follows the SDM's rules for VMX instructions. The rules,
 * their quotes and the judgement are in lib/vmx_rules.c; this file only sets up
 * each situation, executes the instruction under the fault fix-up, records
 * what happened, and recovers (an unexpected VMsucceed of VMXON is undone with
 * VMXOFF; an unexpected CR write is undone).
 *
 * Sequence (Intel SDM Vol. 3C, "VMX Instruction Reference"):
 *   CR4.VMXE = 0:        VMXON -> #UD
 *   CR4.VMXE = 1:        VMXOFF outside VMX operation -> #UD
 *                        VMXON misaligned / beyond MAXPHYADDR / wrong revision -> VMfailInvalid
 *   VMXON (must succeed) VMXON again, no current VMCS -> VMfailInvalid
 *   VMCLEAR+VMPTRLD a VMCS (must succeed), then
 *                        VMCLEAR / VMPTRLD of the VMXON pointer -> VMfailValid(3) / (10)
 *                        VMXON -> VMfailValid(15)
 *                        clear CR0.NE / CR4.VMXE -> #GP
 *   VMCLEAR, VMXOFF; CR0 and CR4 restored.
 */
#include "arch/processor-flags.h"
#include "arch/x86.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/report.h"
#include "kernel/smp.h"
#include "kernel/vmx.h"
#include "lib/string.h"

#define VM_INSTRUCTION_ERROR    0x4400

/* One VMCS region per CPU for the rules that need a current VMCS. */
static uint8_t vmcs_pages[MAX_CPUS][4096] __attribute__((aligned(4096)));

static struct st_observed observe(int vector, uint64_t rflags)
{
	struct st_observed o = { vector, VMX_SUCCEED, false, 0 };

	if (vector >= 0)
		return o;
	o.outcome = vmx_outcome_from_rflags(rflags);
	if (o.outcome == VMX_FAIL_VALID) {
		uint64_t err = 0, f = 0;
		if (vmread_safe(VM_INSTRUCTION_ERROR, &err, &f) < 0 &&
		    vmx_outcome_from_rflags(f) == VMX_SUCCEED) {
			o.has_error = true;
			o.error = (uint32_t)err;
		}
	}
	return o;
}

static void record(struct vmx_selftest *t, enum st_rule_id id, struct st_observed o)
{
	t->obs[id] = o;
	t->verdict[id] = st_judge(id, &o);
}

static void skip(struct vmx_selftest *t, enum st_rule_id id, const char *why)
{
	if (t->verdict[id] == ST_NOT_RUN) {
		t->verdict[id] = ST_SKIP;
		t->skip_reason[id] = why;
	}
}

static void skip_rest(struct vmx_selftest *t, const char *why)
{
	for (unsigned i = 0; i < ST_RULES; i++)
		skip(t, (enum st_rule_id)i, why);
}

/* VMXON that is expected to fail: if it succeeds, leave VMX operation again. */
static struct st_observed try_vmxon(uint64_t pa)
{
	uint64_t f = 0, f2;
	int v = vmxon_safe(pa, &f);
	struct st_observed o = observe(v, f);

	if (v < 0 && o.outcome == VMX_SUCCEED)
		vmxoff_safe(&f2);
	return o;
}

void vmx_selftest_cpu(struct percpu *c)
{
	struct vmx_result *r = &c->vmx;
	struct vmx_selftest *t = &r->selftest;
	uint64_t f = 0;
	int v;

	memset(t, 0, sizeof(*t));
	t->ran = true;
	if (r->token != VMX_ON) {
		skip_rest(t, "VMXON does not succeed on this CPU (see its vmx: line)");
		return;
	}
	uint64_t pa = r->vmxon_pa, vmcs = (uint64_t)(uintptr_t)vmcs_pages[c->index];
	uint32_t rev = r->revision & 0x7fffffff, bad = (rev + 1) & 0x7fffffff;
	uint8_t *region = phys_to_virt(pa);
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();
	uint64_t cr0v = r->cr0_after, cr4v = r->cr4_after;

	memset(vmcs_pages[c->index], 0, 4096);
	memcpy(vmcs_pages[c->index], &rev, 4);
	if (cr0v != cr0)
		write_cr0(cr0v);

	/* CR4.VMXE = 0 (as the probe left it). */
	write_cr4(cr4v & ~X86_CR4_VMXE);
	record(t, ST_VMXON_NO_VMXE, try_vmxon(pa));
	write_cr4(cr4v);

	/* CR4.VMXE = 1, outside VMX operation. */
	v = vmxoff_safe(&f);
	record(t, ST_VMXOFF_OUTSIDE, observe(v, f));
	record(t, ST_VMXON_MISALIGNED, try_vmxon(pa + 0x800));
	unsigned bits = phys_addr_bits();
	if (bits < 64)
		record(t, ST_VMXON_BEYOND_MAXPHYADDR, try_vmxon(1ULL << bits));
	else
		skip(t, ST_VMXON_BEYOND_MAXPHYADDR, "no address beyond a 64-bit width");
	memcpy(region, &bad, 4);
	record(t, ST_VMXON_BAD_REVISION, try_vmxon(pa));
	memcpy(region, &rev, 4);

	/* Into VMX root operation. */
	v = vmxon_safe(pa, &f);
	if (v >= 0 || vmx_outcome_from_rflags(f) != VMX_SUCCEED) {
		skip_rest(t, "VMXON with the valid region did not succeed this time");
		goto restore;
	}
	record(t, ST_VMXON_IN_ROOT_NO_VMCS, try_vmxon(pa));

	/* Make a current VMCS, so VMfail reports VMfailValid with an error number. */
	uint64_t f2 = 0;
	int v1 = vmclear_safe(vmcs, &f), v2 = v1 < 0 ? vmptrld_safe(vmcs, &f2) : v1;
	if (v1 >= 0 || v2 >= 0 || vmx_outcome_from_rflags(f) != VMX_SUCCEED ||
	    vmx_outcome_from_rflags(f2) != VMX_SUCCEED) {
		skip_rest(t, "VMCLEAR/VMPTRLD of a fresh VMCS region did not succeed");
	} else {
		v = vmclear_safe(pa, &f);
		record(t, ST_VMCLEAR_VMXON_PTR, observe(v, f));
		v = vmptrld_safe(pa, &f);
		record(t, ST_VMPTRLD_VMXON_PTR, observe(v, f));
		v = vmxon_safe(pa, &f);
		record(t, ST_VMXON_IN_ROOT, observe(v, f));
	}

	/* Fixed bits in VMX operation. */
	if (r->caps.value[6] & X86_CR0_NE) {
		v = write_cr0_safe(cr0v & ~X86_CR0_NE);
		record(t, ST_CR0_FIXED_CLEAR, observe(v, 0));
		if (v < 0)
			write_cr0(cr0v);        /* it went through: put NE back */
	} else {
		skip(t, ST_CR0_FIXED_CLEAR, "IA32_VMX_CR0_FIXED0 does not fix CR0.NE");
	}
	v = write_cr4_safe(cr4v & ~X86_CR4_VMXE);
	record(t, ST_CR4_FIXED_CLEAR, observe(v, 0));
	if (v < 0)
		write_cr4(cr4v);

	vmclear_safe(vmcs, &f);
	vmxoff_safe(&f);
restore:
	/* Under the fix-up: a CPU that failed to leave VMX operation keeps its
	 * fixed bits (#GP) rather than ending the run. */
	write_cr4_safe(cr4);
	write_cr0_safe(cr0);
}

unsigned vmx_selftest_report(void)
{
	unsigned failed_total = 0;

	for (unsigned i = 0; i < smp_cpu_count(); i++) {
		const struct vmx_selftest *t = &cpus[i].vmx.selftest;
		unsigned pass = 0, fail = 0, skipped = 0;
		if (!cpu_is_online(&cpus[i]))
			continue;
		if (!t->ran || !__atomic_load_n(&cpus[i].vmx.done, __ATOMIC_ACQUIRE)) {
			kprintf("FAIL: selftest cpu=%u: the conformance rules did not complete on this CPU\n", i);
			kprintf("selftest: cpu=%u passed=0 failed=1 skipped=0\n", i);
			failed_total++;
			continue;
		}
		for (unsigned k = 0; k < ST_RULES; k++) {
			const struct st_rule *rule = st_rule((enum st_rule_id)k);
			enum st_verdict verdict = t->verdict[k];
			char got[40];
			if (verdict == ST_SKIP || verdict == ST_NOT_RUN) {
				skipped++;
				kprintf("SKIP: selftest cpu=%u %s: \"%s\" (%s)\n", i, rule->id, rule->quote,
					t->skip_reason[k] ? t->skip_reason[k] : "not run");
				continue;
			}
			st_describe(got, sizeof(got), &t->obs[k]);
			if (verdict == ST_PASS)
				pass++;
			else
				fail++;
			kprintf("%s: selftest cpu=%u %s: \"%s\" got %s\n", st_verdict_str(verdict), i,
				rule->id, rule->quote, got);
		}
		kprintf("selftest: cpu=%u passed=%u failed=%u skipped=%u\n", i, pass, fail, skipped);
		failed_total += fail;
	}
	return failed_total;
}
