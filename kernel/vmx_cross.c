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
 * after another, in index order (each AP waits for its turn: XC_IDLE ->
 * XC_SENT when the boot CPU starts on it, -> XC_WITHDRAWN when the AP gives
 * up). Then the first AP that runs them signals the boot CPU, but only if
 * every AP came through all four (none stopped answering): the boot CPU
 * prints the verdict, and one that an INIT resets, or that never leaves the
 * wait-for-SIPI state (which blocks NMIs and INIT, where the preemption timer
 * does not exit), would end the run without one. Each rule is a handshake on one word (enum xc_word):
 * an IPI is sent only to a CPU that waits for it, and every wait is bounded
 * but one: a CPU in the wait-for-SIPI state that no SIPI wakes (the sender
 * tries for XC_SIPI_US; the CPU is then reported lost).
 *
 * An INIT that VMX root operation holds would reset the CPU at VMXOFF: from
 * the moment one is sent until a VM entry shows none pending (the guest
 * reaches its VMCALL), the CPU is marked to stay in VMX operation to the end
 * (arch/cpu.h keep_vmx).
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
#define XC_GUEST_WAIT_US        200000          /* the guest waits this long for its INIT or SIPI */
#define XC_SIPI_US              10000000        /* SIPIs to a CPU in the wait-for-SIPI state, at most */
#define XC_SIPI_RETRY_US        1000            /* a SIPI that came too early is discarded: again */
#define XC_SIPI_VECTOR          0x5e            /* the qualification's value; no code runs there */
#define XC_NONE                 0xffffffffu

enum { PART_UNKNOWN, PART_ARRIVED, PART_ABSENT };
enum { R_HELD, R_EXIT, R_SIPI, R_SIPI_ACTIVE, R_COUNT };
static const enum st_rule_id rule_ids[R_COUNT] = {
	ST_INIT_HELD_IN_ROOT, ST_INIT_EXIT, ST_SIPI_EXIT, ST_SIPI_IGNORED_ACTIVE,
};

/* One CPU's side: whether it runs the rules, its turn, a word per rule, the
 * rules whose IPI the sender's local APIC never reported delivered. */
struct xc_slot {
	uint32_t part, turn, word[R_COUNT], send_failed;
	const char *lost;               /* written by the sender, read by the report */
} __attribute__((aligned(64)));

static struct xc_slot slots[MAX_CPUS];
static uint32_t bsp_sender = XC_NONE;   /* the AP that signals the boot CPU, once known */
static uint32_t bsp_sender_known;
static uint32_t bsp_test;               /* XC_READY: signal the boot CPU; XC_WITHDRAWN: not */

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

/* Rule k's VMCS made current (guest at conf_guest), or false with the rule
 * skipped, said why, and its word withdrawn (the sender sends nothing). */
static bool prepare(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
		    struct xc_slot *me, unsigned k, guest_tweak_fn tweak, uint64_t *vmcs)
{
	const char *why = options_skips_rule(&options, st_rule(rule_ids[k])->id) ?
			  "selftest.skip= on the command line" :
			  guest_vmcs_prepare(cpu, r, (uint64_t)(uintptr_t)conf_guest, tweak, 0, vmcs);

	if (why) {
		s->skip(s->ctx, rule_ids[k], why);
		store(&me->word[k], XC_WITHDRAWN);
	}
	return !why;
}

/* Record o, or skip if the sender's IPI never left its local APIC. */
static void report(const struct conf_sink *s, struct xc_slot *me, unsigned k, struct st_observed o)
{
	if (load(&me->send_failed) & (1u << k))
		s->skip(s->ctx, rule_ids[k], "the sending CPU's local APIC never reported the IPI "
			"delivered (ICR delivery status)");
	else
		s->record(s->ctx, rule_ids[k], o);
}

/* Announce on w and wait (bounded) for the sender to commit; false (the rule
 * skipped, the word withdrawn) when it never did. */
static bool committed(uint32_t *w, const struct conf_sink *s, enum st_rule_id id)
{
	store(w, XC_READY);
	if (wait_change(w, XC_READY, time_deadline_us(XC_STEP_US)) == XC_SENT || !swap(w, XC_READY, XC_WITHDRAWN))
		return true;
	s->skip(s->ctx, id, "the CPU that sends the IPI never answered");
	return false;
}

/* Is an INIT pending? A fresh VMCS whose guest makes a VMCALL: 1 if it gets
 * there (nothing pending: keep_vmx cleared), 0 if an INIT exits first, -1 if
 * the VMCS could not be made. */
