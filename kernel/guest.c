/* SPDX-License-Identifier: MIT */
/*
 * A guest on every CPU. Intel SDM Vol. 3C: chapter "Virtual Machine Control
 * Structures" ("VMCS Region", "VM-Execution Control Fields", "Guest-State
 * Area", "Host-State Area"), chapter "VM Entries" ("Checks on VMX Controls and
 * Host-State Area", "Checks on the Guest State Area"), chapter "VM Exits"
 * ("Basic VM-Exit Information"), "VM-Instruction Error Numbers", appendix C
 * "VMX Basic Exit Reasons"; Vol. 3D appendix A "VMX Capability Reporting Facility".
 *
 * On each CPU, in VMX root operation (kernel/vmx.c calls guest_run() between
 * its VMXON and VMXOFF), in order:
 *  1. a VMCS region from a statically reserved pool (revision identifier
 *     written), VMCLEAR, VMPTRLD;
 *  2. the VMCS built from the capability MSRs and the CPU's own state
 *     (lib/vmcs_build.c), checked against the SDM's VM-entry rules
 *     (lib/vmcs_check.c), never launched when the check finds a rule broken,
 *     then written field by field (lib/vmcs_fields.c);
 *  3. VMLAUNCH of a 64-bit guest that shares the host's page tables: it runs
 *     CPUID (exit 10), VMCALL (18), GUEST_SAMPLES timed CPUIDs, then HLT (12);
 *     each exit is handled (CPUID answered with the CPU's own values, RIP
 *     advanced) and the guest resumed; any other exit stops it;
 *  4. VMCLEAR.
 * The VMX-preemption timer, where the CPU has it, bounds each guest run.
 */
#include "kernel/guest.h"

#include "arch/cpu.h"
#include "arch/tsc.h"
#include "arch/vmx_entry.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/config.h"
#include "kernel/hooks.h"
#include "kernel/percpu.h"
#include "kernel/pool.h"
#include "kernel/svm.h"
#include "lib/bump.h"
#include "lib/msr-index.h"
#include "lib/stats.h"
#include "lib/string.h"
#include "lib/vmcs_config.h"

/* Each guest run is bounded by the preemption timer at about this long. */
#define GUEST_TIMER_US          1000000

static struct guest_result results[MAX_CPUS];
static uint8_t vmcs_mem[MAX_CPUS][4096] __pool __attribute__((aligned(4096)));
static uint8_t guest_mem[MAX_CPUS][GUEST_AREA] __pool __attribute__((aligned(4096)));
static struct bump vmcs_pool, guest_pool;
/* Each CPU's VMCS region and guest area, taken from the pools once and kept:
 * the conformance rules (kernel/vmx_conformance.c) reuse them. */
static uint8_t *cpu_vmcs[MAX_CPUS];
static uint64_t *cpu_area[MAX_CPUS];

_Static_assert(GUEST_SAMPLES * sizeof(uint64_t) + 128 <= GUEST_AREA, "guest stack room");

void guest_init(void)
{
	bump_init(&vmcs_pool, vmcs_mem, sizeof(vmcs_mem));
	bump_init(&guest_pool, guest_mem, sizeof(guest_mem));
}

const struct guest_result *guest_result(unsigned cpu)
{
	const struct guest_result *g = &results[cpu];

	return __atomic_load_n(&g->done, __ATOMIC_ACQUIRE) ? g : 0;
}

/*
 * The guest: 64-bit code of this image, run in VMX non-root operation (or as
 * an SVM guest: kernel/svm_guest.c) on its own stack. Every instruction it uses
 * to talk to the host is one that exits unconditionally (CPUID; VMCALL, or
 * VMMCALL under SVM, where VMCALL is #UD) or with HLT exiting; RDTSC does not
 * exit.
 */
__attribute__((noreturn, used)) void guest_main(uint64_t *samples, uint64_t n, uint64_t svm)
{
	cpuid(0);
	if (svm)
		asm volatile("vmmcall" : : : "memory");
	else
		asm volatile("vmcall" : : : "memory");
	for (uint64_t i = 0; i < n; i++) {
		uint64_t t0 = rdtsc();
		cpuid(0);
		samples[i] = rdtsc() - t0;
	}
	for (;;)
		asm volatile("hlt" : : : "memory");
}

static void finish(struct guest_result *g, enum guest_token t, const char *detail)
{
	g->token = t;
	if (detail && !g->detail)
		g->detail = detail;
}

