/* SPDX-License-Identifier: MIT */
/*
 * Multiprocessor start-up. SDM Vol. 3A, chapter "Multiple-Processor
 * Management", section "MP Initialization Protocol Algorithm for MP Systems"
 * and "Typical BSP Initialization Sequence":
 *   "MOV ICR_LOW, 000C4500H  ; broadcast INIT IPI ...
 *    10-millisecond delay loop
 *    MOV ICR_LOW, 000C46XXH  ; broadcast SIPI IPI ...
 *    200-microsecond delay loop
 *    MOV ICR_LOW, 000C46XXH  ; second SIPI
 *    200-microsecond delay loop"
 * We send the same IPIs, but targeted at each enabled CPU of the firmware's list
 * (a broadcast would also wake CPUs the firmware disabled), and in parallel:
 * every INIT first, one wait, every SIPI, one wait, the second SIPIs, one wait.
 *
 * The list is the ACPI MADT's; without a usable MADT, the MP table's (Intel
 * MultiProcessor Specification 1.4). When neither exists, or a walk was cut
 * short, the list is said to be unknown or incomplete and the verdict is FAIL:
 * vmxprobe never claims every CPU was checked when it cannot know how many
 * there are. Each CPU is identified by its local APIC's own ID register, as
 * the MADT and the IPIs name it; CPUID's ID is only a cross-check.
 */
#include "kernel/smp.h"

#include "arch/apic.h"
#include "arch/desc.h"
#include "arch/trampoline.h"
#include "arch/tsc.h"
#include "arch/x86.h"
#include "kernel/acpi.h"
#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "kernel/mptable.h"
#include "kernel/run.h"
#include "lib/apic.h"
#include "lib/cpulist.h"
#include "lib/msr-index.h"
#include "lib/processor-flags.h"
#include "lib/string.h"

#define XAPIC_MAX_ID            0xfe    /* 0xff is the xAPIC broadcast ID */
#define LOW_MEMORY_END          0x100000
/* Bound on waiting for the APs to check in: generous for emulators. */
#define AP_TIMEOUT_BASE_US      2000000
#define AP_TIMEOUT_PER_CPU_US   20000
/* inject=late-ap: how long the late AP waits for the BSP's deadline at most. */
#define LATE_AP_WAIT_US         30000000

void (*smp_ap_work)(struct percpu *c);
static unsigned n_cpus = 1;
static unsigned strays;                 /* APs that found no slot of their own */
static bool checkin_closed;             /* the BSP's deadline has passed (atomic) */

void ap_entry(uint32_t ticket);

unsigned smp_cpu_count(void)
{
	return n_cpus;
}

static int index_of_apic(uint32_t id)
{
	for (unsigned i = 0; i < n_cpus; i++)
		if (cpus[i].apic_id == id)
			return (int)i;
	return -1;
}

/* inject=late-ap: the last AP checks in only after the BSP stopped waiting. */
static void late_ap_hook(unsigned idx)
{
	if (options.inject != INJECT_LATE_AP || idx != n_cpus - 1)
		return;
	uint64_t deadline = time_deadline_us(LATE_AP_WAIT_US);
	while (!__atomic_load_n(&checkin_closed, __ATOMIC_ACQUIRE) && !time_passed(deadline))
		cpu_relax();
}

