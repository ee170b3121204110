/* SPDX-License-Identifier: MIT */
/*
 * selftest=vmx, the rules that need a second CPU: INIT and SIPI sent to a CPU
 * in VMX operation. Intel SDM Vol. 3C, "Other Causes of VM Exits" (INIT
 * signals, start-up IPIs), "Activity State" and "Guest Non-Register State"
 * (the wait-for-SIPI state), "Restrictions on VMX Operation" ("INIT signals
 * are blocked whenever a logical processor is in VMX root operation"); Vol.
 * 3A, "Local APIC" ("Issuing Interprocessor Interrupts": INIT and Start-Up
 * delivery modes). kvm-unit-tests checks the same in x86/vmx_tests.c,
 * vmx_init_signal_test() and vmx_sipi_signal_test(), with one AP.
 *
 * Who signals whom: the boot CPU signals every AP that runs the rules, one
 * after another, in index order; the first AP that runs them signals the boot
 * CPU first. Each AP waits for its turn (turn: XC_IDLE -> XC_SENT when the
 * boot CPU starts on it, -> XC_WITHDRAWN when the AP gives up waiting). Each
 * rule is a handshake on one word (enum xc_word); every wait is bounded, and
 * an IPI is sent only to a CPU that waits for it.
 *
 *   init-held-in-root   CPU under test in VMX root operation; INIT sent; after
 *                       XC_SETTLE_US it runs on (blocked) and its next VM entry
 *                       exits with reason 3 before the guest's first instruction
 *                       (the INIT was kept pending).
 *   init-exit           the guest runs (it stores XC_READY itself); INIT sent:
 *                       exit reason 3.
 *   sipi-exit           the guest entered in the wait-for-SIPI activity state
 *                       (IA32_VMX_MISC[8]); SIPIs sent until it exits: reason 4,
 *                       the vector in the qualification.
 *   sipi-ignored-when-active
 *                       a SIPI while the guest runs is discarded: no exit; the
 *                       guest reaches its VMCALL (exit 18).
 */
#include "kernel/vmx_cross.h"

#include "arch/apic.h"
#include "arch/tsc.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/config.h"
#include "kernel/guest.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"
#include "lib/msr-index.h"
#include "lib/vmcs_config.h"

#define XC_ARRIVE_US            30000000        /* for the other CPUs to finish their own rules */
#define XC_STEP_US              1000000         /* for the other side of one handshake */
#define XC_SETTLE_US            10000           /* for an INIT to arrive (and reset, if not blocked) */
#define XC_GUEST_WAIT_US        200000          /* the init-exit guest waits this long for its INIT */
#define XC_SIPI_RETRY_US        1000            /* a SIPI that came too early is discarded: again */
#define XC_SIPI_VECTOR          0x5e            /* the qualification's value; no code runs there */
#define XC_NONE                 0xffffffffu

enum { PART_UNKNOWN, PART_ARRIVED, PART_ABSENT };

/* One CPU's side: whether it runs the rules, its turn, a word per rule. */
struct xc_slot {
	uint32_t part, turn, held, exit, sipi, sipi_active;
	const char *lost;               /* written by the sender, read by the report */
} __attribute__((aligned(64)));

static struct xc_slot slots[MAX_CPUS];
static uint32_t bsp_sender = XC_NONE;   /* the AP that signals the boot CPU, once known */
static uint32_t bsp_sender_known;

static uint32_t load(const uint32_t *w)
{
	return __atomic_load_n(w, __ATOMIC_ACQUIRE);
}

static void store(uint32_t *w, uint32_t v)
{
	__atomic_store_n(w, v, __ATOMIC_RELEASE);
}

