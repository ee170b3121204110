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
 * We send the same IPIs, but targeted at each enabled MADT CPU (a broadcast would
 * also wake CPUs the firmware disabled), and in parallel: every INIT first, one
 * wait, every SIPI, one wait, the second SIPIs, one wait.
 */
#include "kernel/smp.h"

#include "arch/apic.h"
#include "arch/desc.h"
#include "arch/msr-index.h"
#include "arch/processor-flags.h"
#include "arch/trampoline.h"
#include "arch/x86.h"
#include "kernel/acpi.h"
#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "kernel/report.h"
#include "kernel/time.h"
#include "lib/string.h"

#define XAPIC_MAX_ID            0xfe    /* 0xff is the xAPIC broadcast ID */
#define LOW_MEMORY_END          0x100000
/* Bound on waiting for the APs to check in: generous for emulators. */
#define AP_TIMEOUT_BASE_US      2000000
#define AP_TIMEOUT_PER_CPU_US   20000

void (*smp_ap_work)(struct percpu *c);
static unsigned n_cpus = 1;
static unsigned strays;                 /* APs that found no slot of their own */

void ap_entry(uint32_t ticket);

unsigned smp_cpu_count(void)
{
	return n_cpus;
}

static void park(void)
{
	for (;;) {
		irq_disable();
		halt();
	}
}

static int index_of_apic(uint32_t id)
{
	for (unsigned i = 0; i < n_cpus; i++)
		if (cpus[i].apic_id == id)
			return (int)i;
	return -1;
}

/* An AP's first C code, on its own stack (see boot/trampoline.S). */
void ap_entry(uint32_t ticket)
{
	uint64_t now = rdtsc();
	int idx = index_of_apic(cpu_apic_id());

	(void)ticket;
	if (idx <= 0) {
		__atomic_add_fetch(&strays, 1, __ATOMIC_RELAXED);
		park();
	}
	/* Per-CPU block and GS base first, then descriptor tables (faults are
	 * reported from here on), then the local APIC in the BSP's mode. */
	struct percpu *c = percpu_init((uint32_t)idx);
	cpu_load_descriptors(c);
	lapic_init_ap();
	c->up_tsc = now;
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	if (smp_ap_work)
		smp_ap_work(c);
	park();
}