static int init_probe(unsigned cpu, const struct vmx_result *r)
{
	uint64_t vmcs = 0, f = 0;

	if (guest_vmcs_prepare(cpu, r, (uint64_t)(uintptr_t)conf_guest, 0, 0, &vmcs))
		return -1;
	struct st_observed o = vmx_conformance_enter(OP_VMCALL, 0, 0, 0);
	vmclear_safe(vmcs, &f);
	if (o.has_exit && o.exit_reason == EXIT_REASON_VMCALL) {
		this_cpu()->arch.keep_vmx = false;
		return 1;
	}
	return o.has_exit && o.exit_reason == EXIT_REASON_INIT_SIGNAL ? 0 : -1;
}

/* "INIT signals are blocked whenever a logical processor is in VMX root
 * operation": blocked, not lost, so the next VM entry exits at once. */
static void rule_held(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
		      struct xc_slot *me)
{
	uint64_t vmcs = 0, f = 0;

	if (!prepare(cpu, r, s, me, R_HELD, 0, &vmcs))
		return;
	if (committed(&me->word[R_HELD], s, ST_INIT_HELD_IN_ROOT)) {
		this_cpu()->arch.keep_vmx = true;
		udelay(XC_SETTLE_US);
		report(s, me, R_HELD, vmx_conformance_enter(OP_VMCALL, 0, 0, 0));
		vmclear_safe(vmcs, &f);
		init_probe(cpu, r);     /* the exit (or a CPU that lost the INIT) left none? */
	} else {
		vmclear_safe(vmcs, &f);
	}
	store(&me->word[R_HELD], XC_DONE);
}

/* The guest of init-exit and sipi-ignored-when-active: it stores XC_READY on
 * the word itself, waits XC_GUEST_WAIT_US and then withdraws (RAX 0), or
 * finds the sender committed and waits a twentieth more for the IPI (RAX 1:
 * an IPI that was to come came while it ran). Its exit, with the word
 * withdrawn if the guest left before it could say (an exit of another kind):
 * then no IPI is sent after; *sent says whether the sender committed; the
 * rule's VMCS cleared. */
static struct st_observed guest_waits(struct xc_slot *me, unsigned k, uint64_t vmcs, bool *sent)
{
	uint32_t *w = &me->word[k];
	uint64_t f = 0;
	struct st_observed o = vmx_conformance_enter(OP_WAIT_INIT, (uint64_t)(uintptr_t)w,
						     time_deadline_us(XC_GUEST_WAIT_US), 0);

	swap(w, XC_READY, XC_WITHDRAWN);
	*sent = load(w) == XC_SENT;
	vmclear_safe(vmcs, &f);
	return o;
}

/* The guest waited its time and withdrew (VMCALL, RAX 0): no sender came. */
static bool no_sender(const struct st_observed *o, bool sent)
{
	return !sent && o->has_exit && o->exit_reason == EXIT_REASON_VMCALL && !o->value;
}

/* An INIT while the guest runs: exit 3; and the exit consumes it: a fresh VM
 * entry reaches the guest's VMCALL (value 1). One still pending exits at once
 * (value 0), and the CPU stays in VMX operation (keep_vmx) unless a second
 * entry finds none. */
static void rule_exit(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
		      struct xc_slot *me)
{
	uint64_t vmcs = 0;

	if (!prepare(cpu, r, s, me, R_EXIT, 0, &vmcs))
		return;
	bool sent;
	struct st_observed o = guest_waits(me, R_EXIT, vmcs, &sent);
	bool exited = o.has_exit && o.exit_reason == EXIT_REASON_INIT_SIGNAL;
	if (sent)
		this_cpu()->arch.keep_vmx = true;
	if (no_sender(&o, sent)) {
		s->skip(s->ctx, ST_INIT_EXIT, "the CPU that sends the IPI never answered");
	} else {
		if (sent && !exited)
			udelay(XC_SETTLE_US);
		int first = sent ? init_probe(cpu, r) : 1;
		if (first == 0)
			init_probe(cpu, r);     /* a CPU that took it late: none left now? */
		o.has_value = first >= 0;
		o.value = first == 1;
		o.value_expected = 1;
		report(s, me, R_EXIT, o);
	}
	store(&me->word[R_EXIT], XC_DONE);
}

/* The wait-for-SIPI activity state: the guest runs nothing until a SIPI,
 * which exits. The sender sends until this CPU says it is done. */
static void rule_sipi(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
		      struct xc_slot *me)
{
	uint64_t vmcs = 0, f = 0;