static bool swap(uint32_t *w, uint32_t from, uint32_t to)
{
	return __atomic_compare_exchange_n(w, &from, to, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/* Wait (bounded) until *w is no longer v; its value then. */
static uint32_t wait_change(const uint32_t *w, uint32_t v, uint64_t deadline)
{
	uint32_t now;

	while ((now = load(w)) == v && !time_passed(deadline))
		cpu_relax();
	return now;
}

static bool cpu_may_arrive(unsigned k)
{
	return cpu_is_online(&cpus[k]) && !cpu_has_faulted(&cpus[k]);
}

/* Wait (bounded) for CPU k to say whether it runs the rules. */
static bool arrived(unsigned k, uint64_t deadline)
{
	while (load(&slots[k].part) == PART_UNKNOWN && cpu_may_arrive(k) && !time_passed(deadline))
		cpu_relax();
	return load(&slots[k].part) == PART_ARRIVED;
}

void vmx_cross_absent(unsigned cpu)
{
	store(&slots[cpu].part, PART_ABSENT);
}

const char *vmx_cross_lost(unsigned cpu)
{
	return __atomic_load_n(&slots[cpu].lost, __ATOMIC_ACQUIRE);
}

/* ------------------------------------------------------------------------- */
/* The CPU under test. */

static void wait_sipi(struct vmcs_config *c, void *ctx)
{
	(void)ctx;
	c->activity = GUEST_ACTIVITY_WAIT_SIPI;
}

/* The rule's VMCS made current (guest at conf_guest), or NULL with the reason
 * in *why (the rule skipped). */
static bool prepare(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
		    enum st_rule_id id, guest_tweak_fn tweak, uint64_t *vmcs)
{
	const char *why = options_skips_rule(&options, st_rule(id)->id) ?
			  "selftest.skip= on the command line" :
			  guest_vmcs_prepare(cpu, r, (uint64_t)(uintptr_t)conf_guest, tweak, 0, vmcs);

	if (why)
		s->skip(s->ctx, id, why);
	return !why;
}

/* Announce on w and wait (bounded) for the sender to commit; false (the rule
 * skipped, the word withdrawn) when it never did. */
static bool committed(uint32_t *w, const struct conf_sink *s, enum st_rule_id id)
{
	store(w, XC_READY);
	if (wait_change(w, XC_READY, time_deadline_us(XC_STEP_US)) == XC_SENT || !swap(w, XC_READY, XC_WITHDRAWN))
		return true;
	s->skip(s->ctx, id, "the CPU that sends the INIT never answered");
	return false;
}

/* "INIT signals are blocked whenever a logical processor is in VMX root
 * operation": blocked, not lost, so the next VM entry exits at once. */
static void rule_held(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s, struct xc_slot *me)
{
	uint64_t vmcs = 0, f = 0;

	if (!prepare(cpu, r, s, ST_INIT_HELD_IN_ROOT, 0, &vmcs)) {
		store(&me->held, XC_WITHDRAWN);
		return;
	}
	if (committed(&me->held, s, ST_INIT_HELD_IN_ROOT)) {
		udelay(XC_SETTLE_US);
		s->record(s->ctx, ST_INIT_HELD_IN_ROOT, vmx_conformance_enter(OP_VMCALL, 0, 0, 0));
	}
	vmclear_safe(vmcs, &f);
	store(&me->held, XC_DONE);
}

/* An INIT while the guest runs. The guest stores XC_READY itself, waits
 * XC_GUEST_WAIT_US and then withdraws (RAX 0), or finds the sender committed
 * (RAX 1). Then a fresh launch of a guest that makes a VMCALL: the INIT exit
 * must have consumed the INIT (value 1); one still pending exits at once
 * (value 0), and this CPU then stays in VMX operation to the end (keep_vmx),
 * since VMXOFF would deliver it: a reset. An INIT that was sent but made no
 * exit is taken by that launch too, after XC_SETTLE_US. */
static void rule_exit(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s, struct xc_slot *me)
{
	uint64_t vmcs = 0, f = 0;

	if (!prepare(cpu, r, s, ST_INIT_EXIT, 0, &vmcs)) {
		store(&me->exit, XC_WITHDRAWN);
		return;
	}
	struct st_observed o = vmx_conformance_enter(OP_WAIT_INIT, (uint64_t)(uintptr_t)&me->exit,
						     time_deadline_us(XC_GUEST_WAIT_US), 0);
	bool exited = o.has_exit && o.exit_reason == EXIT_REASON_INIT_SIGNAL;
	uint32_t word = load(&me->exit);
	vmclear_safe(vmcs, &f);
	if (!exited && word == XC_WITHDRAWN) {
		s->skip(s->ctx, ST_INIT_EXIT, "the CPU that sends the INIT never answered");
	} else {
		if (!exited)
			udelay(XC_SETTLE_US);
		bool pending = false;
		if (!guest_vmcs_prepare(cpu, r, (uint64_t)(uintptr_t)conf_guest, 0, 0, &vmcs)) {
			struct st_observed again = vmx_conformance_enter(OP_VMCALL, 0, 0, 0);
			pending = again.has_exit && again.exit_reason == EXIT_REASON_INIT_SIGNAL;
			vmclear_safe(vmcs, &f);
		}
		if (pending)
			this_cpu()->arch.keep_vmx = true;
		o.has_value = true;
		o.value = !pending;
		o.value_expected = 1;
		s->record(s->ctx, ST_INIT_EXIT, o);
	}
	store(&me->exit, XC_DONE);
}

/* The wait-for-SIPI activity state: the guest runs nothing until a SIPI,
 * which exits. The sender sends until this CPU says it is done. */
static void rule_sipi(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s, struct xc_slot *me)
{
	uint64_t vmcs = 0, f = 0;

	if (!(vmxcap_get(&r->caps, MSR_IA32_VMX_MISC) & VMX_MISC_ACTIVITY_WAIT_SIPI)) {
		s->skip(s->ctx, ST_SIPI_EXIT, "no wait-for-SIPI activity state (IA32_VMX_MISC[8])");
		store(&me->sipi, XC_WITHDRAWN);
		return;
	}
	if (!prepare(cpu, r, s, ST_SIPI_EXIT, wait_sipi, &vmcs)) {
		store(&me->sipi, XC_WITHDRAWN);
		return;
	}
	if (committed(&me->sipi, s, ST_SIPI_EXIT))
		s->record(s->ctx, ST_SIPI_EXIT, vmx_conformance_enter(OP_VMCALL, 0, 0, 0));
	vmclear_safe(vmcs, &f);
	store(&me->sipi, XC_DONE);
}

/* A SIPI to a guest that runs (not in the wait-for-SIPI state) is discarded:
 * the guest waits XC_GUEST_WAIT_US as for the INIT, then makes its VMCALL
 * (value 1: the sender had committed, so the SIPI came). */
static void rule_sipi_active(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
			     struct xc_slot *me)
{
	uint64_t vmcs = 0, f = 0;

	if (this_cpu()->arch.keep_vmx) {       /* init-exit left an INIT pending */
		s->skip(s->ctx, ST_SIPI_IGNORED_ACTIVE, "an INIT is still pending on this CPU (see "
			"init-exit): every VM entry would exit for it");
		store(&me->sipi_active, XC_WITHDRAWN);
		return;
	}
	if (!prepare(cpu, r, s, ST_SIPI_IGNORED_ACTIVE, 0, &vmcs)) {
		store(&me->sipi_active, XC_WITHDRAWN);
		return;
	}
	struct st_observed o = vmx_conformance_enter(OP_WAIT_INIT, (uint64_t)(uintptr_t)&me->sipi_active,
						     time_deadline_us(XC_GUEST_WAIT_US), 0);
	vmclear_safe(vmcs, &f);
	if (load(&me->sipi_active) == XC_WITHDRAWN) {
		s->skip(s->ctx, ST_SIPI_IGNORED_ACTIVE, "the CPU that sends the SIPI never answered");
	} else {
		o.has_value = true;     /* RAX: 1, the SIPI sent while the guest waited */
		o.value_expected = 1;
		s->record(s->ctx, ST_SIPI_IGNORED_ACTIVE, o);
	}
	store(&me->sipi_active, XC_DONE);
}

static void skip_all(const struct conf_sink *s, const char *why)
{
	s->skip(s->ctx, ST_INIT_HELD_IN_ROOT, why);
	s->skip(s->ctx, ST_INIT_EXIT, why);
	s->skip(s->ctx, ST_SIPI_EXIT, why);
	s->skip(s->ctx, ST_SIPI_IGNORED_ACTIVE, why);
}

static void under_test(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s)
{
	struct xc_slot *me = &slots[cpu];

	rule_held(cpu, r, s, me);
	rule_exit(cpu, r, s, me);
	rule_sipi(cpu, r, s, me);
	rule_sipi_active(cpu, r, s, me);
}

/* ------------------------------------------------------------------------- */
/* The sender. */

static void send(unsigned target, uint32_t icr)
{
	lapic_send_ipi(cpus[target].apic_id, icr);
}

/* Wait for the target's word to leave XC_IDLE; if it says XC_READY, commit
 * and send once. Then wait for XC_DONE (or XC_WITHDRAWN): false when the
 * target never got there (it stopped answering). */
static bool signal_once(unsigned target, uint32_t *w, uint32_t icr, uint64_t done_us)
{
	uint32_t v = wait_change(w, XC_IDLE, time_deadline_us(XC_STEP_US));

	if (v == XC_READY && swap(w, XC_READY, XC_SENT))
		send(target, icr);
	v = load(w);
	if (v == XC_IDLE)
		return true;            /* it never started: nothing sent */
	uint64_t deadline = time_deadline_us(done_us);
	while ((v = load(w)) != XC_DONE && v != XC_WITHDRAWN && !time_passed(deadline))
		cpu_relax();
	return v == XC_DONE || v == XC_WITHDRAWN;
}

/* SIPIs until the target is done: one that arrives before its VM entry is
 * discarded ("Other Causes of VM Exits": a SIPI that arrives outside the
 * wait-for-SIPI state is discarded). */
static bool signal_sipi(unsigned target, uint32_t *w)
{
	uint32_t v = wait_change(w, XC_IDLE, time_deadline_us(XC_STEP_US));

	if (v != XC_READY || !swap(w, XC_READY, XC_SENT))
		return true;
	uint64_t deadline = time_deadline_us(XC_STEP_US);
	while (load(w) != XC_DONE && !time_passed(deadline)) {
		send(target, APIC_DM_STARTUP | XC_SIPI_VECTOR);
		uint64_t retry = time_deadline_us(XC_SIPI_RETRY_US);
		while (load(w) != XC_DONE && !time_passed(retry))
			cpu_relax();
	}
	return load(w) == XC_DONE;
}

static void lost(unsigned target, const char *rule)
{
	__atomic_store_n(&slots[target].lost, rule, __ATOMIC_RELEASE);
}

static void signal_cpu(unsigned target)
{
	struct xc_slot *t = &slots[target];

	if (!signal_once(target, &t->held, APIC_INT_ASSERT | APIC_DM_INIT, XC_STEP_US + XC_SETTLE_US)) {
		lost(target, st_rule(ST_INIT_HELD_IN_ROOT)->id);
		return;
	}
	if (!signal_once(target, &t->exit, APIC_INT_ASSERT | APIC_DM_INIT,
			 XC_STEP_US + XC_GUEST_WAIT_US + XC_SETTLE_US)) {
		lost(target, st_rule(ST_INIT_EXIT)->id);
		return;
	}
	if (!signal_sipi(target, &t->sipi)) {
		lost(target, st_rule(ST_SIPI_EXIT)->id);
		return;
	}
	if (!signal_once(target, &t->sipi_active, APIC_DM_STARTUP | XC_SIPI_VECTOR,
			 XC_STEP_US + XC_GUEST_WAIT_US))
		lost(target, st_rule(ST_SIPI_IGNORED_ACTIVE)->id);
}

/* ------------------------------------------------------------------------- */

/* The boot CPU: find its sender (the first AP that runs the rules), be
 * tested, then signal every AP that runs them. */
static void boot_cpu(const struct vmx_result *r, const struct conf_sink *s)
{
	unsigned n = smp_cpu_count();
	uint64_t deadline = time_deadline_us(XC_ARRIVE_US);
	uint32_t sender = XC_NONE;

	for (unsigned k = 1; k < n && sender == XC_NONE; k++)
		if (arrived(k, deadline))
			sender = k;
	store(&bsp_sender, sender);
	store(&bsp_sender_known, 1);
	if (sender == XC_NONE)
		skip_all(s, "no second CPU runs the VMX rules: another CPU must send the INIT and SIPI");
	else
		under_test(0, r, s);
	for (unsigned k = 1; k < n; k++)
		if (arrived(k, deadline) && swap(&slots[k].turn, XC_IDLE, XC_SENT))
			signal_cpu(k);
}

/* An AP: signal the boot CPU if it is the one, then wait for its turn. */
static void ap(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s)
{
	uint64_t deadline = time_deadline_us(XC_ARRIVE_US);

	while (!load(&bsp_sender_known) && load(&slots[0].part) != PART_ABSENT && !time_passed(deadline))
		cpu_relax();
	if (!load(&bsp_sender_known)) {
		skip_all(s, load(&slots[0].part) == PART_ABSENT ?
			 "the boot CPU, which sends the INIT and SIPI, does not run the VMX rules" :
			 "the boot CPU, which sends the INIT and SIPI, never reached them");
		return;
	}
	if (load(&bsp_sender) == cpu)
		signal_cpu(0);
	/* The boot CPU signals the APs in turn, each in at most a few XC_STEP_US. */
	deadline = time_deadline_us(XC_ARRIVE_US + (uint64_t)cpu * 4 * XC_STEP_US);
	if (wait_change(&slots[cpu].turn, XC_IDLE, deadline) == XC_IDLE &&
	    swap(&slots[cpu].turn, XC_IDLE, XC_WITHDRAWN)) {
		skip_all(s, "the boot CPU, which sends the INIT and SIPI, did not come to this CPU in time");
		return;
	}
	under_test(cpu, r, s);
}

void vmx_cross_cpu(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s)
{
	store(&slots[cpu].part, PART_ARRIVED);
	if (cpu == 0)
		boot_cpu(r, s);
	else
		ap(cpu, r, s);
}