/* An AP's first C code, on its own stack (see boot/trampoline.S). */
void ap_entry(uint32_t ticket)
{
	uint64_t now = rdtsc();

	(void)ticket;
	/* The local APIC in the BSP's mode first: its ID register says who we are. */
	lapic_init_ap();
	int idx = index_of_apic(lapic_id());
	if (idx <= 0) {
		__atomic_add_fetch(&strays, 1, __ATOMIC_RELAXED);
		halt_forever();
	}
	/* Per-CPU block and GS base, then descriptor tables (faults are reported
	 * from here on). */
	struct percpu *c = percpu_init((uint32_t)idx);
	cpu_load_descriptors(&c->arch);
	c->cpuid_apic_id = cpu_apic_id_cpuid();
	c->up_tsc = now;
	late_ap_hook((unsigned)idx);
	/* Check in, unless the BSP's deadline closed the door already. */
	uint32_t expected = CHECKIN_WAITING;
	if (!__atomic_compare_exchange_n(&c->checkin, &expected, CHECKIN_ONLINE, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&c->checkin, CHECKIN_LATE_ARRIVED, __ATOMIC_RELEASE);
		halt_forever();
	}
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	if (smp_ap_work)
		smp_ap_work(c);
	/* A CPU whose VMXOFF failed must not stay in VMX operation while parked. */
	c->left_vmx = cpu_leave_vmx();
	cpu_leave_svm();
	halt_forever();
}

/* Copy the trampoline to a free page below 1 MiB; return its SIPI vector or -1. */
static int trampoline_setup(void)
{
	uint64_t page = boot_info.low_page ? boot_info.low_page :
			mb2_pick_page(&boot_info, 0x1000, LOW_MEMORY_END);

	if (!page) {
		kprintf("smp: no free 4 KiB page below 1 MiB in the memory map for the AP trampoline\n");
		return -1;
	}
	uint8_t *p = phys_to_virt(page);
	size_t size = (uintptr_t)tramp_end - (uintptr_t)tramp_start;

	/* 0xCC is INT3: an AP that strays into the page faults at once. */
	memset(p, 0xcc, 4096);
	memcpy(p, tramp_start, size);

	extern const uint8_t boot_gdt[];
	extern const struct desc_ptr boot_gdt_ptr;
	extern uint64_t boot_pml4[];
	struct tramp_mailbox *mb = (struct tramp_mailbox *)(p + TRAMP_MAILBOX);
	memset(mb, 0, sizeof(*mb));
	mb->gdt_limit = boot_gdt_ptr.limit;
	mb->gdt_base = (uint32_t)(uintptr_t)boot_gdt;
	mb->far32_off = (uint32_t)(page + ((uintptr_t)tramp_pm_entry - (uintptr_t)tramp_start));
	mb->far32_sel = __KERNEL32_CS;
	mb->far64_off = (uint32_t)(page + ((uintptr_t)tramp_lm_entry - (uintptr_t)tramp_start));
	mb->far64_sel = __KERNEL_CS;
	mb->cr3 = (uint32_t)(uintptr_t)boot_pml4;
	mb->efer = (uint32_t)(rdmsr(MSR_EFER) & (EFER_LME | EFER_NX));
	mb->entry64 = (uint64_t)(uintptr_t)ap_entry;
	mb->stacks = (uint64_t)(uintptr_t)ap_stacks;
	mb->ticket = 0;
	mb->stack_size = CPU_STACK_SIZE;
	mb->max_tickets = MAX_CPUS - 1;
	kprintf("smp: trampoline page=0x%lx vector=0x%lx\n", page, page >> 12);
	return (int)(page >> 12);
}

static void check_ipi(unsigned i, const char *what, bool delivered)
{
	uint32_t esr = lapic_read_esr();

	if (!delivered)
		kprintf("smp: cpu=%u apic=%u ipi=%s not accepted (ICR delivery status stuck)\n", i,
			cpus[i].apic_id, what);
	if (esr)
		kprintf("smp: cpu=%u apic=%u ipi=%s esr=0x%x\n", i, cpus[i].apic_id, what, esr);
}

static bool online(unsigned i)
{
	return cpu_is_online(&cpus[i]);
}

/* Checked in, or stopped by an exception before it could. */
static bool settled(unsigned i)
{
	return cpu_is_online(&cpus[i]) || cpu_has_faulted(&cpus[i]);
}