	if (!(vmxcap_get(&r->caps, MSR_IA32_VMX_MISC) & VMX_MISC_ACTIVITY_WAIT_SIPI)) {
		s->skip(s->ctx, ST_SIPI_EXIT, "no wait-for-SIPI activity state (IA32_VMX_MISC[8])");
		store(&me->word[R_SIPI], XC_WITHDRAWN);
		return;
	}
	if (!prepare(cpu, r, s, me, R_SIPI, wait_sipi, &vmcs))
		return;
	if (committed(&me->word[R_SIPI], s, ST_SIPI_EXIT))
		report(s, me, R_SIPI, vmx_conformance_enter(OP_VMCALL, 0, 0, 0));
	vmclear_safe(vmcs, &f);
	store(&me->word[R_SIPI], XC_DONE);
}

/* A SIPI to a guest that runs (not in the wait-for-SIPI state) is discarded:
 * the guest reaches its VMCALL (exit 18, value 1: the SIPI was sent). */
static void rule_sipi_active(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
			     struct xc_slot *me)
{
	uint64_t vmcs = 0;

	if (this_cpu()->arch.keep_vmx) {
		s->skip(s->ctx, ST_SIPI_IGNORED_ACTIVE, "an INIT is still pending on this CPU (see "
			"init-exit): every VM entry would exit for it");
		store(&me->word[R_SIPI_ACTIVE], XC_WITHDRAWN);
		return;
	}
	if (!prepare(cpu, r, s, me, R_SIPI_ACTIVE, 0, &vmcs))
		return;
	bool sent;
	struct st_observed o = guest_waits(me, R_SIPI_ACTIVE, vmcs, &sent);
	if (no_sender(&o, sent)) {
		s->skip(s->ctx, ST_SIPI_IGNORED_ACTIVE, "the CPU that sends the IPI never answered");
	} else {
		o.has_value = true;
		o.value_expected = 1;
		report(s, me, R_SIPI_ACTIVE, o);
	}
	store(&me->word[R_SIPI_ACTIVE], XC_DONE);
}

