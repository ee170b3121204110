/* SPDX-License-Identifier: MIT */
/*
 * selftest=vmx: the VMX rules that need a VMCS and a guest, on every CPU whose
 * VMXON works. Each rule makes this CPU's VMCS current with the guest's fields
 * (kernel/guest.c: guest_vmcs_prepare()), changes what the rule is about,
 * enters the guest and records what happened; lib/vmx_rules.c quotes the SDM
 * rule and judges. Intel SDM Vol. 3C: "VMX Instruction Reference" (VMREAD,
 * VMWRITE, VMLAUNCH/VMRESUME), "VMX Non-Root Operation" ("Instructions That
 * Cause VM Exits Conditionally", "Other Causes of VM Exits", "VMX-Preemption
 * Timer"), "VM-Execution Control Fields" ("Bitmaps for I/O Instructions",
 * "MSR-Bitmap Address"), "Exit Qualification for I/O Instructions", "Checks on
 * VM-Execution Control Fields" (VPID).
 *
 * Beside it: kernel/vmx_conf_ept.c (the EPT and INVEPT/INVVPID rules),
 * kernel/vmx_conf_entry.c (the VM-entry checks asked of the CPU),
 * kernel/vmx_cross.c (INIT and SIPI from another CPU), which
 * vmx_conformance_cpu() runs in turn; kernel/vmx_conf.h is what they share.
 */
#include "kernel/vmx_conformance.h"

#include "arch/apic.h"
#include "arch/paging.h"
#include "arch/vmx_entry.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/config.h"
#include "kernel/guest.h"
#include "kernel/percpu.h"
#include "kernel/vmx_apicv.h"
#include "kernel/vmx_conf.h"
#include "kernel/vmx_cross.h"
#include "lib/ept.h"
#include "lib/msr-index.h"
#include "lib/processor-flags.h"
#include "lib/string.h"
#include "lib/vmcs_config.h"
#include "lib/vmcs_entry_rules.h"
#include "lib/vmx_topics.h"

#define PORT_MARKED             0x81    /* a DMA page register: marked in the I/O bitmap */
#define PORT_CLEAR              0x80    /* the POST-code port: not marked */
#define PORT_B_MARKED           0x8081  /* marked in I/O bitmap B */
#define PORT_STRADDLE           0x7fff  /* clear in A; 8000H, its second byte, marked in B */
#define PORT_WRAP               0xffff  /* clear, as is 0000H: a 2-byte access wraps */
#define MSR_LISTED              MSR_IA32_SYSENTER_EIP   /* in no bitmap; in the MSR lists */
#define MSR_LOAD_VALUE          0x12345000ull
#define MSR_STORE_VALUE         0x23456000ull
#define MSR_IA32_SMBASE         0x9e    /* written only in SMM */
#define INJECT_ERROR_CODE       0x1234
#define INJECT_SOFT_LEN         2
#define IDT_VECTORS             0x42    /* the guest IDT of the event-injection rules */
/* One MSR marked in the read bitmap only, another in the write bitmap only: a
 * CPU that mixes up the two bitmaps fails all four MSR-bitmap rules. Both are
 * guest-state fields, loaded on entry and restored on exit. */
#define MSR_READ_MARKED         MSR_IA32_SYSENTER_CS
#define MSR_WRITE_MARKED        MSR_IA32_SYSENTER_ESP
/* The same in the bitmaps for high MSRs: IA32_STAR and IA32_LSTAR, which every
 * 64-bit CPU has and vmxprobe does not use (no SYSCALL); a WRMSR that runs
 * writes the MSR's own value. Outside both ranges: a read of 2000H, a write of
 * C0002000H, no MSR on an Intel CPU (a #GP, an exception exit, if it runs). */
#define MSR_HI_READ_MARKED      MSR_STAR
#define MSR_HI_WRITE_MARKED     MSR_LSTAR
#define MSR_OUTSIDE_LOW         0x00002000u
#define MSR_OUTSIDE_HIGH        0xc0002000u
/* The virtual-APIC page of the TPR-shadow rule: one, taken by one CPU at a
 * time (vapic_lock). VTPR at 80H starts at 50H; the threshold is 3. */
static uint8_t vapic_page[4096] __attribute__((aligned(4096)));
static int vapic_lock;
#define VTPR_START              0x50
#define TPR_THRESHOLD_VALUE     3
#define CR8_WRITTEN             1
/* The self-IPI of the acknowledge-interrupt rule: a fixed vector below
 * IDT_VECTORS (the guest IDT that takes it, should the CPU not acknowledge it). */
#define ACK_VECTOR              0x3e
#define ACK_IRR_TIMEOUT_US      100000
#define NMI_EXITS_MAX           16      /* NMI exits skipped per entry, at most */
#define CR3_TARGETS_MAX         4       /* the SDM's "at least 4"; IA32_VMX_MISC[24:16] says */
#define UNSUPPORTED_FIELD       0x000003feu     /* 16-bit control field, index 511 */
#define TIMER_CYCLES            (1u << 17)      /* the "expires" rule's time, in TSC cycles */
#define TIMER_SAVE_START        0x7fffffff      /* far from expiring during one VMCALL */

/* "Bitmaps for I/O Instructions" (A: ports 0000H-7FFFH, B: 8000H-FFFFH) and the
 * MSR bitmap (read low, read high, write low, write high; 1 KiB each). Shared
 * by every CPU: the processor only reads them (see mark_bitmaps()). */
static uint8_t io_bitmap[2][4096] __attribute__((aligned(4096)));
static uint8_t msr_bitmap[4096] __attribute__((aligned(4096)));
/* The guest IDT of the event-injection rules: every vector to conf_stub_handler. */
uint64_t guest_idt[IDT_VECTORS][2] __attribute__((aligned(16)));

/* Guest entry points whose instructions a rule counts: two NOPs, then VMCALL
 * (MTF, the windows, the no-execute fetch); HLT (an injected event must
 * preempt it); the injected event's handler, a VMCALL. */
extern const char conf_stub_nops[], conf_stub_hlt[], conf_stub_handler[], conf_stub_movss[];
extern const char conf_stub_iret[], conf_stub_iret_done[];
/* IRETQ to its own next instruction (a frame of SS, RSP, RFLAGS, CS, RIP). */
asm(".pushsection .text\n"
    ".globl conf_stub_iret\nconf_stub_iret:\n\tmov %ss, %eax\n\tmov %rsp, %rdx\n\tpush %rax\n"
    "\tpush %rdx\n\tpushfq\n\tmov %cs, %eax\n\tpush %rax\n\tlea conf_stub_iret_done(%rip), %rax\n"
    "\tpush %rax\n\tiretq\n"
    ".globl conf_stub_iret_done\nconf_stub_iret_done:\n\tnop\n\tvmcall\n\thlt\n\tjmp conf_stub_iret_done\n"
    ".popsection");