void guest_not_run(unsigned cpu, const char *why)
{
	struct guest_result *g = &results[cpu];

	memset(g, 0, sizeof(*g));
	g->vector = -1;
	finish(g, GUEST_NOT_RUN, why);
	__atomic_store_n(&g->done, true, __ATOMIC_RELEASE);
}

static uint64_t vmcs_read(uint32_t field)
{
	uint64_t v = 0, f = 0;

	vmread_safe(field, &v, &f);
	return v;
}

/* The TSS descriptor's base and limit (SDM Vol. 3A, "TSS Descriptor in 64-bit mode"). */
static void tss_of(const struct desc_ptr *gdt, uint16_t tr, uint64_t *base, uint32_t *limit)
{
	const uint64_t *d = (const uint64_t *)(uintptr_t)(gdt->base + (tr & ~7u));

	*base = ((d[0] >> 16) & 0xffffff) | (((d[0] >> 56) & 0xff) << 24) | (d[1] << 32);
	*limit = (uint32_t)((d[0] & 0xffff) | (((d[0] >> 48) & 0xf) << 16));
}

/* The CPU's own state, which the host-state area (and the guest) copy. */
static void read_host_facts(struct vmcs_host_facts *h)
{
	struct desc_ptr gdt, idt;

	store_gdt(&gdt);
	store_idt(&idt);
	memset(h, 0, sizeof(*h));
	h->cr0 = read_cr0();
	h->cr3 = read_cr3();
	h->cr4 = read_cr4();
	h->efer = rdmsr(MSR_EFER);
	rdmsr_safe(MSR_IA32_CR_PAT, &h->pat);
	h->sel[HOST_SEL_ES] = read_seg(es);
	h->sel[HOST_SEL_CS] = read_seg(cs);
	h->sel[HOST_SEL_SS] = read_seg(ss);
	h->sel[HOST_SEL_DS] = read_seg(ds);
	h->sel[HOST_SEL_FS] = read_seg(fs);
	h->sel[HOST_SEL_GS] = read_seg(gs);
	h->sel[HOST_SEL_TR] = store_tr();
	h->fs_base = rdmsr(MSR_FS_BASE);
	h->gs_base = rdmsr(MSR_GS_BASE);         /* the per-CPU block: must come back */
	tss_of(&gdt, h->sel[HOST_SEL_TR], &h->tr_base, &h->tr_limit);
	h->gdtr_base = gdt.base;
	h->gdtr_limit = gdt.limit;
	h->idtr_base = idt.base;
	h->idtr_limit = idt.limit;
	uint64_t v = 0;
	rdmsr_safe(MSR_IA32_SYSENTER_CS, &v);
	h->sysenter_cs = (uint32_t)v;
	rdmsr_safe(MSR_IA32_SYSENTER_ESP, &h->sysenter_esp);
	rdmsr_safe(MSR_IA32_SYSENTER_EIP, &h->sysenter_eip);
}

/* VMX-preemption timer value for about GUEST_TIMER_US: it counts down every
 * 2^IA32_VMX_MISC[4:0] TSC cycles ("VMX-Preemption Timer"). */
static uint32_t timer_value(const struct vmxcap_msrs *m)
{
	unsigned rate = vmxcap_get(m, MSR_IA32_VMX_MISC) & 0x1f;
	uint64_t ticks = (tsc_khz() * (GUEST_TIMER_US / 1000)) >> rate;

	return ticks > 0xffffffffu ? 0xffffffffu : ticks ? (uint32_t)ticks : 1;
}

struct writer {
	bool failed;
	uint32_t field;
};

static void write_field(void *ctx, uint32_t field, uint64_t value)
{
	struct writer *w = ctx;
	uint64_t f = 0;

	if (w->failed)
		return;
	if (vmwrite_safe(field, value, &f) >= 0 || vmx_outcome_from_rflags(f) != VMX_SUCCEED) {
		w->failed = true;
		w->field = field;
	}
}

/* 1. A VMCS region from the pool, made current. 0 when there is none. */
static const char *regions(unsigned cpu)
{
	return guest_regions(cpu, 0, 0);
}

