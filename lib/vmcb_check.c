/* SPDX-License-Identifier: MIT */
/* The VMRUN consistency checks: see vmcb_check.h. */
#include "lib/vmcb_check.h"

#include "lib/processor-flags.h"
#include "lib/svm.h"

#define MSRPM_SIZE      (2 * 4096ULL)   /* 15.11 "MSR Intercepts": 8 Kbytes */
#define IOPM_SIZE       (3 * 4096ULL)   /* 15.10.1 "I/O Permissions Map": 12 Kbytes */

static const struct { const char *name, *text; } rules[VMCB_RULES] = {
	[VMCB_OK] = { "ok", "no check fails" },
	[VMCB_VMRUN_INTERCEPT] = { "vmrun-intercept", "The VMRUN intercept bit is clear." },
	[VMCB_ASID_ZERO] = { "asid-zero", "ASID is equal to zero." },
	[VMCB_NPT_UNSUPPORTED] = { "npt-unsupported",
		"NP_ENABLE is set and the processor does not support nested paging (CPUID Fn8000_000A_EDX[NP])." },
	[VMCB_NCR3] = { "ncr3", "nCR3 holds a physical address beyond the processor's physical address width." },
	[VMCB_GPAT] = { "g-pat", "With nested paging, the guest PAT holds an entry that is not a valid memory type." },
	[VMCB_MSRPM] = { "msrpm", "The MSR intercept table extends to a physical address that is greater than or equal to the maximum supported physical address." },
	[VMCB_IOPM] = { "iopm", "The IOIO intercept table extends to a physical address that is greater than or equal to the maximum supported physical address." },
	[VMCB_EVENTINJ_TYPE] = { "eventinj-type", "Illegal event injection: a TYPE value that is reserved." },
	[VMCB_EVENTINJ_VECTOR] = { "eventinj-vector", "Illegal event injection: TYPE exception with a vector that is not an exception." },
	[VMCB_EFER_SVME] = { "efer-svme", "EFER.SVME is zero." },
	[VMCB_CR0_CD_NW] = { "cr0-cd-nw", "CR0.CD is zero and CR0.NW is set." },
	[VMCB_CR0_HIGH] = { "cr0-high", "CR0[63:32] are not zero." },
	[VMCB_DR6_HIGH] = { "dr6-high", "DR6[63:32] are not zero." },
	[VMCB_DR7_HIGH] = { "dr7-high", "DR7[63:32] are not zero." },
	[VMCB_EFER_MBZ] = { "efer-mbz", "Any MBZ bit of EFER is set." },
	[VMCB_LONG_MODE] = { "long-mode", "EFER.LMA or EFER.LME is non-zero and this processor does not support long mode." },
	[VMCB_LME_PAE] = { "lme-pae", "EFER.LME and CR0.PG are both set and CR4.PAE is zero." },
	[VMCB_LME_PE] = { "lme-pe", "EFER.LME and CR0.PG are both non-zero and CR0.PE is zero." },
	[VMCB_CR3_MBZ] = { "cr3-mbz", "Any MBZ bit of CR3 is set." },
	[VMCB_CR4_MBZ] = { "cr4-mbz", "Any MBZ bit of CR4 is set." },
	[VMCB_CS_L_D] = { "cs-l-d", "EFER.LME, CR0.PG, CR4.PAE, CS.L, and CS.D are all non-zero." },
	[VMCB_ASID_RANGE] = { "asid-range", "vmxprobe's own rule: the ASID is below the number CPUID Fn8000_000A_EBX gives." },
};

const char *vmcb_rule_name(enum vmcb_rule r)
{
	return (unsigned)r < VMCB_RULES ? rules[r].name : "unknown";
}

const char *vmcb_rule_text(enum vmcb_rule r)
{
	return (unsigned)r < VMCB_RULES ? rules[r].text : "unknown rule";
}