asm(".pushsection .text\n"
    ".globl conf_stub_movss\nconf_stub_movss:\n\tmov vmx_ss_selector(%rip), %ss\n\tvmcall\n\thlt\n"
    "\tjmp conf_stub_movss\n"
    ".globl conf_stub_nops\nconf_stub_nops:\n\tnop\n\tnop\n\tvmcall\n\thlt\n\tjmp conf_stub_nops\n"
    ".globl conf_stub_hlt\nconf_stub_hlt:\n\thlt\n\tvmcall\n\tjmp conf_stub_hlt\n"
    ".globl conf_stub_handler\nconf_stub_handler:\n\tvmcall\n\thlt\n\tjmp conf_stub_handler\n"
    ".popsection");

__attribute__((noreturn)) void conf_guest(uint64_t op, uint64_t arg, uint64_t val)
{
	uint32_t lo = 0, hi = 0;
	uint64_t result = 0;            /* in RAX at the VMCALL */

	switch (op) {
	case OP_UD:
		ud2();
		break;
	case OP_SPIN:
		for (;;)
			cpu_relax();
	case OP_RDMSR:
		asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"((uint32_t)arg));
		result = (uint64_t)hi << 32 | lo;
		break;
	case OP_WRMSR:
		asm volatile("wrmsr" : : "c"((uint32_t)arg), "a"((uint32_t)val),
			     "d"((uint32_t)(val >> 32)) : "memory");
		break;
	case OP_OUT:
		asm volatile("outb %%al, %%dx" : : "a"((uint8_t)0), "d"((uint16_t)arg));
		break;
	case OP_READ:
		result = *(volatile uint64_t *)(uintptr_t)arg;
		break;
	case OP_WRITE:
		*(volatile uint64_t *)(uintptr_t)arg = val;
		break;
	case OP_OUTW:
		asm volatile("outw %%ax, %%dx" : : "a"((uint16_t)0), "d"((uint16_t)arg));
		break;
	case OP_OUTSB: {
		static const uint8_t byte;
		const void *p = &byte;
		asm volatile("outsb" : "+S"(p) : "d"((uint16_t)arg) : "memory");
		break;
	}
	case OP_READ_CR0:
		asm volatile("mov %%cr0, %0" : "=r"(result));
		break;
	case OP_WRITE_CR0:              /* through RBX: GPR 3 in the qualification */
		asm volatile("mov %0, %%cr0" : : "b"(val) : "memory");
		break;
	case OP_REWRITE: {              /* a read, then a write of what it read */
		uint64_t v = *(volatile uint64_t *)(uintptr_t)arg;
		*(volatile uint64_t *)(uintptr_t)arg = v;
		break;
	}
	case OP_FETCH:
		asm volatile("jmp *%0" : : "r"(arg));
		break;
	case OP_READ_CR4:
		asm volatile("mov %%cr4, %0" : "=r"(result));
		break;
	case OP_WRITE_CR4:              /* through RBX: GPR 3 */
		asm volatile("mov %0, %%cr4" : : "b"(val) : "memory");
		break;
	case OP_WRITE_CR3:
		asm volatile("mov %0, %%cr3" : : "b"(val) : "memory");
		break;
	case OP_WRITE_CR8:
		asm volatile("mov %0, %%cr8" : : "b"(val) : "memory");
		break;
	case OP_WAIT_INIT: {            /* kernel/vmx_cross.c: the word at arg, a TSC deadline in val */
		uint32_t *w = (uint32_t *)(uintptr_t)arg, ready = XC_READY;
		uint64_t t0 = rdtsc();
		__atomic_store_n(w, XC_READY, __ATOMIC_RELEASE);
		while (rdtsc() < val)
			cpu_relax();
		result = !__atomic_compare_exchange_n(w, &ready, XC_WITHDRAWN, false, __ATOMIC_ACQ_REL,
						      __ATOMIC_ACQUIRE);
		/* The sender committed at the last moment: a twentieth more for its
		 * IPI to arrive here rather than in VMX root operation. */
		for (uint64_t end = val + (val - t0) / 20; result && rdtsc() < end;)
			cpu_relax();
		break;
	}
	}
	for (;;)
		asm volatile("vmcall\n\thlt" : : "a"(result) : "memory");
}

/* May `bit` of a control be 1 on this CPU (the TRUE MSR where there is one)? */
bool conf_allowed(const struct vmxcap_msrs *m, unsigned msr, unsigned true_msr, uint32_t bit)
{
	uint32_t missing = 0;

	vmx_control(m, msr, true_msr, bit, 0, &missing);
	return !missing;
}

void conf_apply(struct vmcs_config *c, void *ctx)
{
	struct tweak *t = ctx;

	c->pin |= t->pin;
	c->proc |= t->proc;
	c->io_bitmap_a = (uint64_t)(uintptr_t)io_bitmap[0];
	c->io_bitmap_b = (uint64_t)(uintptr_t)io_bitmap[1];
	c->msr_bitmap = (uint64_t)(uintptr_t)msr_bitmap;
	c->eptp = vmx_conf_eptp();
	c->vpid = t->vpid;
	if (t->proc2) {
		c->proc |= CPU_BASED_ACTIVATE_SECONDARY_CONTROLS;
		c->proc2 |= t->proc2;
	}
	if (t->timer)
		c->preemption_timer = t->timer_value;
	if (t->real_mode)
		vmx_conf_real_mode(c);
	c->exit |= t->exit_bits;
	c->guest_rflags |= t->rflags;
	c->interruptibility = t->interruptibility;
	c->pending_dbg = t->pending_dbg;
	c->entry_intr_info = t->inject;
	if (t->own_idt) {
		c->guest_idtr_base = (uint64_t)(uintptr_t)guest_idt;
		c->guest_idtr_limit = sizeof(guest_idt) - 1;
	}
	if (t->cr0_mask) {
		c->cr0_mask = t->cr0_mask;
		c->cr0_shadow = c->guest_cr0 ^ t->cr0_mask;
		if (t->value == V_RAX)          /* MOV from CR0: the shadow's bits where masked */
			t->expected = cr_guest_read(c->guest_cr0, c->cr0_mask, c->cr0_shadow);
	}
	if (t->cr4_mask) {
		c->cr4_mask = t->cr4_mask;
		c->cr4_shadow = c->guest_cr4 ^ t->cr4_mask;
		if (t->value == V_RAX)          /* MOV from CR4: the shadow's bits where masked */
			t->expected = cr_guest_read(c->guest_cr4, c->cr4_mask, c->cr4_shadow);
	}
	if (t->cr3_target) {
		c->proc |= CPU_BASED_CR3_LOAD_EXITING;
		if (t->cr3_target != CR3T_LAST)
			t->cr3_count = 1;
		c->cr3_target_count = t->cr3_count;     /* the values: write_extra() */
	}
	if (t->eptp_ad)
		c->eptp |= VMX_EPTP_AD_ENABLE_BIT;
	if (t->tpr_shadow)
		c->proc |= CPU_BASED_TPR_SHADOW;        /* the page and threshold: write_extra() */
}

