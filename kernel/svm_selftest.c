/* SPDX-License-Identifier: MIT */
/*
 * selftest=svm: the SVM conformance rules (lib/svm_rules.c) on every CPU with
 * SVM on, between EFER.SVME and leaving SVM (kernel/svm.c). Each rule gets a
 * fresh VMCB from the guest's builder (kernel/svm_guest.c) with its guest at
 * a one-instruction stub (arch/svm_entry.S), changed as the rule says, and one
 * CLGI/VMRUN/STGI; what happened is judged (lib/svm_rules.c). Every exception
 * and SHUTDOWN is intercepted and the stubs end in HLT, so a VMCB the CPU
 * should have refused but ran still comes back as an exit, which the rule then
 * reports as the failure it is.
 */
#include "kernel/svm.h"

#include "arch/paging.h"
#include "arch/desc.h"
#include "arch/svm_entry.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/config.h"
#include "kernel/guest.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/pool.h"
#include "kernel/selftest_pool.h"
#include "kernel/smp.h"
#include "lib/msr-index.h"
#include "lib/npt.h"
#include "lib/processor-flags.h"
#include "lib/string.h"
#include "lib/svm_rules.h"
#include "lib/vmcb.h"

struct svm_selftest {
	bool ran;
	uint8_t verdict[SR_RULES];      /* enum svm_verdict */
	struct svm_observed obs[SR_RULES];
	const char *skip[SR_RULES];
};

/* A CPU's record is kernel/selftest_pool.c's (shared with the VMX rules: a run
 * checks one vendor's), zeroed before it is used. */
_Static_assert(sizeof(struct svm_selftest) <= SELFTEST_RECORD_BYTES, "svm selftest record");

static struct svm_selftest *record(unsigned cpu)
{
	return (struct svm_selftest *)selftest_record(cpu);
}

/* The rules' own permission maps (lib/svm_rules.c): built once, read only. */
static uint8_t rules_msrpm[2 * 4096] __attribute__((aligned(4096)));
static uint8_t rules_iopm[3 * 4096] __attribute__((aligned(4096)));

/* The rules' guest IDT: vector v to its own HLT (arch/svm_entry.S), so that
 * the exit's RIP names the vector an event was delivered through. */
static struct idt_gate rules_idt[256] __attribute__((aligned(16)));

static bool faults_mapped;

void svm_selftest_init(void)
{
	svm_rules_msrpm(rules_msrpm);
	svm_rules_iopm(rules_iopm);
	for (unsigned v = 0; v < 256; v++)
		idt_gate_set(&rules_idt[v], (uint64_t)(uintptr_t)svm_rule_handlers + v * SR_HANDLER_SIZE, 0);
	/* The guest shares the host's page tables: map the nested faulting pages
	 * (GiB 4, lib/npt.h) there too, so that only the nested tables fault. */
	if (options.selftest == SELFTEST_SVM)
		faults_mapped = paging_map_identity(NPT_GPA_READ_ONLY, NPT_FAULTS_END - NPT_GPA_READ_ONLY);
}

static uint64_t stub(enum svm_stub s)
{
	static const uint8_t *const stubs[] = {
		[STUB_HLT] = svm_stub_hlt, [STUB_UD] = svm_stub_ud, [STUB_BP] = svm_stub_bp,
		[STUB_CPUID] = svm_stub_cpuid, [STUB_RDTSC] = svm_stub_rdtsc,
		[STUB_PAUSE] = svm_stub_pause, [STUB_CR0_WRITE] = svm_stub_cr0_write,
		[STUB_CR3_READ] = svm_stub_cr3_read, [STUB_CR0_CD] = svm_stub_cr0_cd,
		[STUB_RDMSR] = svm_stub_rdmsr, [STUB_WRMSR] = svm_stub_wrmsr,
		[STUB_OUT] = svm_stub_out, [STUB_IN] = svm_stub_in,
		[STUB_VMLOAD] = svm_stub_vmload, [STUB_VMSAVE] = svm_stub_vmsave,
		[STUB_STGI] = svm_stub_stgi, [STUB_CLGI] = svm_stub_clgi,
		[STUB_VMMCALL] = svm_stub_vmmcall, [STUB_LOAD] = svm_stub_load,
		[STUB_STORE] = svm_stub_store, [STUB_JUMP] = svm_stub_jump,
		[STUB_INVLPG] = svm_stub_invlpg, [STUB_INVD] = svm_stub_invd,
		[STUB_WBINVD] = svm_stub_wbinvd, [STUB_RDPMC] = svm_stub_rdpmc,
		[STUB_PUSHF] = svm_stub_pushf, [STUB_POPF] = svm_stub_popf,
		[STUB_INTN] = svm_stub_intn, [STUB_SIDT] = svm_stub_sidt, [STUB_SGDT] = svm_stub_sgdt,
		[STUB_DR7_READ] = svm_stub_dr7_read, [STUB_DR7_WRITE] = svm_stub_dr7_write,
		[STUB_CR4_WRITE] = svm_stub_cr4_write, [STUB_RDTSCP] = svm_stub_rdtscp,
		[STUB_DIVIDE] = svm_stub_divide, [STUB_OUTSB] = svm_stub_outsb,
		[STUB_IN_WORD] = svm_stub_in_word, [STUB_OUT_WORD_7F] = svm_stub_out_word_7f,
		[STUB_PAUSE_LOOP] = svm_stub_pause_loop,
	};
	return (uint64_t)(uintptr_t)stubs[s];
}