/* Copy the trampoline to a free page below 1 MiB; return its SIPI vector or -1. */
static int trampoline_setup(void)
{
	uint64_t page = mb2_pick_page(&boot_info, 0x1000, LOW_MEMORY_END);

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
	mb->stacks = (uint64_t)(uintptr_t)cpu_stacks;
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

static void print_cpus(uint64_t sipi_tsc)
{
	for (unsigned i = 0; i < n_cpus; i++) {
		struct percpu *c = &cpus[i];
		if (online(i)) {
			uint64_t up = i == 0 || c->up_tsc < sipi_tsc ? 0 : tsc_to_us(c->up_tsc - sipi_tsc);
			kprintf("cpu: index=%u apic=%u online up_us=%lu\n", i, c->apic_id, up);
		} else if (cpu_has_faulted(c)) {
			kprintf("smp: cpu=%u apic=%u faulted during start-up\n", i, c->apic_id);
		} else {
			kprintf("smp: cpu=%u apic=%u no-response\n", i, c->apic_id);
		}
	}
}

void smp_init(void)
{
	static struct acpi_facts af;
	unsigned enumerated = 1, disabled = 0, reached = 0;
	uint64_t bringup_us = 0, sipi_tsc = 0;

	acpi_init(&af);
	time_init(&af.pm, options.time_source);
	if (time_forced_source_failed())
		kprintf("time: the time.source= asked for does not work here: using the next one\n");
	kprintf("time: tsc_khz=%lu source=%s\n", tsc_khz(), time_source());

	cpus[0].apic_id = cpu_apic_id();
	n_cpus = 1;
	if (!af.have_madt) {
		kprintf("smp: no usable MADT: running on the BSP alone\n");
	} else {
		bool bsp_listed = false;
		uint32_t max_id = cpus[0].apic_id;
		for (unsigned k = 0; k < af.madt.stored; k++) {
			const struct madt_cpu *e = &af.madt.cpus[k];
			if (!(e->flags & MADT_ENABLED)) {
				kprintf("smp: apic=%u present but not enabled (flags=0x%x%s): not started\n",
					e->apic_id, e->flags,
					e->flags & MADT_ONLINE_CAPABLE ? ", online capable" : "");
				continue;
			}
			if (e->apic_id == cpus[0].apic_id) {
				bsp_listed = true;
				continue;
			}
			if (n_cpus == MAX_CPUS) {
				kprintf("smp: apic=%u beyond MAX_CPUS=%u: left parked (rebuild with a larger MAX_CPUS)\n",
					e->apic_id, MAX_CPUS);
				continue;
			}
			cpus[n_cpus++].apic_id = e->apic_id;
			if (e->apic_id > max_id)
				max_id = e->apic_id;
		}
		if (af.madt.overflow)
			kprintf("smp: %u more enabled CPUs than the %u MADT entries kept: left parked\n",
				af.madt.overflow, ACPI_CPUS_MAX);
		if (!bsp_listed)
			kprintf("smp: the boot CPU (apic=%u) is not an enabled MADT entry\n",
				cpus[0].apic_id);
		enumerated = af.madt.enabled + (bsp_listed ? 0 : 1);
		disabled = af.madt.disabled;

		/* x2APIC when the firmware chose it or an APIC ID does not fit xAPIC's 8 bits. */
		bool apic_ok = lapic_init_bsp(max_id > XAPIC_MAX_ID);
		/* ACPI 6.5, 5.2.12.8: the MADT's address (or its type 5 override) should
		 * match IA32_APIC_BASE, which is what the CPU decodes; say so if not. */
		if (apic_ok && lapic_mode() == APIC_MODE_XAPIC && af.madt.lapic_addr != lapic_phys_base())
			kprintf("smp: MADT local APIC address 0x%lx%s differs from IA32_APIC_BASE 0x%lx: using IA32_APIC_BASE\n",
				af.madt.lapic_addr, af.madt.lapic_override ? " (override)" : "",
				lapic_phys_base());
		if (!apic_ok) {
			kprintf("smp: the local APIC is disabled or out of reach: running on the BSP alone\n");
			n_cpus = 1;
		} else if (lapic_mode() == APIC_MODE_XAPIC && max_id > XAPIC_MAX_ID) {
			kprintf("smp: APIC IDs up to %u need x2APIC, which this CPU lacks: those CPUs are not started\n",
				max_id);
			unsigned keep = 1;
			for (unsigned i = 1; i < n_cpus; i++)
				if (cpus[i].apic_id <= XAPIC_MAX_ID)
					cpus[keep++].apic_id = cpus[i].apic_id;
			n_cpus = keep;
		}
	}

	if (n_cpus > 1) {
		int vector = trampoline_setup();
		if (vector > 0) {
			/* selftest=no-sipi: leave the last CPU alone, to see no-response. */
			unsigned end = options.selftest == SELFTEST_NO_SIPI ? n_cpus - 1 : n_cpus;
			uint64_t t0 = start_aps(vector, end, &sipi_tsc);
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
			uint64_t last = t0;
			for (unsigned i = 1; i < n_cpus; i++)
				if (online(i) && cpus[i].up_tsc > last)
					last = cpus[i].up_tsc;
			bringup_us = tsc_to_us(last - t0);
		}
	}
	for (unsigned i = 0; i < n_cpus; i++)
		reached += online(i);
	if (strays)
		kprintf("smp: %u CPUs started that are not in our list: parked\n", strays);
	kprintf("smp: apic=%s enumerated=%u disabled=%u online=%u bringup_us=%lu\n",
		lapic_mode() == APIC_MODE_X2APIC ? "x2apic" : "xapic", enumerated, disabled,
		reached, bringup_us);
	print_cpus(sipi_tsc);
	counts.enumerated = enumerated;
	counts.online = reached;
	for (unsigned i = 1; i < n_cpus; i++)
		if (cpu_has_faulted(&cpus[i]))
			counts.fault = true;
}