static uint64_t vmread(uint32_t field)
{
	uint64_t v = 0, f = 0;

	vmread_safe(field, &v, &f);
	return v;
}

/* Enter the guest (VMLAUNCH, or VMRESUME when launched) and observe the result.
 * An NMI that arrives while the guest runs exits (NMI exiting, as for the
 * guest of kernel/guest.c): counted as the NMI handler would and the guest
 * resumed, up to NMI_EXITS_MAX times, so that a stray NMI (a BMC, a watchdog)
 * neither fails the rule nor counts as one of its exits. */
struct st_observed vmx_conformance_observe(int vector, uint64_t rflags)
{
	struct st_observed o = { .vector = vector, .outcome = VMX_SUCCEED };

	if (vector >= 0)
		return o;
	o.outcome = vmx_outcome_from_rflags(rflags);
	if (o.outcome == VMX_FAIL_VALID)
		o.has_error = vmx_read_instruction_error(&o.error);
	return o;
}

struct st_observed vmx_conformance_enter(uint64_t op, uint64_t arg, uint64_t val, int launched)
{
	struct guest_regs regs;
	struct st_observed o = { .vector = -1, .outcome = VMX_SUCCEED };
	uint64_t rip = vmread(GUEST_RIP);
	uint64_t cycles = 0;
	int e = VMX_ENTER_EXITED;

	memset(&regs, 0, sizeof(regs));
	regs.rdi = op;
	regs.rsi = arg;
	regs.rdx = val;
	for (unsigned nmis = 0; nmis <= NMI_EXITS_MAX; nmis++) {
		trap_try_begin();
		uint64_t t0 = rdtsc();
		e = vmx_enter_guest(&regs, launched);
		cycles += rdtsc() - t0;
		int vector = trap_try_end(0);
		if (e == VMX_ENTER_FAULT)
			o.vector = vector;
		if (e != VMX_ENTER_EXITED)
			break;
		o.exit_reason = (uint32_t)vmread(VM_EXIT_REASON);
		o.info = (uint32_t)vmread(VM_EXIT_INTR_INFO);
		if (!vmx_exit_is_nmi(o.exit_reason, o.info) || nmis == NMI_EXITS_MAX)
			break;
		__atomic_add_fetch(&this_cpu()->nmi_count, 1, __ATOMIC_RELAXED);
		launched = 1;
	}
	o.cycles = cycles;
	if (e == VMX_ENTER_FAIL_INVALID) {
		o.outcome = VMX_FAIL_INVALID;
	} else if (e == VMX_ENTER_FAIL_VALID) {
		o.outcome = VMX_FAIL_VALID;
		o.has_error = vmx_read_instruction_error(&o.error);
	} else if (e == VMX_ENTER_EXITED) {
		o.has_exit = true;
		o.value = regs.rax;     /* the guest's result, where a rule asks (has_value) */
		o.qual = vmread(EXIT_QUALIFICATION);
		o.rip = vmread(GUEST_RIP);
		o.rip_unchanged = o.rip == rip;
		/* "Information for VM Exits Due to Vectored Events", "Information for
		 * VM Exits That Occur During Event Delivery": for a rule that fails. */
		o.has_details = true;
		o.error_code = (uint32_t)vmread(VM_EXIT_INTR_ERROR_CODE);
		o.idt_info = (uint32_t)vmread(IDT_VECTORING_INFO_FIELD);
		if ((o.exit_reason & 0xffff) == EXIT_REASON_EPT_VIOLATION ||
		    (o.exit_reason & 0xffff) == EXIT_REASON_EPT_MISCONFIG)
			o.gpa = vmread(GUEST_PHYSICAL_ADDRESS);
	}
	return o;
}

/* An MSR-load or MSR-store list entry ("VM-Entry Controls for MSRs"). */
struct msr_entry {
	uint32_t index, reserved;
	uint64_t value;
};

/* The VMCS fields a tweak needs beyond struct vmcs_config: the MSR lists (in
 * `list`, on this stack for the rule's one entry and exit) and the injected
 * event's error code and instruction length. NULL, or why it failed. */
static const char *write_extra(const struct tweak *t, struct msr_entry *list)
{
	uint64_t f = 0, pa = (uint64_t)(uintptr_t)list;
	bool ok = true;

	list[0] = (struct msr_entry){ MSR_LISTED, 0, MSR_LOAD_VALUE };
	list[1] = (struct msr_entry){ MSR_IA32_SMBASE, 0, 0 };
	if (t->inject) {
		ok &= vmwrite_safe(VM_ENTRY_EXCEPTION_ERROR_CODE, t->inject_error, &f) < 0 &&
		      vmx_outcome_from_rflags(f) == VMX_SUCCEED;
		ok &= vmwrite_safe(VM_ENTRY_INSTRUCTION_LEN, t->inject_len, &f) < 0 &&
		      vmx_outcome_from_rflags(f) == VMX_SUCCEED;
	}
	if (t->cr3_target) {            /* the guest's CR3, or other values (pages further) */
		unsigned n = t->cr3_count;      /* conf_apply() set it */
		for (unsigned i = 0; i < n; i++) {
			bool guest = t->cr3_target == CR3T_HIT || (t->cr3_target == CR3T_LAST && i == n - 1);
			uint64_t target = vmread(GUEST_CR3) ^ (guest ? 0 : 0x1000ull * (i + 1));
			/* CR3-target value i: encodings 6008H + 2i ("Field Encoding in VMCS"). */
			ok &= vmwrite_safe(CR3_TARGET_VALUE0 + 2 * i, target, &f) < 0 &&
			      vmx_outcome_from_rflags(f) == VMX_SUCCEED;
		}
	}
	if (t->tpr_shadow) {
		ok &= vmwrite_safe(VIRTUAL_APIC_PAGE_ADDR, (uint64_t)(uintptr_t)vapic_page, &f) < 0 &&
		      vmx_outcome_from_rflags(f) == VMX_SUCCEED;
		ok &= vmwrite_safe(TPR_THRESHOLD, TPR_THRESHOLD_VALUE, &f) < 0 &&
		      vmx_outcome_from_rflags(f) == VMX_SUCCEED;
	}
	if (t->msr_list == LIST_LOAD || t->msr_list == LIST_LOAD_SMBASE) {
		ok &= vmwrite_safe(VM_ENTRY_MSR_LOAD_ADDR, pa, &f) < 0 && vmx_outcome_from_rflags(f) == VMX_SUCCEED;
		ok &= vmwrite_safe(VM_ENTRY_MSR_LOAD_COUNT, t->msr_list == LIST_LOAD ? 1 : 2, &f) < 0 &&
		      vmx_outcome_from_rflags(f) == VMX_SUCCEED;
	} else if (t->msr_list == LIST_STORE) {
		list[0].value = 0;
		ok &= vmwrite_safe(VM_EXIT_MSR_STORE_ADDR, pa, &f) < 0 && vmx_outcome_from_rflags(f) == VMX_SUCCEED;
		ok &= vmwrite_safe(VM_EXIT_MSR_STORE_COUNT, 1, &f) < 0 &&
		      vmx_outcome_from_rflags(f) == VMX_SUCCEED;
	}
	return ok ? 0 : "a VMWRITE of the VMCS failed";
}