static void skip_all(const struct conf_sink *s, const char *why)
{
	for (unsigned k = 0; k < R_COUNT; k++)
		s->skip(s->ctx, rule_ids[k], why);
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

static void send(unsigned target, unsigned k, uint32_t icr)
{
	if (!lapic_send_ipi(cpus[target].apic_id, icr))
		__atomic_or_fetch(&slots[target].send_failed, 1u << k, __ATOMIC_RELEASE);
}

/* Wait for the target's word k to leave XC_IDLE; if it says XC_READY, commit
 * and send once. Then wait for XC_DONE, or XC_WITHDRAWN (the target gave up
 * or skipped: no IPI comes after): false when it never got there (it stopped
 * answering). */
static bool signal_once(unsigned target, unsigned k, uint32_t icr, uint64_t done_us)
{
	uint32_t *w = &slots[target].word[k];
	uint32_t v = wait_change(w, XC_IDLE, time_deadline_us(XC_STEP_US));

	if (v == XC_READY && swap(w, XC_READY, XC_SENT))
		send(target, k, icr);
	v = load(w);
	if (v == XC_IDLE)
		return true;            /* it never started: nothing sent */
	uint64_t deadline = time_deadline_us(done_us);
	while ((v = load(w)) != XC_DONE && v != XC_WITHDRAWN && !time_passed(deadline))
		cpu_relax();
	return v == XC_DONE || v == XC_WITHDRAWN;       /* withdrawn: no IPI was sent */
}

/* SIPIs until the target is done: one that arrives before its VM entry is
 * discarded ("Other Causes of VM Exits": a SIPI that arrives outside the
 * wait-for-SIPI state is discarded). */
static bool signal_sipi(unsigned target)
{
	uint32_t *w = &slots[target].word[R_SIPI];
	uint32_t v = wait_change(w, XC_IDLE, time_deadline_us(XC_STEP_US));

	if (v != XC_READY || !swap(w, XC_READY, XC_SENT))
		return v == XC_IDLE || v == XC_DONE || v == XC_WITHDRAWN ||
		       wait_change(w, v, time_deadline_us(XC_STEP_US)) == XC_DONE;
	uint64_t deadline = time_deadline_us(XC_SIPI_US);
	while (load(w) != XC_DONE && !time_passed(deadline)) {
		send(target, R_SIPI, APIC_DM_STARTUP | XC_SIPI_VECTOR);
		uint64_t retry = time_deadline_us(XC_SIPI_RETRY_US);
		while (load(w) != XC_DONE && !time_passed(retry))
			cpu_relax();
	}
	return load(w) == XC_DONE;
}

static void lost(unsigned target, enum st_rule_id id)
{
	__atomic_store_n(&slots[target].lost, st_rule(id)->id, __ATOMIC_RELEASE);
}

/* Signal one CPU through its four rules, in the order it runs them; false
 * when it stopped answering (reported lost). */
static bool signal_cpu(unsigned target)
{
	uint32_t init = APIC_INT_ASSERT | APIC_DM_INIT, sipi = APIC_DM_STARTUP | XC_SIPI_VECTOR;

	if (!signal_once(target, R_HELD, init, 2 * XC_STEP_US + XC_SETTLE_US))
		lost(target, ST_INIT_HELD_IN_ROOT);
	else if (!signal_once(target, R_EXIT, init, 2 * XC_STEP_US + XC_GUEST_WAIT_US + XC_SETTLE_US))
		lost(target, ST_INIT_EXIT);
	else if (!signal_sipi(target))
		lost(target, ST_SIPI_EXIT);
	else if (!signal_once(target, R_SIPI_ACTIVE, sipi, 2 * XC_STEP_US + XC_GUEST_WAIT_US))
		lost(target, ST_SIPI_IGNORED_ACTIVE);
	else
		return true;
	return false;
}

/* ------------------------------------------------------------------------- */

/* The boot CPU: name its sender (the first AP that runs the rules), signal
 * every AP that runs them, then be signalled itself if they all came through. */
static void boot_cpu(const struct vmx_result *r, const struct conf_sink *s)
{
	unsigned n = smp_cpu_count();
	uint64_t deadline = time_deadline_us(XC_ARRIVE_US);
	uint32_t sender = XC_NONE;
	bool all_answered = true;

	for (unsigned k = 1; k < n && sender == XC_NONE; k++)
		if (arrived(k, deadline))
			sender = k;
	store(&bsp_sender, sender);
	store(&bsp_sender_known, 1);
	for (unsigned k = 1; k < n; k++) {
		if (!arrived(k, deadline))
			continue;
		if (!swap(&slots[k].turn, XC_IDLE, XC_SENT) || !signal_cpu(k))
			all_answered = false;
	}
	if (sender == XC_NONE) {
		skip_all(s, "no second CPU runs the VMX rules: another CPU must send the INIT and SIPI");
	} else if (!all_answered) {
		store(&bsp_test, XC_WITHDRAWN);
		skip_all(s, "an AP stopped answering in the INIT and SIPI rules, or was not there: the "
			 "boot CPU, which prints the verdict, is signalled only once every AP came through");
	} else {
		store(&bsp_test, XC_READY);
		under_test(0, r, s);
	}
}

/* An AP: wait for its turn, be signalled; then signal the boot CPU if it is
 * the one and the boot CPU says so. */
static void ap(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s)
{
	uint64_t deadline = time_deadline_us(XC_ARRIVE_US);

	while (!load(&bsp_sender_known) && load(&slots[0].part) != PART_ABSENT && !time_passed(deadline))
		cpu_relax();
	if (!load(&bsp_sender_known)) {
		swap(&slots[cpu].turn, XC_IDLE, XC_WITHDRAWN);
		skip_all(s, load(&slots[0].part) == PART_ABSENT ?
			 "the boot CPU, which sends the INIT and SIPI, does not run the VMX rules" :
			 "the boot CPU, which sends the INIT and SIPI, never reached them");
		return;
	}
	/* The boot CPU signals the APs in turn, each in at most a few XC_STEP_US
	 * (and XC_SIPI_US for one that sleeps in the wait-for-SIPI state). */
	uint64_t per_cpu = 8 * XC_STEP_US + XC_SIPI_US;
	deadline = time_deadline_us(XC_ARRIVE_US + (uint64_t)cpu * per_cpu);
	if (wait_change(&slots[cpu].turn, XC_IDLE, deadline) == XC_IDLE &&
	    swap(&slots[cpu].turn, XC_IDLE, XC_WITHDRAWN))
		skip_all(s, "the boot CPU, which sends the INIT and SIPI, did not come to this CPU in time");
	else
		under_test(cpu, r, s);
	if (load(&bsp_sender) != cpu)
		return;
	deadline = time_deadline_us(XC_ARRIVE_US + (uint64_t)smp_cpu_count() * per_cpu);
	if (wait_change(&bsp_test, XC_IDLE, deadline) == XC_READY)
		signal_cpu(0);
}

void vmx_cross_cpu(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s)
{
	store(&slots[cpu].part, PART_ARRIVED);
	if (cpu == 0)
		boot_cpu(r, s);
	else
		ap(cpu, r, s);
}