/* Parallel INIT-SIPI-SIPI to cpus[1..last); returns the TSC of the first INIT. */
static uint64_t start_aps(int vector, unsigned last, uint64_t *sipi_tsc)
{
	bool sdm = options.smp_delay == SMP_DELAY_SDM;
	/* SDM: 10 ms after INIT, 200 us after each SIPI. "modern" is Linux's policy
	 * for current CPUs (init_udelay = 0, 10 us after each SIPI). */
	uint64_t init_wait = sdm ? 10000 : 0, sipi_wait = sdm ? 200 : 10;
	uint64_t t0 = rdtsc();

	lapic_read_esr();
	/* Assert INIT on each target CPU. */
	for (unsigned i = 1; i < last; i++)
		check_ipi(i, "init", lapic_send_ipi(cpus[i].apic_id, APIC_INT_ASSERT | APIC_DM_INIT));
	udelay(init_wait);
	*sipi_tsc = rdtsc();
	/* STARTUP IPI, twice ("the second SIPI is ignored by an AP already running"). */
	for (int round = 0; round < 2; round++) {
		for (unsigned i = 1; i < last; i++)
			if (!online(i))
				check_ipi(i, "sipi",
					  lapic_send_ipi(cpus[i].apic_id, APIC_DM_STARTUP | (uint32_t)vector));
		udelay(sipi_wait);
	}
	return t0;
}