/* The value a topic rule observes (lib/vmx_topics.h), after the exit. */
static void observe_value(const struct tweak *t, const struct msr_entry *list, struct st_observed *o)
{
	uint64_t entry = t->rip ? t->rip : (uint64_t)(uintptr_t)conf_guest;

	if (t->value == V_NONE || !o->has_exit)
		return;
	o->has_value = true;
	o->value_expected = t->expected;
	switch (t->value) {
	case V_NONE:
	case V_RAX:
		break;
	case V_AX:
		o->value &= 0xffff;
		break;
	case V_MSR_STORED:
		o->value = list[0].value;
		break;
	case V_FRAME: {         /* [error code,] RIP, CS, RFLAGS, RSP, SS at the guest's RSP */
		const uint64_t *sp = (const uint64_t *)(uintptr_t)vmread(GUEST_RSP);
		bool ec = t->inject & INTR_INFO_DELIVER_CODE_MASK;
		o->value = (sp[ec] - entry) << 32 | (ec ? (uint32_t)sp[0] : 0);
		break;
	}
	case V_RIP_OFFSET:
		o->value = o->rip - entry;
		break;
	case V_GPA:
		o->value = o->gpa;
		break;
	case V_VTPR:
		o->value = *(volatile uint32_t *)(vapic_page + 0x80);
		break;
	case V_MOVSS_STATE:     /* blocking by STI and MOV SS; B3-B0 and enabled breakpoint pending
				 * (BS, the single step, is implementation-specific here) */
		o->value = (vmread(GUEST_INTERRUPTIBILITY_INFO) & 3) |
			   (vmread(GUEST_PENDING_DBG_EXCEPTIONS) & 0x100f);
		break;
	case V_EPT_AD:
		o->value = vmx_conf_ept_ad_flags(t->ad_index);
		break;
	}
}

/* One rule: a fresh VMCS with the tweak (the bitmaps, EPTP and VPID in it),
 * then the guest doing `op`. false (rule skipped) when the VMCS cannot be
 * made. The VMCS is left clear (VMCLEAR) on every path. */
bool conf_run_rule(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
		     enum st_rule_id id, struct tweak *t, enum conf_op op, uint64_t arg, uint64_t val)
{
	struct msr_entry list[2] __attribute__((aligned(16)));
	uint64_t vmcs, f;
	const char *why = options_skips_rule(&options, st_rule(id)->id) ?
			  "selftest.skip= on the command line" : 0;

	if (!why)
		why = guest_vmcs_prepare(cpu, r, t->rip ? t->rip : (uint64_t)(uintptr_t)conf_guest,
					 conf_apply, t, &vmcs);
	if (!why && (why = write_extra(t, list)))
		vmclear_safe(vmcs, &f);
	if (why) {
		s->skip(s->ctx, id, why);
		return false;
	}
	struct st_observed o = vmx_conformance_enter(op, arg, val, 0);
	observe_value(t, list, &o);
	if (t->exit_bits & VM_EXIT_SAVE_VMX_PREEMPTION_TIMER) {
		o.has_timer = true;
		o.timer_initial = t->timer_value;
		o.timer_saved = (uint32_t)vmread(VMX_PREEMPTION_TIMER_VALUE);
	} else if (t->timer && t->timer_value) {
		/* "VMX-Preemption Timer": lib/vmx_topics.h's bounds. */
		unsigned rate = vmxcap_get(&r->caps, MSR_IA32_VMX_MISC) & 0x1f;
		preemption_timer_bounds(t->timer_value, rate, &o.cycles_min, &o.cycles_bound);
	}
	s->record(s->ctx, id, o);
	vmclear_safe(vmcs, &f);
	return true;
}

/* VMREAD/VMWRITE and VMLAUNCH/VMRESUME on a current VMCS. */
static void rules_vmcs_access(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s)
{
	uint64_t vmcs, f = 0, v;

	if (guest_vmcs_prepare(cpu, r, (uint64_t)(uintptr_t)conf_guest, 0, 0, &vmcs)) {
		for (unsigned id = ST_VMWRITE_READ_ONLY; id <= ST_VMLAUNCH_LAUNCHED; id++)
			s->skip(s->ctx, (enum st_rule_id)id, "the guest's VMCS could not be made");
		return;
	}
	/* IA32_VMX_MISC[29]: VMWRITE may write VM-exit information fields. */
	if (vmxcap_get(&r->caps, MSR_IA32_VMX_MISC) & (1ull << 29)) {
		s->skip(s->ctx, ST_VMWRITE_READ_ONLY,
			"IA32_VMX_MISC[29] is 1: VMWRITE to VM-exit information fields is allowed");
	} else {
		int e = vmwrite_safe(VM_EXIT_REASON, 0, &f);
		s->record(s->ctx, ST_VMWRITE_READ_ONLY, vmx_conformance_observe(e, f));
	}
	for (int w = 0; w < 2; w++) {
		int e = w ? vmwrite_safe(UNSUPPORTED_FIELD, 0, &f) :
			    vmread_safe(UNSUPPORTED_FIELD, &v, &f);
		s->record(s->ctx, w ? ST_VMWRITE_UNSUPPORTED : ST_VMREAD_UNSUPPORTED,
			  vmx_conformance_observe(e, f));
	}
	/* A clear VMCS: VMRESUME must fail; then launch it (VMCALL exit) and VMLAUNCH again. */
	s->record(s->ctx, ST_VMRESUME_CLEAR, vmx_conformance_enter(OP_VMCALL, 0, 0, 1));
	struct st_observed first = vmx_conformance_enter(OP_VMCALL, 0, 0, 0);
	if (first.has_exit && first.exit_reason == EXIT_REASON_VMCALL) {
		s->record(s->ctx, ST_VMLAUNCH_LAUNCHED, vmx_conformance_enter(OP_VMCALL, 0, 0, 0));
		/* The MOV-SS check comes before the launch state's (kvm-unit-tests'
		 * vmentry_movss_shadow_test() orders them so): on this launched VMCS a
		 * CPU that skips it says 4, and never enters. */
		s->record(s->ctx, ST_VMLAUNCH_MOV_SS,
			  vmx_conformance_enter(OP_VMCALL, 0, 0, VMX_LAUNCH_MOV_SS));
	} else {
		s->skip(s->ctx, ST_VMLAUNCH_LAUNCHED, "the first VMLAUNCH did not reach the guest's VMCALL");
		s->skip(s->ctx, ST_VMLAUNCH_MOV_SS, "the first VMLAUNCH did not reach the guest's VMCALL");
	}
	vmclear_safe(vmcs, &f);
	/* No current VMCS now: VMfailInvalid comes before the MOV-SS check. */
	s->record(s->ctx, ST_VMLAUNCH_MOV_SS_NO_VMCS,
		  vmx_conformance_enter(OP_VMCALL, 0, 0, VMX_LAUNCH_MOV_SS));
}