const char *guest_regions(unsigned cpu, uint8_t **page, uint64_t **area)
{
	if (page)
		*page = 0;
	if (area)
		*area = 0;
	if (!cpu_vmcs[cpu] && !(cpu_vmcs[cpu] = bump_alloc(&vmcs_pool, 4096, 4096)))
		return "the VMCS pool is exhausted";
	if (!cpu_area[cpu]) {
		if (!(cpu_area[cpu] = bump_alloc(&guest_pool, GUEST_AREA, 4096)))
			return "the guest-stack pool is exhausted";
		memset(cpu_area[cpu], 0, GUEST_AREA);   /* pool memory: see kernel/pool.h */
	}
	if (page)
		*page = cpu_vmcs[cpu];
	if (area)
		*area = cpu_area[cpu];
	return 0;
}

/* A clean region made current: "VMCS Region": the revision identifier in the
 * first 4 bytes, bit 31 clear; VMCLEAR, then VMPTRLD. NULL, or what failed
 * (*vector >= 0 when an instruction raised an exception; *instruction when a
 * VMCLEAR or VMPTRLD failed rather than the region being unusable). */
static const char *make_current(const struct vmx_result *r, uint8_t *page, int *vector,
				bool *instruction)
{
	struct vmx_basic b = vmx_basic_decode(vmxcap_get(&r->caps, MSR_IA32_VMX_BASIC));
	uint64_t f = 0, pa = (uint64_t)(uintptr_t)page;
	const char *problem = vmxon_region_problem(&b, pa, phys_addr_bits());

	*vector = -1;
	*instruction = false;
	if (problem)
		return problem;
	*instruction = true;
	memset(page, 0, 4096);
	memcpy(page, &b.revision, 4);
	int v = vmclear_safe(pa, &f);
	if (v >= 0 || vmx_outcome_from_rflags(f) != VMX_SUCCEED) {
		*vector = v;
		return "VMCLEAR of the VMCS region failed";
	}
	v = vmptrld_safe(pa, &f);
	if (v >= 0 || vmx_outcome_from_rflags(f) != VMX_SUCCEED) {
		*vector = v;
		return "VMPTRLD of the VMCS region failed";
	}
	return 0;
}

/* 1. This CPU's VMCS region, made current. 0 when there is none. */
static uint64_t vmcs_current(unsigned cpu, struct guest_result *g, const struct vmx_result *r)
{
	const char *why = regions(cpu);

	if (why) {
		finish(g, GUEST_ALLOC_FAILED, why);
		return 0;
	}
	bool instruction;
	if ((why = make_current(r, cpu_vmcs[cpu], &g->vector, &instruction))) {
		/* A VMCLEAR/VMPTRLD that failed, or a region the CPU cannot use. */
		finish(g, instruction ? GUEST_FAULT : GUEST_ALLOC_FAILED, why);
		return 0;
	}
	return (uint64_t)(uintptr_t)cpu_vmcs[cpu];
}

/* 2. Build, check and write the VMCS. false (with the result set) when the
 * guest must not be launched. */
static bool vmcs_setup(unsigned cpu, struct guest_result *g, const struct vmx_result *r,
		       uint64_t *samples)
{
	struct vmcs_host_facts h;
	struct vmcs_config c;
	uint64_t *stack_top = (uint64_t *)((uint8_t *)samples + GUEST_AREA);

	read_host_facts(&h);
	stack_top[-1] = 0;      /* guest_main never returns: a return would fault */
	struct vmcs_plan p = {
		(uint64_t)(uintptr_t)guest_main, (uint64_t)(uintptr_t)&stack_top[-1],
		(uint64_t)(uintptr_t)vmx_exit_entry, 0, true, timer_value(&r->caps),
	};
	const char *missing = vmcs_config_build(&r->caps, &h, &p, &c);
	if (missing) {
		g->name = missing;
		finish(g, GUEST_REJECTED, "the CPU does not allow a control vmxprobe's guest needs (name=)");
		return false;
	}
	g->no_timer = !(c.pin & PIN_BASED_VMX_PREEMPTION_TIMER);
	/* inject=bad-*: one field broken on purpose (vmxprobe's own tests). */
	bool check = hooks_break_vmcs(cpu, &c);
	const char *rule = check ? vmcs_check(&r->caps, phys_addr_bits(), &c) : 0;
	if (rule) {
		finish(g, GUEST_REJECTED, rule);
		return false;
	}
	struct writer w = { false, 0 };
	vmcs_config_fields(&c, &r->caps, write_field, &w);
	if (w.failed) {
		uint32_t err;
		if ((g->has_error = vmx_read_instruction_error(&err)))
			g->error = err;
		finish(g, GUEST_FAULT, "a VMWRITE of the VMCS failed");
		return false;
	}
	return true;
}