/* A stub rule's VMCB: its stub, the intercepts it sets (for vmmcall-ud,
 * clears), its permission maps, its event, its registers. */
static void intercept_setup(struct vmcb *v, struct guest_regs *regs, enum svm_rule_id id,
			    uint64_t pa)
{
	const struct svm_rule *rule = svm_rule(id);

	v->save.rip = stub(rule->stub);
	v->save.rax = pa;       /* VMLOAD and VMSAVE: an address they may use */
	v->control.intercept_misc3 |= rule->misc3;
	v->control.intercept_cr |= rule->cr;
	if (id == SR_VMMCALL_UD)
		v->control.intercept_misc4 &= ~rule->misc4;
	else
		v->control.intercept_misc4 |= rule->misc4;
	if (rule->msr_prot) {
		v->control.intercept_misc3 |= 1u << SVM_INTERCEPT_MSR_PROT;
		v->control.msrpm_base_pa = (uint64_t)(uintptr_t)rules_msrpm;
	}
	if (rule->io_prot) {
		v->control.intercept_misc3 |= 1u << SVM_INTERCEPT_IOIO_PROT;
		v->control.iopm_base_pa = (uint64_t)(uintptr_t)rules_iopm;
	}
	v->control.intercept_dr |= rule->dr;
	v->control.int_ctl |= rule->int_ctl;
	v->control.pause_filter_count = rule->pause_count;
	v->control.tsc_offset = rule->tsc_offset;
	v->control.event_inj = rule->event;
	v->save.idtr.limit = sizeof(rules_idt) - 1;
	v->save.idtr.base = (uint64_t)(uintptr_t)rules_idt;
	if (rule->guest_if)
		v->save.rflags |= X86_EFLAGS_IF;
	if (rule->shutdown) {
		/* "Shutdown": no exception intercepts, and an IDT with no gate. */
		v->control.intercept_exceptions = 0;
		v->save.idtr.limit = 0;
	}
	regs->rcx = rule->rcx;
	regs->rdi = rule->rdi;
}

/* Why this CPU cannot run a rule that needs a feature, or NULL: the
 * Fn8000_000A_EDX bit each need names, and RDTSCP (Fn8000_0001_EDX[27]). */
static const struct { unsigned bit; const char *why; } needs[] = {
	[NEED_NRIPS] = { SVM_FEATURE_NRIPS, "no NRIP save on this CPU (CPUID Fn8000_000A_EDX[NRIPS])" },
	[NEED_PAUSEFILTER] = { SVM_FEATURE_PAUSEFILTER,
			       "no pause filter on this CPU (CPUID Fn8000_000A_EDX[PauseFilter])" },
	[NEED_FLUSHBYASID] = { SVM_FEATURE_FLUSHBYASID,
			       "no flush by ASID on this CPU (CPUID Fn8000_000A_EDX[FlushByAsid])" },
	[NEED_VGIF] = { SVM_FEATURE_VGIF, "no virtual GIF on this CPU (CPUID Fn8000_000A_EDX[vGIF])" },
};

static const char *lacks(const struct svm_rule *rule, const struct svm_result *r)
{
	if (rule->need == NEED_NONE)
		return 0;
	if (rule->need == NEED_RDTSCP)
		return cpuid(0x80000001).d & (1u << 27) ? 0 :
		       "no RDTSCP on this CPU (CPUID Fn8000_0001_EDX[RDTSCP])";
	return svm_has(&r->caps, needs[rule->need].bit) ? 0 : needs[rule->need].why;
}

/* The change a consistency-check rule makes to a good VMCB; a reason to skip
 * when this CPU cannot show it. */
