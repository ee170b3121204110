/* SPDX-License-Identifier: MIT */
/*
 * A guest on every CPU with SVM. AMD64 APM Vol. 2, chapter 15 "Secure Virtual
 * Machine": 15.5 "VMRUN Instruction", 15.6 "#VMEXIT", 15.9 "Instruction
 * Intercepts", 15.16 "TLB Control", 15.17 "Global Interrupt Flag, STGI and
 * CLGI Instructions", 15.25 "Nested Paging"; appendix B "Layout of VMCB",
 * appendix C "SVM Intercept Exit Codes".
 *
 * On each CPU, with EFER.SVME set and VM_HSAVE_PA written (kernel/svm.c calls
 * svm_guest_run() in between), in order:
 *  1. a VMCB page and a guest area (samples, stack) from the pools the VMX
 *     guest uses too (kernel/guest.c: guest_regions(); a CPU runs one or the
 *     other);
 *  2. the VMCB built from the CPU's own state: the host's long mode, page
 *     tables, GDT, IDT and PAT; ASID 1; the TLB flushed on the first VMRUN;
 *     the intercepts the guest's program needs (CPUID, HLT, VMMCALL), those the
 *     APM requires (VMRUN), and NMI, SHUTDOWN and every exception, so that
 *     nothing of the guest runs on the host's handlers; nested paging with an
 *     identity NPT (lib/npt.c) where CPUID offers it, and never where it does
 *     not (QEMU's TCG and Bochs would honour it anyway);
 *  3. the VMCB checked against the VMRUN consistency checks (lib/vmcb_check.c),
 *     never run when one fails;
 *  4. CLGI, VMRUN, STGI (arch/svm_entry.S) until the guest's HLT: it runs
 *     CPUID, VMMCALL, GUEST_SAMPLES timed CPUIDs, HLT; each exit is handled
 *     (CPUID answered with the CPU's own values) and RIP advanced by next_rip
 *     where NRIP save is offered and it is not 0, else by the instruction's
 *     known length.
 * As KVM's svm_vcpu_run() and kvm-unit-tests' svm.c do, but for one guest.
 */
#include "kernel/svm.h"

#include "arch/desc.h"
#include "arch/segment.h"
#include "arch/svm_entry.h"
#include "arch/x86.h"
#include "kernel/guest.h"
#include "lib/cpufeatures.h"
#include "lib/msr-index.h"
#include "lib/npt.h"
#include "lib/processor-flags.h"
#include "lib/stats.h"
#include "lib/string.h"
#include "lib/vmcb_check.h"

#define CPUID_LEN       2       /* 0F A2 */
#define VMMCALL_LEN     3       /* 0F 01 D9 */
#define HLT_LEN         1       /* F4 */

/* The I/O and MSR permission maps (15.10.1, 15.11): all zero, nothing
 * intercepted through them (their intercept bits are clear anyway); VMRUN still
 * checks where they lie. One pair for every CPU, read only. */
static uint8_t iopm[3 * 4096] __attribute__((aligned(4096)));
static uint8_t msrpm[2 * 4096] __attribute__((aligned(4096)));
/* One identity NPT for every CPU: the CPUs only read it (and set its A/D bits). */
static struct npt_tables npt;
static uint64_t npt_cr3;

/* The guest's own IDT (Intel SDM Vol. 3A / APM Vol. 2 "64-Bit Mode IDT"
 * gates): every vector to a HLT stub, which exits. An exception the CPU fails
 * to intercept (QEMU's TCG lets INT3 through, say) then ends in a HLT exit the
 * rules can judge, never in the host's handlers running inside the guest. */
static struct idt_gate guest_idt[256] __attribute__((aligned(16)));

void svm_guest_init(void)
{
	npt_cr3 = npt_build(&npt, (uint64_t)(uintptr_t)&npt);
	for (unsigned v = 0; v < 256; v++)
		idt_gate_set(&guest_idt[v], (uint64_t)(uintptr_t)svm_stub_hlt, 0);
}

void svm_npt_tlb_page(unsigned cpu, bool present)
{
	npt_tlb_page(&npt, cpu, present);
}

