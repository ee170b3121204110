/* SPDX-License-Identifier: MIT */
/*
 * selftest=vmxon: after the probe's own VMXON/VMXOFF, does this CPU (or the
 * hypervisor under it) follow the SDM's rules for the VMX instructions? This
 * file sets up each situation, executes the instruction under the fault
 * fix-up, reports what happened through the runner's sink
 * (kernel/vmx_selftest.c) and recovers (an unexpected VMsucceed of VMXON is
 * undone with VMXOFF; an unexpected CR write is undone).
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
 *   (the runner: the VMCS rules with selftest=vmx; VMCLEAR, VMXOFF; CR0 and CR4 restored)
 */
#include "kernel/vmx_vmxon_rules.h"

#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "lib/msr-index.h"
#include "lib/processor-flags.h"
#include "lib/string.h"

/* VMXON that is expected to fail: if it succeeds, leave VMX operation again. */
static struct st_observed try_vmxon(uint64_t pa)
{
	uint64_t f = 0, f2;
	int v = vmxon_safe(pa, &f);
	struct st_observed o = vmx_conformance_observe(v, f);

	if (v < 0 && o.outcome == VMX_SUCCEED)
		vmxoff_safe(&f2);
	return o;
}

/* Outside VMX operation: VMXON without CR4.VMXE, VMXOFF, VMXON with bad regions. */
static void rules_outside_vmx(const struct vmxon_setup *setup, const struct conf_sink *s)
{
	uint8_t *region = phys_to_virt(setup->vmxon_pa);
	uint32_t bad = (setup->rev + 1) & VMX_BASIC_REVISION_MASK;
	uint64_t f = 0;

	/* CR4.VMXE = 0 (as the probe left it). */
	write_cr4(setup->cr4v & ~X86_CR4_VMXE);
	s->record(s->ctx, ST_VMXON_NO_VMXE, try_vmxon(setup->vmxon_pa));
	write_cr4(setup->cr4v);

	/* CR4.VMXE = 1, outside VMX operation. */
	int v = vmxoff_safe(&f);
	s->record(s->ctx, ST_VMXOFF_OUTSIDE, vmx_conformance_observe(v, f));
	s->record(s->ctx, ST_VMXON_MISALIGNED, try_vmxon(setup->vmxon_pa + 0x800));
	unsigned bits = phys_addr_bits();
	if (bits < 64)
		s->record(s->ctx, ST_VMXON_BEYOND_MAXPHYADDR, try_vmxon(1ULL << bits));
	else
		s->skip(s->ctx, ST_VMXON_BEYOND_MAXPHYADDR, "no address beyond a 64-bit width");
	memcpy(region, &bad, 4);
	s->record(s->ctx, ST_VMXON_BAD_REVISION, try_vmxon(setup->vmxon_pa));
	memcpy(region, &setup->rev, 4);
}

/* In VMX root operation with a current VMCS, so that VMfail reports
 * VMfailValid with an error number. */
static void rules_with_vmcs(const struct vmxon_setup *setup, const struct conf_sink *s)
{
	uint64_t f = 0, f2 = 0;
	int v1 = vmclear_safe(setup->vmcs_pa, &f), v2 = v1 < 0 ? vmptrld_safe(setup->vmcs_pa, &f2) : v1;

	if (v1 >= 0 || v2 >= 0 || vmx_outcome_from_rflags(f) != VMX_SUCCEED ||
	    vmx_outcome_from_rflags(f2) != VMX_SUCCEED) {
		for (unsigned id = ST_VMCLEAR_VMXON_PTR; id < ST_RULES; id++)
			s->skip(s->ctx, (enum st_rule_id)id,
				"VMCLEAR/VMPTRLD of a fresh VMCS region did not succeed");
		return;
	}
	int v = vmclear_safe(setup->vmxon_pa, &f);
	s->record(s->ctx, ST_VMCLEAR_VMXON_PTR, vmx_conformance_observe(v, f));
	v = vmptrld_safe(setup->vmxon_pa, &f);
	s->record(s->ctx, ST_VMPTRLD_VMXON_PTR, vmx_conformance_observe(v, f));
	v = vmxon_safe(setup->vmxon_pa, &f);
	s->record(s->ctx, ST_VMXON_IN_ROOT, vmx_conformance_observe(v, f));
}

/* Clearing a VMX-fixed bit in VMX operation must #GP; undone if it does not. */
static void rules_fixed_bits(const struct vmxon_setup *setup, const struct vmx_result *r,
			     const struct conf_sink *s)
{
	int v;

	if (vmxcap_get(&r->caps, MSR_IA32_VMX_CR0_FIXED0) & X86_CR0_NE) {
		v = write_cr0_safe(setup->cr0v & ~X86_CR0_NE);
		s->record(s->ctx, ST_CR0_FIXED_CLEAR, vmx_conformance_observe(v, 0));
		if (v < 0)
			write_cr0(setup->cr0v);         /* it went through: put NE back */
	} else {
		s->skip(s->ctx, ST_CR0_FIXED_CLEAR, "IA32_VMX_CR0_FIXED0 does not fix CR0.NE");
	}
	v = write_cr4_safe(setup->cr4v & ~X86_CR4_VMXE);
	s->record(s->ctx, ST_CR4_FIXED_CLEAR, vmx_conformance_observe(v, 0));
	if (v < 0)
		write_cr4(setup->cr4v);
}

bool vmx_vmxon_rules(const struct vmxon_setup *setup, const struct vmx_result *r,
		     const struct conf_sink *s)
{
	uint64_t f = 0;

	rules_outside_vmx(setup, s);
	/* Into VMX root operation. */
	int v = vmxon_safe(setup->vmxon_pa, &f);
	if (v >= 0 || vmx_outcome_from_rflags(f) != VMX_SUCCEED)
		return false;
	s->record(s->ctx, ST_VMXON_IN_ROOT_NO_VMCS, try_vmxon(setup->vmxon_pa));
	rules_with_vmcs(setup, s);
	rules_fixed_bits(setup, r, s);
	return true;
}