/* CPUID exits: the CPU's own answer for the guest's EAX/ECX. */
static void emulate_cpuid(struct guest_regs *regs)
{
	struct cpuid_regs c = cpuid_count((uint32_t)regs->rax, (uint32_t)regs->rcx);

	regs->rax = c.a;
	regs->rbx = c.b;
	regs->rcx = c.c;
	regs->rdx = c.d;
}

static void skip_instruction(void)
{
	uint64_t f = 0;

	vmwrite_safe(GUEST_RIP, vmcs_read(GUEST_RIP) + vmcs_read(VM_EXIT_INSTRUCTION_LEN), &f);
}

/* VMLAUNCH or VMRESUME itself did not enter the guest. */
static void entry_failed(struct guest_result *g, int e, int vector, bool launched)
{
	uint32_t err;

	if (e == VMX_ENTER_FAULT) {
		g->vector = vector;
		finish(g, GUEST_FAULT, launched ? "VMRESUME raised an exception" :
						  "VMLAUNCH raised an exception");
	} else if (e == VMX_ENTER_FAIL_INVALID) {
		finish(g, GUEST_LAUNCH_FAIL_INVALID, launched ? "VMRESUME: VMfailInvalid (CF=1)" :
								"VMLAUNCH: VMfailInvalid (CF=1)");
	} else {
		if ((g->has_error = vmx_read_instruction_error(&err))) {
			g->error = err;
			g->name = vmx_instruction_error_str(err);
		}
		finish(g, GUEST_LAUNCH_FAIL_VALID, launched ? "VMRESUME: VMfailValid (ZF=1)" :
							      "VMLAUNCH: VMfailValid (ZF=1)");
	}
}

/* A VM exit that ends the run: an entry failure or a reason the program does not explain. */
static void stop_on_exit(struct guest_result *g, uint32_t reason, enum guest_token t,
			 const char *detail)
{
	g->has_reason = true;
	g->reason = reason & 0xffff;
	g->has_qualification = true;
	g->qualification = vmcs_read(EXIT_QUALIFICATION);
	g->name = vmx_exit_reason_str(reason);
	finish(g, t, detail);
}

/* 3. Launch, then handle the exits until HLT (or anything unexpected). */
static void run(struct guest_result *g, uint64_t *samples)
{
	struct guest_regs regs;
	unsigned vmcalls = 0, cpuids = 0;

	memset(&regs, 0, sizeof(regs));
	regs.rdi = (uint64_t)(uintptr_t)samples;
	regs.rsi = GUEST_SAMPLES;
	regs.rdx = 0;                   /* VMX: VMCALL */
	for (unsigned entries = 0; entries < GUEST_MAX_EXITS; entries++) {
		int launched = entries > 0;
		trap_try_begin();
		int e = vmx_enter_guest(&regs, launched);
		int vector = trap_try_end(0);
		if (e != VMX_ENTER_EXITED) {
			entry_failed(g, e, vector, launched);
			return;
		}
		uint32_t reason = (uint32_t)vmcs_read(VM_EXIT_REASON);
		if (reason & VMX_EXIT_REASONS_FAILED_VMENTRY) {
			stop_on_exit(g, reason, GUEST_ENTRY_FAIL, "VM entry failed (exit reason bit 31)");
			return;
		}
		g->exits++;
		switch (reason & 0xffff) {
		case EXIT_REASON_CPUID:
			emulate_cpuid(&regs);
			skip_instruction();
			cpuids++;
			break;
		case EXIT_REASON_VMCALL:
			skip_instruction();
			vmcalls++;
			break;
		case EXIT_REASON_EXCEPTION_NMI:
			/* NMI exiting: an NMI while the guest ran; counted as the NMI
			 * handler would (kernel/fault.c), and the guest goes on. */
			if (vmx_exit_is_nmi(reason & 0xffff, (uint32_t)vmcs_read(VM_EXIT_INTR_INFO))) {
				g->exits--;
				__atomic_add_fetch(&this_cpu()->nmi_count, 1, __ATOMIC_RELAXED);
				break;
			}
			stop_on_exit(g, reason, GUEST_UNEXPECTED_EXIT,
				     "an exception in the guest");
			return;
		case EXIT_REASON_HLT:
			if (vmcalls == 1 && cpuids == GUEST_SAMPLES + 1) {
				g->cycles_min = stats_min(samples, GUEST_SAMPLES);
				g->cycles_median = stats_median(samples, GUEST_SAMPLES);
				finish(g, GUEST_OK, 0);
			} else {
				stop_on_exit(g, reason, GUEST_UNEXPECTED_EXIT,
					     "HLT before the guest's program was done");
			}
			return;
		default:
			stop_on_exit(g, reason, GUEST_UNEXPECTED_EXIT,
				     "an exit the guest's program does not make");
			return;
		}
	}
	finish(g, GUEST_UNEXPECTED_EXIT, "more exits than the guest's program makes");
}