static const char *breach(struct vmcb *v, enum vmcb_rule rule, const struct vmcb_check_env *e)
{
	switch (rule) {
	case VMCB_VMRUN_INTERCEPT:
		v->control.intercept_misc4 &= ~(1u << SVM_INTERCEPT_VMRUN);
		break;
	case VMCB_ASID_ZERO:
		v->control.asid = 0;
		break;
	case VMCB_NPT_UNSUPPORTED:
		if (e->npt)
			return "this CPU offers nested paging";
		v->control.nested_ctl = 1;
		break;
	case VMCB_NCR3:
		if (!e->npt)
			return "no nested paging on this CPU";
		if (e->phys_bits >= 52)
			return "no address beyond this CPU's physical address width";
		v->control.nested_cr3 = 1ULL << e->phys_bits;
		break;
	case VMCB_GPAT:
		if (!e->npt)
			return "no nested paging on this CPU";
		v->save.g_pat = (v->save.g_pat & ~0xffULL) | 0x02;     /* type 2: reserved */
		break;
	case VMCB_MSRPM:
		v->control.msrpm_base_pa = (1ULL << e->phys_bits) - 4096;
		break;
	case VMCB_IOPM:
		v->control.iopm_base_pa = (1ULL << e->phys_bits) - 2 * 4096;
		break;
	case VMCB_EVENTINJ_TYPE:
		v->control.event_inj = SVM_EVTINJ_VALID | (1ULL << SVM_EVTINJ_TYPE_SHIFT);
		break;
	case VMCB_EVENTINJ_VECTOR:
		v->control.event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXEPT | 2;
		break;
	case VMCB_EFER_SVME:
		v->save.efer &= ~EFER_SVME;
		break;
	case VMCB_CR0_CD_NW:
		v->save.cr0 = (v->save.cr0 & ~X86_CR0_CD) | X86_CR0_NW;
		break;
	case VMCB_CR0_HIGH:
		v->save.cr0 |= 1ULL << 32;
		break;
	case VMCB_DR6_HIGH:
		v->save.dr6 |= 1ULL << 32;
		break;
	case VMCB_DR7_HIGH:
		v->save.dr7 |= 1ULL << 32;
		break;
	case VMCB_EFER_MBZ:
		v->save.efer |= 1ULL << 2;
		break;
	case VMCB_LONG_MODE:
		return "this CPU has long mode";
	case VMCB_LME_PAE:
		v->save.cr4 &= ~X86_CR4_PAE;
		break;
	case VMCB_LME_PE:
		v->save.cr0 &= ~X86_CR0_PE;
		break;
	case VMCB_CR3_MBZ:
		v->save.cr3 |= 1ULL << 52;
		break;
	case VMCB_CR4_MBZ:
		v->save.cr4 |= 1ULL << 40;
		break;
	case VMCB_CS_L_D:
		v->save.cs.attrib |= SVM_SELECTOR_DB_MASK;
		break;
	default:
		return "not a consistency check";
	}
	return 0;
}

/* One CLGI/VMRUN/STGI of the VMCB at pa (its address may be made bad on
 * purpose); clear_svme: EFER.SVME cleared between CLGI and VMRUN, and set again. */
static struct svm_observed run_once(struct vmcb *v, uint64_t pa, bool clear_svme,
				   struct guest_regs *regs)
{
	struct svm_observed o = { .vector = -1, .delivered = -1 };
	uint64_t efer = 0;

	v->control.exit_code = 0x5a5a;         /* no exit code the CPU writes */
	asm volatile("clgi" : : : "memory");
	if (clear_svme) {
		rdmsr_safe(MSR_EFER, &efer);
		wrmsr_safe(MSR_EFER, efer & ~EFER_SVME);
	}
	o.vector = (int16_t)svm_vmrun(pa, regs);
	if (clear_svme)
		wrmsr_safe(MSR_EFER, efer);
	asm volatile("stgi" : : : "memory");
	if (o.vector < 0 && v->control.exit_code != 0x5a5a) {
		o.exited = true;
		o.exit_code = v->control.exit_code;
		o.rip = v->save.rip;
		o.next_rip = v->control.next_rip;
		o.exit_info_1 = v->control.exit_info_1;
		o.exit_info_2 = v->control.exit_info_2;
	}
	return o;
}

/* vmsave-state and vmload-state: APM Vol. 2 "VMSAVE and VMLOAD Instructions", in
 * the host, through the VMCB page at pa (rebuilt for the next rule). The MSRs
 * get a pattern and their own values back after; VMLOAD's segment state (FS,
 * GS, TR, LDTR) is the one VMSAVE stored just before, so it changes nothing. */