/* Wait (bounded) for the APs; at the deadline close the door on the missing ones. */
static void wait_for_aps(void)
{
	uint64_t deadline = time_deadline_us(AP_TIMEOUT_BASE_US +
					     AP_TIMEOUT_PER_CPU_US * (uint64_t)n_cpus);
	for (;;) {
		unsigned done = 0;
		for (unsigned i = 1; i < n_cpus; i++)
			done += settled(i);
		if (done == n_cpus - 1 || time_passed(deadline))
			break;
		cpu_relax();
	}
	for (unsigned i = 1; i < n_cpus; i++) {
		uint32_t expected = CHECKIN_WAITING;
		__atomic_compare_exchange_n(&cpus[i].checkin, &expected, CHECKIN_LATE, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	}
	__atomic_store_n(&checkin_closed, true, __ATOMIC_RELEASE);
}

static void print_cpus(uint64_t sipi_tsc)
{
	for (unsigned i = 0; i < n_cpus; i++) {
		struct percpu *c = &cpus[i];
		if (online(i)) {
			uint64_t up = i == 0 || c->up_tsc < sipi_tsc ? 0 : tsc_to_us(c->up_tsc - sipi_tsc);
			kprintf("cpu: index=%u apic=%u online up_us=%lu\n", i, c->apic_id, up);
			if (c->cpuid_apic_id != c->apic_id)
				kprintf("smp: cpu=%u apic=%u cpuid_apic_id=%u: CPUID and the local APIC disagree (the local APIC's ID is used)\n",
					i, c->apic_id, c->cpuid_apic_id);
		} else if (cpu_has_faulted(c)) {
			kprintf("smp: cpu=%u apic=%u faulted during start-up\n", i, c->apic_id);
		} else {
			kprintf("smp: cpu=%u apic=%u no-response\n", i, c->apic_id);
		}
	}
}

void smp_report_late(void)
{
	for (unsigned i = 1; i < n_cpus; i++)
		if (__atomic_load_n(&cpus[i].checkin, __ATOMIC_ACQUIRE) == CHECKIN_LATE_ARRIVED)
			kprintf("smp: cpu=%u apic=%u checked in after the deadline: not counted, parked\n",
				i, cpus[i].apic_id);
}

static void cpu_list_partial(const char *state, const char *detail)
{
	kprintf("smp: cpu_list=%s detail=\"%s\"\n", state, detail);
	counts.cpu_list_partial = true;
}

/* The firmware's list of CPUs: the MADT's, else the MP table's; NULL if none. */
static const struct madt_info *firmware_cpus(const char **from)
{
	static struct madt_info mp;

	if (acpi.have_madt) {
		*from = "madt";
		if (!acpi.madt.complete)
			cpu_list_partial("incomplete",
					 "the MADT walk stopped early (see acpi: warning:): CPUs listed after that point are unknown");
		return &acpi.madt;
	}
	mp.cpus = acpi_cpus;
	mp.cap = ACPI_CPUS_MAX;
	if (mptable_find(&mp)) {
		*from = "mptable";
		kprintf("smp: no usable MADT: using the MP table's list of CPUs\n");
		if (!mp.complete)
			cpu_list_partial("incomplete",
					 "the MP table walk stopped early (see smp: mptable warning:): CPUs listed after that point are unknown");
		return &mp;
	}
	*from = "none";
	cpu_list_partial("unknown",
			 "no usable MADT and no MP table: only the boot CPU can be checked, others may exist");
	return 0;
}

/*
 * CPUID leaves 0BH/1FH count the logical processors the package was built with
 * (SDM Vol. 2A, "Extended Topology Enumeration"). A firmware list shorter than
 * that may be short (or cores and threads were disabled in setup): say so.
 */
static void topology_leaf(void *ctx, unsigned sub, uint32_t *ebx, uint32_t *ecx)
{
	struct cpuid_regs r = cpuid_count(*(uint32_t *)ctx, sub);

	*ebx = r.b;
	*ecx = r.c;
}

static void check_topology(unsigned listed)
{
	uint32_t max = cpuid(0).a, leaf = 0;

	if (max >= 0x1f && cpuid_count(0x1f, 0).b)
		leaf = 0x1f;
	else if (max >= 0xb && cpuid_count(0xb, 0).b)
		leaf = 0xb;
	if (!leaf)
		return;
	unsigned per_package = topology_logical_per_package(topology_leaf, &leaf);
	if (per_package > listed)
		kprintf("smp: warning: the firmware lists %u CPUs but CPUID leaf 0x%xh counts %u logical processors in this package: the list may be short (or cores/threads are disabled in setup)\n",
			listed, leaf, per_package);
}

/*
 * The boot CPU: the local APIC in the mode the list needs (x2APIC when the
 * firmware chose it or an APIC ID does not fit xAPIC's 8 bits), and its ID
 * read from the APIC itself. false if the APIC is unusable.
 */
static bool bsp_identify(uint32_t max_id)
{
	bool ok = lapic_init_bsp(max_id > XAPIC_MAX_ID);

	if (ok && options.inject == INJECT_APIC_ID && lapic_mode() == APIC_MODE_XAPIC)
		lapic_set_xapic_id(lapic_id() + 0x40);  /* inject=apic-id: docs/testing.md */
	cpus[0].cpuid_apic_id = cpu_apic_id_cpuid();
	cpus[0].apic_id = ok ? lapic_id() : cpus[0].cpuid_apic_id;
	return ok;
}

static void plan_note(void *ctx, enum cpu_plan_note why, const struct madt_cpu *e)
{
	(void)ctx;
	if (why == CPU_PLAN_DISABLED)
		kprintf("smp: apic=%u present but not enabled (flags=0x%x%s): not started\n",
			e->apic_id, e->flags, e->flags & MADT_ONLINE_CAPABLE ? ", online capable" : "");
	else
		kprintf("smp: apic=%u beyond MAX_CPUS=%u: left parked (rebuild with a larger MAX_CPUS)\n",
			e->apic_id, MAX_CPUS);
}

/* Which CPUs of the firmware's list to start (lib/cpulist.c), said line by line. */
static void plan_cpus(struct cpu_plan *p, const struct madt_info *fw, const char *from,
		      bool apic_ok)
{
	cpu_plan_build(p, fw, cpus[0].apic_id, plan_note, 0);
	if (fw->overflow)
		kprintf("smp: %u more enabled CPUs than the %u entries kept: left parked\n",
			fw->overflow, ACPI_CPUS_MAX);
	if (!p->bsp_listed)
		kprintf("smp: the boot CPU (apic=%u) is not an enabled entry of the firmware's list\n",
			cpus[0].apic_id);
	check_topology(fw->enabled + fw->disabled);
	/* ACPI 6.5, 5.2.12.8: the MADT's address (or its type 5 override) should
	 * match IA32_APIC_BASE, which is what the CPU decodes; say so if not. */
	if (apic_ok && lapic_mode() == APIC_MODE_XAPIC && fw->lapic_addr != lapic_phys_base())
		kprintf("smp: %s local APIC address 0x%lx%s differs from IA32_APIC_BASE 0x%lx: using IA32_APIC_BASE\n",
			str_eq(from, "madt") ? "MADT" : "MP table", fw->lapic_addr,
			fw->lapic_override ? " (override)" : "", lapic_phys_base());
	if (!apic_ok) {
		kprintf("smp: the local APIC is disabled or out of reach: running on the BSP alone\n");
		p->n = 1;
	} else if (lapic_mode() == APIC_MODE_XAPIC && fw->max_apic_id > XAPIC_MAX_ID) {
		kprintf("smp: APIC IDs up to %u need x2APIC, which this CPU lacks: those CPUs are not started\n",
			fw->max_apic_id);
		cpu_plan_limit_ids(p, XAPIC_MAX_ID);
	}
}

/* Start the planned APs and wait (bounded) for them; returns bringup_us. */
static uint64_t bring_up(uint64_t *sipi_tsc)
{
	int vector = trampoline_setup();

	if (vector <= 0)
		return 0;
	/* inject=no-sipi: leave the last CPU alone, to see no-response. */
	unsigned end = options.inject == INJECT_NO_SIPI ? n_cpus - 1 : n_cpus;
	uint64_t t0 = start_aps(vector, end, sipi_tsc);
	wait_for_aps();
	uint64_t last = t0;
	for (unsigned i = 1; i < n_cpus; i++)
		if (online(i) && cpus[i].up_tsc > last)
			last = cpus[i].up_tsc;
	return tsc_to_us(last - t0);
}

void smp_init(void)
{
	static uint32_t ids[MAX_CPUS];
	struct cpu_plan plan = { ids, MAX_CPUS, 1, 1, 0, true, 0 };
	uint64_t bringup_us = 0, sipi_tsc = 0;
	unsigned reached = 0;
	const char *from;

	const struct madt_info *fw = firmware_cpus(&from);
	bool apic_ok = bsp_identify(fw ? fw->max_apic_id : 0);
	ids[0] = cpus[0].apic_id;
	if (fw)
		plan_cpus(&plan, fw, from, apic_ok);
	n_cpus = plan.n;
	for (unsigned i = 1; i < n_cpus; i++) {
		percpu_clear(i);
		cpus[i].apic_id = ids[i];
	}
	if (n_cpus > 1)
		bringup_us = bring_up(&sipi_tsc);

	for (unsigned i = 0; i < n_cpus; i++)
		reached += online(i);
	if (strays)
		kprintf("smp: %u CPUs started that are not in our list: parked\n", strays);
	kprintf("smp: apic=%s enumerated=%u disabled=%u online=%u bringup_us=%lu\n",
		lapic_mode() == APIC_MODE_X2APIC ? "x2apic" : "xapic", plan.enumerated,
		plan.disabled, reached, bringup_us);
	print_cpus(sipi_tsc);
	counts.enumerated = plan.enumerated;
	counts.online = reached;
	for (unsigned i = 1; i < n_cpus; i++)
		if (cpu_has_faulted(&cpus[i]))
			counts.fault = true;
}

void smp_wait_for_aps(unsigned n, bool (*finished)(unsigned cpu), unsigned timeout_us)
{
	uint64_t deadline = time_deadline_us(timeout_us);

	for (;;) {
		unsigned pending = 0;
		for (unsigned i = 1; i < n; i++)
			pending += cpu_is_online(&cpus[i]) && !cpu_has_faulted(&cpus[i]) && !finished(i);
		if (!pending || time_passed(deadline))
			return;
		cpu_relax();
	}
}