/* Mark the port and the MSR. The bitmaps start all zero (bss) and are only
 * ever set, to the same bits by every CPU: no CPU can see a bit cleared while
 * another's guest runs. */
static void mark_bitmaps(void)
{
	static const uint16_t ports[] = { PORT_MARKED, PORT_B_MARKED, PORT_STRADDLE + 1 };

	for (unsigned i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		__atomic_or_fetch(&io_bitmap[ports[i] >> 15][(ports[i] & 0x7fff) / 8],
				  (uint8_t)(1u << (ports[i] % 8)), __ATOMIC_RELAXED);
	__atomic_or_fetch(&msr_bitmap[MSR_READ_MARKED / 8], (uint8_t)(1u << (MSR_READ_MARKED % 8)),
			  __ATOMIC_RELAXED);                                    /* read low */
	__atomic_or_fetch(&msr_bitmap[2048 + MSR_WRITE_MARKED / 8],
			  (uint8_t)(1u << (MSR_WRITE_MARKED % 8)), __ATOMIC_RELAXED);   /* write low */
	__atomic_or_fetch(&msr_bitmap[1024 + (MSR_HI_READ_MARKED & 0x1fff) / 8],
			  (uint8_t)(1u << (MSR_HI_READ_MARKED % 8)), __ATOMIC_RELAXED); /* read high */
	__atomic_or_fetch(&msr_bitmap[3072 + (MSR_HI_WRITE_MARKED & 0x1fff) / 8],
			  (uint8_t)(1u << (MSR_HI_WRITE_MARKED % 8)), __ATOMIC_RELAXED); /* write high */
}

void vmx_conformance_init(void)
{
	uint64_t handler = (uint64_t)(uintptr_t)conf_stub_handler;

	/* "64-Bit Mode IDT": interrupt gates (type 14, present, DPL 0, IST 0) in the
	 * host's code segment, every vector to the handler. */
	for (unsigned v = 0; v < IDT_VECTORS; v++) {
		guest_idt[v][0] = (handler & 0xffff) | (uint64_t)read_seg(cs) << 16 |
				  (uint64_t)0x8e << 40 | ((handler >> 16) & 0xffff) << 48;
		guest_idt[v][1] = handler >> 32;
	}

	vmx_conf_ept_init();
}

/* The features the guest rules need, and what a SKIP says when one is missing. */
enum feature { F_NONE, F_TIMER, F_TIMER_SAVE, F_MSR_BITMAPS, F_IO_BITMAPS, F_VPID, F_INTR_WINDOW,
	       F_NMI_WINDOW, F_MTF, F_CR3_TARGET, F_TPR_SHADOW, FEATURES };
static const char *const missing[FEATURES] = {
	[F_TIMER] = "no VMX-preemption timer (pin-based control bit 6)",
	[F_TIMER_SAVE] = "no save VMX-preemption timer value (VM-exit control bit 22), or no timer",
	[F_MSR_BITMAPS] = "no MSR bitmaps (primary processor-based control bit 28)",
	[F_IO_BITMAPS] = "no I/O bitmaps (primary processor-based control bit 25)",
	[F_VPID] = "no VPID (secondary processor-based control bit 5)",
	[F_INTR_WINDOW] = "no interrupt-window exiting (primary processor-based control bit 2)",
	[F_NMI_WINDOW] = "no virtual NMIs or NMI-window exiting (pin-based control bit 5, primary "
			 "processor-based control bit 22)",
	[F_MTF] = "no monitor trap flag (primary processor-based control bit 27)",
	[F_CR3_TARGET] = "no CR3-target values (IA32_VMX_MISC[24:16] is 0) or no CR3-load exiting "
			 "(primary processor-based control bit 15)",
	[F_TPR_SHADOW] = "no use TPR shadow (primary processor-based control bit 21)",
};

/* One guest rule: what it needs, the VMCS change, and what the guest does. */
#define MSR_BITMAP_RULE(rule, o, msr) \
	{ .id = rule, .needs = F_MSR_BITMAPS, .t = { .proc = CPU_BASED_USE_MSR_BITMAPS }, .op = o, .arg = msr }
static const struct guest_rule {
	enum st_rule_id id;
	enum feature needs;
	struct tweak t;
	enum conf_op op;
	uint32_t arg;           /* MSR or port; OP_WRMSR writes the MSR's own value */
	enum { AT_GUEST, AT_NOPS, AT_HLT, AT_MOVSS, AT_IRET } at;       /* where the guest starts */
} guest_rules[] = {
	{ .id = ST_EXCEPTION_BITMAP, .needs = F_NONE, .op = OP_UD },
	{ .id = ST_PREEMPTION_ZERO, .needs = F_TIMER,
	  .t = { .pin = PIN_BASED_VMX_PREEMPTION_TIMER, .timer = true }, .op = OP_SPIN },
	{ .id = ST_PREEMPTION_EXPIRES, .needs = F_TIMER,
	  .t = { .pin = PIN_BASED_VMX_PREEMPTION_TIMER, .timer = true, .timer_value = 1 },
	  .op = OP_SPIN },
	{ .id = ST_PREEMPTION_SAVE, .needs = F_TIMER_SAVE,
	  .t = { .pin = PIN_BASED_VMX_PREEMPTION_TIMER, .timer = true, .timer_value = TIMER_SAVE_START,
		 .exit_bits = VM_EXIT_SAVE_VMX_PREEMPTION_TIMER }, .op = OP_VMCALL },
	MSR_BITMAP_RULE(ST_MSR_BITMAP_READ, OP_RDMSR, MSR_READ_MARKED),
	MSR_BITMAP_RULE(ST_MSR_BITMAP_READ_CLEAR, OP_RDMSR, MSR_WRITE_MARKED),
	MSR_BITMAP_RULE(ST_MSR_BITMAP_WRITE, OP_WRMSR, MSR_WRITE_MARKED),
	MSR_BITMAP_RULE(ST_MSR_BITMAP_WRITE_CLEAR, OP_WRMSR, MSR_READ_MARKED),
	{ .id = ST_IO_BITMAP, .needs = F_IO_BITMAPS, .t = { .proc = CPU_BASED_USE_IO_BITMAPS },
	  .op = OP_OUT, .arg = PORT_MARKED },
	{ .id = ST_IO_BITMAP_CLEAR, .needs = F_IO_BITMAPS, .t = { .proc = CPU_BASED_USE_IO_BITMAPS },
	  .op = OP_OUT, .arg = PORT_CLEAR },
	{ .id = ST_VPID_NONZERO, .needs = F_VPID, .t = { .proc2 = SECONDARY_EXEC_ENABLE_VPID, .vpid = 1 },
	  .op = OP_VMCALL },
	{ .id = ST_VPID_ZERO, .needs = F_VPID, .t = { .proc2 = SECONDARY_EXEC_ENABLE_VPID, .vpid = 0 },
	  .op = OP_VMCALL },
	/* "Event Injection": the guest at a HLT, its IDT every vector to a VMCALL. */
	{ .id = ST_INJECT_EXT_INTR, .needs = F_NONE, .at = AT_HLT,
	  .t = { .rflags = X86_EFLAGS_IF, .own_idt = true,      /* no external-interrupt exiting: */
		 /* a host interrupt pending would exit (reason 1) at the handler's first
		  * instruction, whatever RFLAGS.IF; without it the handler's IF = 0 holds it */
		 .inject = INTR_INFO_VALID_MASK | INTR_TYPE_EXT_INTR << 8 | 0x40, .value = V_FRAME } },
	{ .id = ST_INJECT_NMI, .needs = F_NONE, .at = AT_HLT,
	  .t = { .own_idt = true, .inject = INTR_INFO_VALID_MASK | INTR_TYPE_NMI << 8 | 2,
		 .value = V_FRAME } },
	{ .id = ST_INJECT_EXCEPTION, .needs = F_NONE, .at = AT_HLT,
	  .t = { .own_idt = true, .inject = INTR_INFO_VALID_MASK | INTR_INFO_DELIVER_CODE_MASK |
					     INTR_TYPE_HARD_EXCEPTION << 8 | 13,
		 .inject_error = INJECT_ERROR_CODE, .value = V_FRAME } },
	{ .id = ST_INJECT_SOFT_INTR, .needs = F_NONE, .at = AT_HLT,
	  .t = { .own_idt = true, .inject = INTR_INFO_VALID_MASK | INTR_TYPE_SOFT_INTR << 8 | 0x41,
		 .inject_len = INJECT_SOFT_LEN, .value = V_FRAME } },
	/* The windows and the monitor trap flag: the guest at its two NOPs. */
	{ .id = ST_INTR_WINDOW, .needs = F_INTR_WINDOW, .at = AT_NOPS,
	  .t = { .pin = PIN_BASED_EXT_INTR_MASK, .proc = CPU_BASED_INTR_WINDOW_EXITING,
		 .rflags = X86_EFLAGS_IF } },
	{ .id = ST_INTR_WINDOW_STI, .needs = F_INTR_WINDOW, .at = AT_NOPS,
	  .t = { .pin = PIN_BASED_EXT_INTR_MASK, .proc = CPU_BASED_INTR_WINDOW_EXITING,
		 .rflags = X86_EFLAGS_IF, .interruptibility = GUEST_INTR_STATE_STI,
		 .value = V_RIP_OFFSET, .expected = 1 } },
	{ .id = ST_NMI_WINDOW, .needs = F_NMI_WINDOW, .at = AT_NOPS,
	  .t = { .pin = PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS,
		 .proc = CPU_BASED_NMI_WINDOW_EXITING } },
	{ .id = ST_MTF, .needs = F_MTF, .at = AT_NOPS,
	  .t = { .proc = CPU_BASED_MONITOR_TRAP_FLAG, .value = V_RIP_OFFSET, .expected = 1 } },
	/* The MSR lists: IA32_SYSENTER_EIP, in neither MSR bitmap. */
	{ .id = ST_MSR_LOAD, .needs = F_MSR_BITMAPS,
	  .t = { .proc = CPU_BASED_USE_MSR_BITMAPS, .msr_list = LIST_LOAD, .value = V_RAX,
		 .expected = MSR_LOAD_VALUE }, .op = OP_RDMSR, .arg = MSR_LISTED },
	{ .id = ST_MSR_STORE, .needs = F_MSR_BITMAPS,
	  .t = { .proc = CPU_BASED_USE_MSR_BITMAPS, .msr_list = LIST_STORE, .value = V_MSR_STORED,
		 .expected = MSR_STORE_VALUE }, .op = OP_WRMSR, .arg = MSR_LISTED },
	{ .id = ST_MSR_LOAD_SMBASE, .needs = F_NONE, .t = { .msr_list = LIST_LOAD_SMBASE },
	  .op = OP_VMCALL },
	/* CR0: the host owns TS, its shadow inverted. */
	{ .id = ST_CR0_READ_SHADOW, .needs = F_NONE, .t = { .cr0_mask = X86_CR0_TS, .value = V_RAX },
	  .op = OP_READ_CR0 },
	{ .id = ST_CR0_WRITE_MASKED, .needs = F_NONE, .t = { .cr0_mask = X86_CR0_TS },
	  .op = OP_WRITE_CR0 },
	/* The I/O bitmaps: B, string, straddling A and B, wrapping around. */
	{ .id = ST_IO_BITMAP_B, .needs = F_IO_BITMAPS, .t = { .proc = CPU_BASED_USE_IO_BITMAPS },
	  .op = OP_OUT, .arg = PORT_B_MARKED },
	{ .id = ST_IO_OUTSB, .needs = F_IO_BITMAPS, .t = { .proc = CPU_BASED_USE_IO_BITMAPS },
	  .op = OP_OUTSB, .arg = PORT_MARKED },
	{ .id = ST_IO_STRADDLE, .needs = F_IO_BITMAPS, .t = { .proc = CPU_BASED_USE_IO_BITMAPS },
	  .op = OP_OUTW, .arg = PORT_STRADDLE },
	{ .id = ST_IO_WRAP, .needs = F_IO_BITMAPS, .t = { .proc = CPU_BASED_USE_IO_BITMAPS },
	  .op = OP_OUTW, .arg = PORT_WRAP },
	/* CR4: the host owns TSD, its shadow inverted; CR3: one target value. */
	{ .id = ST_CR4_READ_SHADOW, .needs = F_NONE, .t = { .cr4_mask = X86_CR4_TSD, .value = V_RAX },
	  .op = OP_READ_CR4 },
	{ .id = ST_CR4_WRITE_MASKED, .needs = F_NONE, .t = { .cr4_mask = X86_CR4_TSD },
	  .op = OP_WRITE_CR4 },
	{ .id = ST_CR3_TARGET_HIT, .needs = F_CR3_TARGET, .t = { .cr3_target = CR3T_HIT },
	  .op = OP_WRITE_CR3 },
	{ .id = ST_CR3_TARGET_MISS, .needs = F_CR3_TARGET, .t = { .cr3_target = CR3T_MISS },
	  .op = OP_WRITE_CR3 },
	{ .id = ST_CR3_TARGET_LAST, .needs = F_CR3_TARGET, .t = { .cr3_target = CR3T_LAST },
	  .op = OP_WRITE_CR3 },
	/* The MSR bitmaps for high MSRs, and MSRs outside both ranges. */
	MSR_BITMAP_RULE(ST_MSR_BITMAP_HIGH_READ, OP_RDMSR, MSR_HI_READ_MARKED),
	MSR_BITMAP_RULE(ST_MSR_BITMAP_HIGH_READ_CLEAR, OP_RDMSR, MSR_HI_WRITE_MARKED),
	MSR_BITMAP_RULE(ST_MSR_BITMAP_HIGH_WRITE, OP_WRMSR, MSR_HI_WRITE_MARKED),
	MSR_BITMAP_RULE(ST_MSR_BITMAP_HIGH_WRITE_CLEAR, OP_WRMSR, MSR_HI_READ_MARKED),
	MSR_BITMAP_RULE(ST_MSR_OUTSIDE_READ, OP_RDMSR, MSR_OUTSIDE_LOW),
	MSR_BITMAP_RULE(ST_MSR_OUTSIDE_WRITE, OP_WRMSR, MSR_OUTSIDE_HIGH),
	{ .id = ST_INTR_WINDOW_MOV_SS, .needs = F_INTR_WINDOW, .at = AT_NOPS,
	  .t = { .pin = PIN_BASED_EXT_INTR_MASK, .proc = CPU_BASED_INTR_WINDOW_EXITING,
		 .rflags = X86_EFLAGS_IF, .interruptibility = GUEST_INTR_STATE_MOV_SS,
		 .value = V_RIP_OFFSET, .expected = 1 } },
	/* Pending debug exceptions at entry: BS with RFLAGS.TF 1; B0 with "enabled
	 * breakpoint" (bit 12). The exception bitmap has #DB (every vector). */
	{ .id = ST_PENDING_DBG_BS, .needs = F_NONE, .at = AT_NOPS,
	  .t = { .rflags = X86_EFLAGS_TF, .pending_dbg = DR6_BS } },
	{ .id = ST_PENDING_DBG_BP, .needs = F_NONE, .at = AT_NOPS,
	  .t = { .pending_dbg = PENDING_DBG_ENABLED_BP | DR_TRAP0 } },
	/* Debug exceptions and MOV SS: entry in a MOV-SS shadow with a single step and
	 * a breakpoint pending (the first NOP runs in the shadow; the #DB after it
	 * has both); the guest's own MOV to SS with RFLAGS.TF 1, then VMCALL in its
	 * shadow (the exit saves the blocking and the pending single step). */
	{ .id = ST_DBG_MOV_SS_SHADOW, .needs = F_NONE, .at = AT_NOPS,
	  .t = { .rflags = X86_EFLAGS_TF, .interruptibility = GUEST_INTR_STATE_MOV_SS,
		 .pending_dbg = DR6_BS | PENDING_DBG_ENABLED_BP | DR_TRAP0, .value = V_RIP_OFFSET,
		 .expected = 1 } },
	{ .id = ST_MOV_SS_VMCALL, .needs = F_NONE, .at = AT_MOVSS,
	  .t = { .rflags = X86_EFLAGS_TF, .value = V_MOVSS_STATE, .expected = GUEST_INTR_STATE_MOV_SS } },
	/* Virtual NMIs: virtual-NMI blocking at entry keeps the NMI window shut
	 * (the guest reaches its VMCALL); the guest's IRET ends the blocking, and
	 * the window opens at the IRET's target. */
	{ .id = ST_NMI_WINDOW_BLOCKED, .needs = F_NMI_WINDOW, .at = AT_NOPS,
	  .t = { .pin = PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS,
		 .proc = CPU_BASED_NMI_WINDOW_EXITING, .interruptibility = GUEST_INTR_STATE_NMI } },
	{ .id = ST_NMI_WINDOW_IRET, .needs = F_NMI_WINDOW, .at = AT_IRET,
	  .t = { .pin = PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS,
		 .proc = CPU_BASED_NMI_WINDOW_EXITING, .interruptibility = GUEST_INTR_STATE_NMI,
		 .value = V_RIP_OFFSET } },
	/* TPR shadow: the guest lowers its virtual TPR below the threshold. */
	{ .id = ST_TPR_BELOW_THRESHOLD, .needs = F_TPR_SHADOW,
	  .t = { .tpr_shadow = true, .value = V_VTPR }, .op = OP_WRITE_CR8, .arg = CR8_WRITTEN },
};

/* The TPR-shadow rule, one CPU at a time on the one virtual-APIC page: VTPR
 * set, the rule run, CR8 put back (a CPU that ignored the shadow would have
 * written the real TPR). */
static void run_tpr_rule(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
			 const struct guest_rule *g, struct tweak *t, uint64_t val)
{
	uint64_t cr8;

	while (__atomic_exchange_n(&vapic_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	asm volatile("mov %%cr8, %0" : "=r"(cr8));
	memset(vapic_page, 0, sizeof(vapic_page));
	*(volatile uint32_t *)(vapic_page + 0x80) = VTPR_START;
	t->expected = vtpr_after_mov_cr8(val);
	conf_run_rule(cpu, r, s, g->id, t, g->op, g->arg, val);
	asm volatile("mov %0, %%cr8" : : "r"(cr8) : "memory");
	__atomic_store_n(&vapic_lock, 0, __ATOMIC_RELEASE);
}

/* "VM-Exit Controls" (acknowledge interrupt on exit), "Other Causes of VM
 * Exits" (external interrupts): the guest, RFLAGS.IF 1, exits for the pending
 * interrupt (reason 1), and the processor acknowledges it. */
static void take_apply(struct vmcs_config *c, void *ctx)
{
	(void)ctx;
	c->pin |= PIN_BASED_EXT_INTR_MASK;
	c->exit |= VM_EXIT_ACK_INTR_ON_EXIT;
	c->guest_rflags |= X86_EFLAGS_IF;
}

bool conf_take_interrupt(unsigned cpu, const struct vmx_result *r, uint8_t vector)
{
	uint64_t vmcs = 0, f = 0;

	if (!lapic_irr_pending(vector) ||
	    guest_vmcs_prepare(cpu, r, (uint64_t)(uintptr_t)conf_stub_nops, take_apply, 0, &vmcs))
		return false;
	struct st_observed o = vmx_conformance_enter(OP_VMCALL, 0, 0, 0);
	vmclear_safe(vmcs, &f);
	return o.has_exit && o.exit_reason == EXIT_REASON_EXTERNAL_INTERRUPT;
}

/*
 * "Acknowledge interrupt on exit": a self-IPI, pending in this CPU's IRR (the
 * host runs with RFLAGS.IF 0), then the guest with external-interrupt
 * exiting, its RFLAGS.IF 1, then 0. Acknowledged, the interrupt is in
 * service: EOI. A CPU that did not take it leaves it pending:
 * conf_take_interrupt() takes it (the guest's RFLAGS.IF 1), then EOI, so that
 * no later rule sees it.
 */
static void rules_ack_intr(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s)
{
	static const enum st_rule_id ids[2] = { ST_ACK_INTR_ON_EXIT, ST_EXT_INTR_EXIT_IF_CLEAR };

	for (unsigned k = 0; k < 2; k++) {
		if (!conf_allowed(&r->caps, MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS,
			     VM_EXIT_ACK_INTR_ON_EXIT)) {
			s->skip(s->ctx, ids[k], "no acknowledge interrupt on exit (VM-exit control bit 15)");
			continue;
		}
		if (options_skips_rule(&options, st_rule(ids[k])->id)) {
			s->skip(s->ctx, ids[k], "selftest.skip= on the command line");
			continue;
		}
		if (!lapic_self_ipi_pending(ACK_VECTOR, ACK_IRR_TIMEOUT_US)) {
			s->skip(s->ctx, ids[k], "the self-IPI (vector 3EH) never reached this CPU's IRR");
			continue;
		}
		struct tweak t = { .pin = PIN_BASED_EXT_INTR_MASK, .exit_bits = VM_EXIT_ACK_INTR_ON_EXIT,
				   .rflags = k ? 0 : X86_EFLAGS_IF, .rip = (uint64_t)(uintptr_t)conf_stub_nops };
		conf_run_rule(cpu, r, s, ids[k], &t, OP_VMCALL, 0, 0);
		conf_take_interrupt(cpu, r, ACK_VECTOR);
		lapic_eoi();
	}
}

void vmx_conformance_cpu(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s)
{
	const struct vmxcap_msrs *m = &r->caps;
	bool secondary = conf_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
				 CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) &&
			 vmxcap_has(m, MSR_IA32_VMX_PROCBASED_CTLS2);
	bool have[FEATURES] = {
		[F_NONE] = true,
		[F_TIMER] = conf_allowed(m, MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS,
				    PIN_BASED_VMX_PREEMPTION_TIMER),
		[F_TIMER_SAVE] = conf_allowed(m, MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS,
					 PIN_BASED_VMX_PREEMPTION_TIMER) &&
				 conf_allowed(m, MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS,
					 VM_EXIT_SAVE_VMX_PREEMPTION_TIMER),
		[F_MSR_BITMAPS] = conf_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS,
					  MSR_IA32_VMX_TRUE_PROCBASED_CTLS, CPU_BASED_USE_MSR_BITMAPS),
		[F_IO_BITMAPS] = conf_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS,
					 MSR_IA32_VMX_TRUE_PROCBASED_CTLS, CPU_BASED_USE_IO_BITMAPS),
		[F_VPID] = secondary && conf_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS2, 0,
						SECONDARY_EXEC_ENABLE_VPID),
		[F_INTR_WINDOW] = conf_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
					  CPU_BASED_INTR_WINDOW_EXITING),
		[F_NMI_WINDOW] = conf_allowed(m, MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS,
					 PIN_BASED_NMI_EXITING | PIN_BASED_VIRTUAL_NMIS) &&
				 conf_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
					 CPU_BASED_NMI_WINDOW_EXITING),
		[F_MTF] = conf_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
				  CPU_BASED_MONITOR_TRAP_FLAG),
		[F_TPR_SHADOW] = conf_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
					 CPU_BASED_TPR_SHADOW),
		[F_CR3_TARGET] = ((vmxcap_get(m, MSR_IA32_VMX_MISC) >> VMX_MISC_CR3_COUNT_SHIFT) &
				  VMX_MISC_CR3_COUNT_MASK) &&
				 conf_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
					 CPU_BASED_CR3_LOAD_EXITING),
	};
	unsigned rate = vmxcap_get(m, MSR_IA32_VMX_MISC) & 0x1f;
	uint32_t ticks = TIMER_CYCLES >> rate;
	unsigned cr3_targets = (vmxcap_get(m, MSR_IA32_VMX_MISC) >> VMX_MISC_CR3_COUNT_SHIFT) &
			       VMX_MISC_CR3_COUNT_MASK;

	mark_bitmaps();
	rules_vmcs_access(cpu, r, s);
	for (unsigned i = 0; i < sizeof(guest_rules) / sizeof(guest_rules[0]); i++) {
		const struct guest_rule *g = &guest_rules[i];
		struct tweak t = g->t;
		/* What a write writes: CR0 or CR4 as they are (TS, TSD unlike their shadows'),
		 * CR3 as it is, the MSR's own value (0 where it has none). */
		uint64_t val = g->op == OP_WRITE_CR0 ? read_cr0() : g->op == OP_WRITE_CR4 ? read_cr4() :
			       g->op == OP_WRITE_CR3 ? read_cr3() : g->arg == MSR_LISTED ? MSR_STORE_VALUE : 0;
		if (g->op == OP_WRMSR && g->arg != MSR_LISTED && g->arg != MSR_OUTSIDE_HIGH)
			rdmsr_safe(g->arg, &val);
		if (g->op == OP_WRITE_CR8)
			val = g->arg;
		t.rip = g->at == AT_NOPS ? (uint64_t)(uintptr_t)conf_stub_nops :
			g->at == AT_HLT ? (uint64_t)(uintptr_t)conf_stub_hlt :
			g->at == AT_MOVSS ? (uint64_t)(uintptr_t)conf_stub_movss :
			g->at == AT_IRET ? (uint64_t)(uintptr_t)conf_stub_iret : 0;
		if (g->at == AT_IRET)   /* the window opens at the IRETQ's target */
			t.expected = (uint64_t)(conf_stub_iret_done - conf_stub_iret);
		if (t.value == V_FRAME)
			t.expected = injected_frame_value((t.inject >> 8) & 7, t.inject_len,
							  t.inject & INTR_INFO_DELIVER_CODE_MASK,
							  t.inject_error);
		if (g->id == ST_PREEMPTION_EXPIRES)
			t.timer_value = ticks ? ticks : 1;
		if (t.cr3_target == CR3T_LAST)
			t.cr3_count = cr3_targets < CR3_TARGETS_MAX ? cr3_targets : CR3_TARGETS_MAX;
		if (!have[g->needs])
			s->skip(s->ctx, g->id, missing[g->needs]);
		else if (g->id == ST_PREEMPTION_EXPIRES && preemption_timer_broken(cpuid(1).a))
			s->skip(s->ctx, g->id, "this CPU's signature is one Linux's KVM lists in "
				"vmx_preemption_cpu_tfms[] (arch/x86/kvm/vmx/vmx.c): errata make its "
				"timer run at another rate than IA32_VMX_MISC[4:0] says");
		else if (t.tpr_shadow)
			run_tpr_rule(cpu, r, s, g, &t, val);
		else
			conf_run_rule(cpu, r, s, g->id, &t, g->op, g->arg, val);
	}
	rules_ack_intr(cpu, r, s);
	vmx_conf_ept_rules(cpu, r, s, secondary);
	vmx_conf_invalidate_rules(cpu, r, s, secondary && conf_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS2, 0,
						    SECONDARY_EXEC_ENABLE_EPT), have[F_VPID]);
	vmx_conf_entry_rules(cpu, r, s, vmx_conf_ept_problem(r, secondary) ? 0 : vmx_conf_eptp(),
			     (uint64_t)(uintptr_t)msr_bitmap);
	vmx_apicv_rules(cpu, r, s);
	/* Last: an INIT these rules send may stay pending on a CPU that breaks the
	 * SDM, and then every VM entry exits for it. */
	vmx_cross_cpu(cpu, r, s);
}