static struct svm_observed state_rule(struct vmcb *v, uint64_t pa, bool load)
{
	struct svm_observed o = { .vector = -1, .delivered = -1 };
	uint64_t orig[SR_STATE_MSRS], pat[SR_STATE_MSRS];
	int vec = -1;

	for (unsigned i = 0; i < SR_STATE_MSRS; i++) {
		pat[i] = svm_state_pattern(i);
		rdmsr_safe(svm_state_msr[i], &orig[i]);
	}
	if (!load) {
		for (unsigned i = 0; i < SR_STATE_MSRS && vec < 0; i++)
			vec = wrmsr_safe(svm_state_msr[i], pat[i]);
		if (vec < 0)
			vec = svm_vmsave_safe(pa);
	} else {
		vec = svm_vmsave_safe(pa);
		for (unsigned i = 0; i < SR_STATE_MSRS; i++)
			*svm_state_field(&v->save, i) = pat[i];
		if (vec < 0)
			vec = svm_vmload_safe(pa);
		/* What the MSRs hold now, in the fields, for the comparison below. */
		for (unsigned i = 0; i < SR_STATE_MSRS; i++)
			rdmsr_safe(svm_state_msr[i], svm_state_field(&v->save, i));
	}
	for (unsigned i = 0; i < SR_STATE_MSRS; i++)
		wrmsr_safe(svm_state_msr[i], orig[i]);
	o.vector = (int16_t)vec;
	o.value = svm_state_differs(&v->save, pat);
	return o;
}

/* tlb-flush-all and tlb-flush-asid: a first VMRUN reads the CPU's TLB page
 * (present), which is then made not present in the nested tables; the second
 * VMRUN, with the rule's TLB_CONTROL, must not use what the first cached. */
static struct svm_observed tlb_rule(struct vmcb *v, uint64_t pa, unsigned cpu,
				   const struct svm_rule *rule, struct guest_regs *regs)
{
	uint64_t rip = v->save.rip, rsp = v->save.rsp;

	svm_npt_tlb_page(cpu, true);
	regs->rdi = NPT_GPA_TLB(cpu);
	struct svm_observed o = run_once(v, pa, false, regs);
	svm_npt_tlb_page(cpu, false);
	if (o.vector >= 0 || !o.exited || o.exit_code != SVM_EXIT_HLT)
		return o;       /* the first read did not run: the judge says FAIL */
	v->save.rip = rip;
	v->save.rsp = rsp;
	v->control.tlb_ctl = rule->tlb_ctl;
	regs->rdi = NPT_GPA_TLB(cpu);
	return run_once(v, pa, false, regs);
}

/* What a rule reads after its exit: V_GIF, the guest's TSC less the offset
 * (with the host's TSC before VMRUN and after #VMEXIT), the vector and frame of
 * a delivered event (with the guest's RIP at VMRUN). */
static void observe(struct svm_observed *o, const struct vmcb *v, const struct svm_rule *rule,
		    const struct guest_regs *regs, const uint64_t *area, uint64_t start_rip,
		    uint64_t tsc_before, uint64_t tsc_after)
{
	if (!o->exited)
		return;
	if (rule->expect == SR_EXPECT_VALUE)
		o->value = v->control.int_ctl & V_GIF_MASK;
	if (rule->expect == SR_EXPECT_RANGE) {
		o->value = (((regs->rdx & 0xffffffffULL) << 32) | (v->save.rax & 0xffffffffULL)) -
			   rule->tsc_offset;
		o->lo = tsc_before;
		o->hi = tsc_after;
	}
	if (rule->expect == SR_EXPECT_EVENT) {
		o->start_rip = start_rip;
		uint64_t lo = (uint64_t)(uintptr_t)area, sp = v->save.rsp;
		o->delivered = svm_rules_handler_vector(o->rip, (uint64_t)(uintptr_t)svm_rule_handlers);
		if (sp >= lo && sp + 16 <= lo + GUEST_AREA) {
			o->frame[0] = ((const uint64_t *)(uintptr_t)sp)[0];
			o->frame[1] = ((const uint64_t *)(uintptr_t)sp)[1];
		} else {
			o->frame[0] = o->frame[1] = ~0ULL;
		}
	}
}