/* "Segment State in the VMCB": the descriptor's attributes, packed. */
static void seg(struct vmcb_seg *s, uint16_t sel, uint16_t attrib)
{
	s->selector = sel;
	s->attrib = attrib;
	s->limit = 0xffffffff;
	s->base = 0;
}

#define ATTR_CODE64     (0xb | SVM_SELECTOR_S_MASK | SVM_SELECTOR_P_MASK | SVM_SELECTOR_L_MASK | \
			 SVM_SELECTOR_G_MASK)
#define ATTR_DATA       (0x3 | SVM_SELECTOR_S_MASK | SVM_SELECTOR_P_MASK | SVM_SELECTOR_DB_MASK | \
			 SVM_SELECTOR_G_MASK)

void svm_vmcb_build(struct vmcb *v, const struct svm_result *r, uint64_t *area, uint64_t rip)
{
	struct desc_ptr gdt;
	uint64_t efer = 0, pat = 0;

	memset(v, 0, sizeof(*v));
	/* Control area. */
	v->control.intercept_exceptions = 0xffffffff;
	v->control.intercept_misc3 = (1u << SVM_INTERCEPT_NMI) | (1u << SVM_INTERCEPT_CPUID) |
				     (1u << SVM_INTERCEPT_HLT) | (1u << SVM_INTERCEPT_SHUTDOWN);
	v->control.intercept_misc4 = (1u << SVM_INTERCEPT_VMRUN) | (1u << SVM_INTERCEPT_VMMCALL);
	v->control.iopm_base_pa = (uint64_t)(uintptr_t)iopm;
	v->control.msrpm_base_pa = (uint64_t)(uintptr_t)msrpm;
	v->control.asid = 1;
	v->control.tlb_ctl = TLB_CONTROL_FLUSH_ALL_ASID;
	if (svm_has(&r->caps, SVM_FEATURE_NPT)) {
		v->control.nested_ctl = 1;      /* NP_ENABLE */
		v->control.nested_cr3 = npt_cr3;
	}
	/* Save area: the host's own long mode. */
	store_gdt(&gdt);
	rdmsr_safe(MSR_EFER, &efer);
	rdmsr_safe(MSR_IA32_CR_PAT, &pat);
	seg(&v->save.cs, __KERNEL_CS, ATTR_CODE64);
	seg(&v->save.ds, __KERNEL_DS, ATTR_DATA);
	seg(&v->save.es, __KERNEL_DS, ATTR_DATA);
	seg(&v->save.ss, __KERNEL_DS, ATTR_DATA);
	v->save.gdtr.limit = gdt.limit;
	v->save.gdtr.base = gdt.base;
	v->save.idtr.limit = sizeof(guest_idt) - 1;
	v->save.idtr.base = (uint64_t)(uintptr_t)guest_idt;
	v->save.cpl = 0;
	v->save.efer = efer;
	v->save.cr0 = read_cr0();
	v->save.cr3 = read_cr3();
	v->save.cr4 = read_cr4();
	v->save.dr6 = 0xffff0ff0;
	v->save.dr7 = 0x400;
	v->save.rflags = X86_EFLAGS_FIXED;      /* IF clear */
	v->save.rip = rip;
	v->save.rsp = (uint64_t)(uintptr_t)area + GUEST_AREA - 8;
	v->save.g_pat = pat;
}

struct vmcb_check_env svm_check_env(const struct svm_result *r)
{
	struct vmcb_check_env e = {
		.phys_bits = phys_addr_bits(),
		.long_mode = cpuid(0x80000001).d & (1u << X86_FEATURE_LM_BIT),
		.npt = svm_has(&r->caps, SVM_FEATURE_NPT),
		.nasid = r->caps.nasid,
		/* EFER bits 1-7 and 9 are reserved, MBZ; CR4 bits 63:32 and 15. */
		.efer_mbz = 0x2feULL,
		.cr4_mbz = 0xffffffff00000000ULL | (1ULL << 15),
	};
	return e;
}

static void advance(struct vmcb *v, const struct svm_result *r, unsigned len)
{
	if (svm_has(&r->caps, SVM_FEATURE_NRIPS) && v->control.next_rip)
		v->save.rip = v->control.next_rip;
	else
		v->save.rip += len;
}