bool vmcb_pat_valid(uint64_t pat)
{
	/* APM Vol. 2, "PAT Register": types 0 (UC), 1 (WC), 4 (WT), 5 (WP), 6 (WB),
	 * 7 (UC-); 2, 3 and 8-255 are reserved (KVM: kvm_pat_valid()). */
	for (unsigned i = 0; i < 8; i++) {
		uint8_t t = (uint8_t)(pat >> (8 * i));
		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

/* [pa, pa + size) page-aligned (bits 11:0 are ignored) below 2^phys_bits. */
static bool table_ok(uint64_t pa, uint64_t size, unsigned phys_bits)
{
	uint64_t first = pa & ~0xfffULL, limit = phys_bits >= 64 ? ~0ULL : (1ULL << phys_bits) - 1;

	return first <= limit && size - 1 <= limit - first;
}

static bool pa_ok(uint64_t pa, unsigned phys_bits)
{
	return phys_bits >= 64 || !(pa >> phys_bits);
}

/* 15.20 "Event Injection" (KVM: nested_svm_event_inj_valid_exept()): the
 * vectors that are exceptions on an AMD CPU without shadow stacks or SEV-ES. */
static bool exception_vector(unsigned v)
{
	switch (v) {
	case 0: case 1: case 3: case 4: case 5: case 6: case 7: case 8:
	case 10: case 11: case 12: case 13: case 14: case 16: case 17: case 18:
	case 19: case 28: case 30:
		return true;
	default:
		return false;
	}
}

static enum vmcb_rule check_controls(const struct vmcb_control_area *c,
				     const struct vmcb_save_area *s,
				     const struct vmcb_check_env *env)
{
	if (!(c->intercept_misc4 & (1u << SVM_INTERCEPT_VMRUN)))
		return VMCB_VMRUN_INTERCEPT;
	if (c->asid == 0)
		return VMCB_ASID_ZERO;
	if (c->nested_ctl & 1) {
		if (!env->npt)
			return VMCB_NPT_UNSUPPORTED;
		if (!pa_ok(c->nested_cr3, env->phys_bits))
			return VMCB_NCR3;
		if (!vmcb_pat_valid(s->g_pat))
			return VMCB_GPAT;
	}
	if (!table_ok(c->msrpm_base_pa, MSRPM_SIZE, env->phys_bits))
		return VMCB_MSRPM;
	if (!table_ok(c->iopm_base_pa, IOPM_SIZE, env->phys_bits))
		return VMCB_IOPM;
	if (c->event_inj & SVM_EVTINJ_VALID) {
		uint64_t type = c->event_inj & SVM_EVTINJ_TYPE_MASK;
		if (type != SVM_EVTINJ_TYPE_INTR && type != SVM_EVTINJ_TYPE_NMI &&
		    type != SVM_EVTINJ_TYPE_EXEPT && type != SVM_EVTINJ_TYPE_SOFT)
			return VMCB_EVENTINJ_TYPE;
		if (type == SVM_EVTINJ_TYPE_EXEPT &&
		    !exception_vector((unsigned)(c->event_inj & SVM_EVTINJ_VEC_MASK)))
			return VMCB_EVENTINJ_VECTOR;
	}
	return VMCB_OK;
}

static enum vmcb_rule check_save(const struct vmcb_save_area *s, const struct vmcb_check_env *env)
{
	if (!(s->efer & EFER_SVME))
		return VMCB_EFER_SVME;
	if (!(s->cr0 & X86_CR0_CD) && (s->cr0 & X86_CR0_NW))
		return VMCB_CR0_CD_NW;
	if (s->cr0 >> 32)
		return VMCB_CR0_HIGH;
	if (s->dr6 >> 32)
		return VMCB_DR6_HIGH;
	if (s->dr7 >> 32)
		return VMCB_DR7_HIGH;
	if (s->efer & env->efer_mbz)
		return VMCB_EFER_MBZ;
	if ((s->efer & (EFER_LME | EFER_LMA)) && !env->long_mode)
		return VMCB_LONG_MODE;
	if ((s->efer & EFER_LME) && (s->cr0 & X86_CR0_PG)) {
		if (!(s->cr4 & X86_CR4_PAE))
			return VMCB_LME_PAE;
		if (!(s->cr0 & X86_CR0_PE))
			return VMCB_LME_PE;
		/* APM Vol. 2, "CR3" in long mode: bits 63:52 are reserved, MBZ
		 * (bits 51:12 are the PML4's base; beyond the physical address
		 * width they make the walk fault, not VMRUN). */
		if (s->cr3 >> 52)
			return VMCB_CR3_MBZ;
	}
	if (s->cr4 & env->cr4_mbz)
		return VMCB_CR4_MBZ;
	if ((s->efer & EFER_LME) && (s->cr0 & X86_CR0_PG) && (s->cr4 & X86_CR4_PAE) &&
	    (s->cs.attrib & SVM_SELECTOR_L_MASK) && (s->cs.attrib & SVM_SELECTOR_DB_MASK))
		return VMCB_CS_L_D;
	return VMCB_OK;
}

enum vmcb_rule vmcb_check(const struct vmcb *v, const struct vmcb_check_env *env)
{
	enum vmcb_rule r = check_controls(&v->control, &v->save, env);

	if (r == VMCB_OK)
		r = check_save(&v->save, env);
	if (r == VMCB_OK && v->control.asid >= env->nasid)
		r = VMCB_ASID_RANGE;
	return r;
}