void svm_selftest_cpu(unsigned cpu, struct svm_result *r)
{
	struct svm_selftest *t = record(cpu);
	uint8_t *page;
	uint64_t *area;

	memset(t, 0, sizeof(*t));
	t->ran = true;
	if (guest_regions(cpu, &page, &area)) {
		for (unsigned k = 0; k < SR_RULES; k++) {
			t->verdict[k] = SR_SKIP;
			t->skip[k] = "no VMCB page or guest area";
		}
		return;
	}
	struct vmcb *v = (struct vmcb *)page;
	uint64_t pa = (uint64_t)(uintptr_t)page;
	struct vmcb_check_env env = svm_check_env(r);

	for (unsigned k = 0; k < SR_RULES; k++) {
		enum svm_rule_id id = (enum svm_rule_id)k;
		uint64_t rip = (uint64_t)(uintptr_t)svm_stub_hlt, run_pa = pa;
		bool clear_svme = false;
		const char *skip = 0;
		struct guest_regs regs;

		memset(&regs, 0, sizeof(regs));
		svm_vmcb_build(v, r, area, rip);
		if (id <= SR_CHECK_LAST) {
			enum vmcb_rule want = svm_rule_check(id);
			skip = breach(v, want, &env);
			/* The oracle must see exactly this rule broken. */
			if (!skip && vmcb_check(v, &env) != want)
				skip = "vmxprobe's checker does not see the change as this rule (a bug in vmxprobe)";
		} else if (id == SR_EXITCODE_64) {
			v->control.asid = 0;
		} else if (id == SR_VMRUN_UNALIGNED) {
			run_pa = pa + 0x800;
		} else if (id == SR_VMRUN_BEYOND) {
			if (env.phys_bits >= 52)
				skip = "no address beyond this CPU's physical address width";
			run_pa = 1ULL << env.phys_bits;
		} else if (id == SR_VMRUN_NO_SVME) {
			clear_svme = true;
		} else {
			/* A stub guest (lib/svm_rules.c says which, and what to intercept). */
			const struct svm_rule *rule = svm_rule(id);
			if ((skip = lacks(rule, r)))
				;
			else if (rule->npt && !(v->control.nested_ctl & 1))
				skip = "no nested paging on this CPU";
			else if (rule->npt && !faults_mapped)
				skip = "the faulting pages above 4 GiB could not be mapped";
			else if (rule->tlb_ctl && cpu >= NPT_TLB_PAGES)
				skip = "no TLB page for this CPU (lib/npt.h: NPT_TLB_PAGES)";
			if (rule->expect != SR_EXPECT_HOST)
				intercept_setup(v, &regs, id, pa);
		}
		if (!skip && options_skips_rule(&options, svm_rule(id)->id))
			skip = "selftest.skip= on the command line";
		if (skip) {
			t->verdict[k] = SR_SKIP;
			t->skip[k] = skip;
			continue;
		}
		const struct svm_rule *rule = svm_rule(id);
		if (rule->expect == SR_EXPECT_HOST) {
			t->obs[k] = state_rule(v, pa, id == SR_VMLOAD_STATE);
		} else if (rule->tlb_ctl) {
			t->obs[k] = tlb_rule(v, pa, cpu, rule, &regs);
		} else {
			uint64_t start = v->save.rip, before = rdtsc();
			t->obs[k] = run_once(v, run_pa, clear_svme, &regs);
			observe(&t->obs[k], v, rule, &regs, area, start, before, rdtsc());
		}
		t->obs[k].insn_len = 2;         /* CPUID, for the NRIP rule */
		t->verdict[k] = svm_rule_judge(id, &t->obs[k]);
	}
}

unsigned svm_selftest_report(unsigned n)
{
	unsigned failed_total = 0;

	for (unsigned i = 0; i < n; i++) {
		const struct svm_selftest *t = record(i);
		const struct svm_result *r = svm_result(i);
		unsigned passed = 0, failed = 0, skipped = 0;

		if (!cpu_is_online(&cpus[i]) || !r || r->token == SVM_NO_SVM)
			continue;
		for (unsigned k = 0; k < SR_RULES; k++) {
			const struct svm_rule *rule = svm_rule((enum svm_rule_id)k);
			enum svm_verdict verdict = t->ran ? t->verdict[k] : SR_SKIP;
			char got[200];

			if (verdict == SR_SKIP) {
				kprintf("SKIP: selftest cpu=%u %s: \"%s\" (%s)\n", i, rule->id, rule->quote,
					t->ran ? t->skip[k] : "SVM is not on on this CPU (see its svm: line)");
				skipped++;
				continue;
			}
			svm_rule_describe(got, sizeof(got), (enum svm_rule_id)k, &t->obs[k]);
			kprintf("%s: selftest cpu=%u %s: \"%s\" got %s\n", svm_verdict_str(verdict), i,
				rule->id, rule->quote, got);
			passed += verdict == SR_PASS;
			failed += verdict == SR_FAIL;
		}
		kprintf("selftest: cpu=%u passed=%u failed=%u skipped=%u\n", i, passed, failed, skipped);
		failed_total += failed;
	}
	return failed_total;
}