void guest_from_svm(unsigned cpu, const struct svm_guest *s)
{
	struct guest_result *g = &results[cpu];

	memset(g, 0, sizeof(*g));
	g->svm = true;
	g->token = s->token;
	g->npt = s->npt;
	g->exits = s->exits;
	g->cycles_median = s->cycles_median;
	g->cycles_min = s->cycles_min;
	g->has_exit_code = s->has_exit;
	g->exit_code = s->exit_code;
	g->exit_info_1 = s->exit_info_1;
	g->exit_info_2 = s->exit_info_2;
	g->rule = s->token == GUEST_REJECTED ? vmcb_rule_name(s->rule) : 0;
	g->vector = s->vector;
	g->detail = s->detail;
	__atomic_store_n(&g->done, true, __ATOMIC_RELEASE);
}

void guest_run(unsigned cpu, const struct vmx_result *r)
{
	struct guest_result *g = &results[cpu];
	uint64_t f = 0;

	if (!options.guest) {
		guest_not_run(cpu, "guest=off");
		return;
	}
	memset(g, 0, sizeof(*g));
	g->vector = -1;
	g->token = GUEST_FAULT;
	uint64_t vmcs = vmcs_current(cpu, g, r);
	if (vmcs) {
		if (vmcs_setup(cpu, g, r, cpu_area[cpu]))
			run(g, cpu_area[cpu]);
		/* 4. Not current, not launched: the region may be reused. */
		vmclear_safe(vmcs, &f);
	}
	__atomic_store_n(&g->done, true, __ATOMIC_RELEASE);
}

const char *guest_vmcs_build(unsigned cpu, const struct vmx_result *r, uint64_t rip,
			     struct vmcs_config *c)
{
	struct vmcs_host_facts h;
	const char *why = regions(cpu);

	if (why)
		return why;
	uint64_t *stack_top = (uint64_t *)((uint8_t *)cpu_area[cpu] + GUEST_AREA);
	read_host_facts(&h);
	stack_top[-1] = 0;
	struct vmcs_plan p = { rip, (uint64_t)(uintptr_t)&stack_top[-1],
			       (uint64_t)(uintptr_t)vmx_exit_entry, 0, true, timer_value(&r->caps) };
	return vmcs_config_build(&r->caps, &h, &p, c);
}

const char *guest_vmcs_load(unsigned cpu, const struct vmx_result *r, const struct vmcs_config *c,
			    uint64_t *vmcs_pa)
{
	int vector;
	bool instruction;
	uint64_t f = 0;
	const char *why = regions(cpu);

	if (why || (why = make_current(r, cpu_vmcs[cpu], &vector, &instruction)))
		return why;
	*vmcs_pa = (uint64_t)(uintptr_t)cpu_vmcs[cpu];
	struct writer w = { false, 0 };
	vmcs_config_fields(c, &r->caps, write_field, &w);
	if (!w.failed)
		return 0;
	/* "VMCLEAR": not current, launch state clear, for the next rule. */
	vmclear_safe(*vmcs_pa, &f);
	return "a VMWRITE of the VMCS failed";
}

const char *guest_vmcs_prepare(unsigned cpu, const struct vmx_result *r, uint64_t rip,
			       guest_tweak_fn tweak, void *ctx, uint64_t *vmcs_pa)
{
	struct vmcs_config c;
	const char *why = guest_vmcs_build(cpu, r, rip, &c);

	if (why)
		return why;
	if (tweak)
		tweak(&c, ctx);
	return guest_vmcs_load(cpu, r, &c, vmcs_pa);
}