static void stop(struct svm_guest *g, enum guest_token t, const struct vmcb *v, const char *detail)
{
	g->token = t;
	g->exit_code = v->control.exit_code;
	g->exit_info_1 = v->control.exit_info_1;
	g->exit_info_2 = v->control.exit_info_2;
	g->has_exit = true;
	g->detail = detail;
}

/* 4. Run until HLT, or anything the program does not explain. */
static void run(struct svm_guest *g, struct vmcb *v, const struct svm_result *r, uint64_t *area)
{
	struct guest_regs regs;
	uint64_t pa = (uint64_t)(uintptr_t)v;

	memset(&regs, 0, sizeof(regs));
	regs.rdi = (uint64_t)(uintptr_t)area;   /* guest_main(samples, n, svm) */
	regs.rsi = GUEST_SAMPLES;
	regs.rdx = 1;                           /* VMMCALL */
	while (g->exits < GUEST_MAX_EXITS) {
		asm volatile("clgi" : : : "memory");
		int vector = svm_vmrun(pa, &regs);
		asm volatile("stgi" : : : "memory");
		if (vector >= 0) {
			g->token = GUEST_FAULT;
			g->vector = vector;
			g->detail = "VMRUN raised an exception";
			return;
		}
		v->control.tlb_ctl = TLB_CONTROL_DO_NOTHING;
		uint64_t code = v->control.exit_code;
		if (code == SVM_EXIT_ERR || code == SVM_EXIT_ERR_LOW32) {
			stop(g, GUEST_ENTRY_FAIL, v, code == SVM_EXIT_ERR ? "VMEXIT_INVALID" :
			     "VMEXIT_INVALID, written as 0x00000000ffffffff (the low half only)");
			return;
		}
		g->exits++;
		switch (code) {
		case SVM_EXIT_CPUID: {
			struct cpuid_regs c = cpuid_count((uint32_t)v->save.rax, (uint32_t)regs.rcx);
			v->save.rax = c.a;
			regs.rbx = c.b;
			regs.rcx = c.c;
			regs.rdx = c.d;
			advance(v, r, CPUID_LEN);
			break;
		}
		case SVM_EXIT_VMMCALL:
			advance(v, r, VMMCALL_LEN);
			break;
		case SVM_EXIT_NMI:
			g->exits--;     /* the host's NMI, taken at STGI: not the guest's doing */
			break;
		case SVM_EXIT_HLT:
			if (g->exits != GUEST_SAMPLES + 3) {
				stop(g, GUEST_UNEXPECTED_EXIT, v, "HLT before the guest's program ended");
				return;
			}
			g->token = GUEST_OK;
			g->cycles_min = stats_min(area, GUEST_SAMPLES);
			g->cycles_median = stats_median(area, GUEST_SAMPLES);
			return;
		default:
			stop(g, GUEST_UNEXPECTED_EXIT, v, code == SVM_EXIT_NPF ?
			     "a nested page fault (EXITINFO1: the fault's error code, EXITINFO2: the guest-physical address)" :
			     0);
			return;
		}
	}
	stop(g, GUEST_UNEXPECTED_EXIT, v, "more exits than the guest's program makes");
}

void svm_guest_run(unsigned cpu, struct svm_result *r)
{
	struct svm_guest *g = &r->guest;
	uint8_t *page;
	uint64_t *area;

	memset(g, 0, sizeof(*g));
	g->vector = -1;
	g->ran = true;
	const char *problem = guest_regions(cpu, &page, &area);
	if (problem) {
		g->token = GUEST_ALLOC_FAILED;
		g->detail = problem;
		return;
	}
	struct vmcb *v = (struct vmcb *)page;
	svm_vmcb_build(v, r, area, (uint64_t)(uintptr_t)guest_main);   /* kernel/guest.c */
	g->npt = v->control.nested_ctl & 1;
	struct vmcb_check_env env = svm_check_env(r);
	g->rule = vmcb_check(v, &env);
	if (g->rule != VMCB_OK) {
		g->token = GUEST_REJECTED;
		g->detail = vmcb_rule_text(g->rule);
		return;
	}
	run(g, v, r, area);
}
