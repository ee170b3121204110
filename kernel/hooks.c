/* SPDX-License-Identifier: MIT */
/* Test hooks: see hooks.h. */
#include "kernel/hooks.h"

#include "arch/apic.h"
#include "arch/tsc.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"
#include "lib/processor-flags.h"
#include "lib/string.h"
#include "lib/vmcs_config.h"

/* An MSR index no CPU implements (outside every architectural and vendor range). */
#define SELFTEST_BAD_MSR        0x3fffffffu
#define SELFTEST_NONCANONICAL   0x8000000000000000ul
#define NMI_WAIT_US             1000000
#define NMI_OUTSIDE_WAIT_US     30000000

void hooks_bsp(void)
{
	/* inject=fault: a deliberate #UD, so tests see the fault report. */
	if (options.inject == INJECT_FAULT) {
		kprintf("selftest: executing ud2 on purpose\n");
		ud2();
	}
	/*
	 * inject=fixup: exceptions that the fix-up table catches. SDM Vol. 3A,
	 * "Canonical Addressing": a load from a non-canonical address raises #GP;
	 * Vol. 2B, RDMSR/WRMSR: "#GP(0) if the value in ECX specifies a reserved or
	 * unimplemented MSR address" (QEMU TCG reads such MSRs as 0 instead).
	 */
	if (options.inject == INJECT_FIXUP) {
		uint64_t v = 0;
		int vec = read64_safe(SELFTEST_NONCANONICAL, &v);
		kprintf("selftest: fixup load(0x%lx) vector=%d\n", SELFTEST_NONCANONICAL, vec);
		vec = rdmsr_safe(SELFTEST_BAD_MSR, &v);
		kprintf("selftest: fixup rdmsr(0x%x) vector=%d\n", SELFTEST_BAD_MSR, vec);
		vec = wrmsr_safe(SELFTEST_BAD_MSR, 0);
		kprintf("selftest: fixup wrmsr(0x%x) vector=%d\n", SELFTEST_BAD_MSR, vec);
	}
}

/* Every online CPU has received at least one NMI (or the deadline passed). */
static bool wait_nmi_everywhere(uint64_t us)
{
	uint64_t deadline = time_deadline_us(us);

	for (;;) {
		unsigned missing = 0;
		for (unsigned i = 0; i < smp_cpu_count(); i++)
			if (cpu_is_online(&cpus[i]) && !__atomic_load_n(&cpus[i].nmi_count, __ATOMIC_RELAXED))
				missing++;
		if (!missing)
			return true;
		if (time_passed(deadline))
			return false;
		cpu_relax();
	}
}

void hooks_after_smp(void)
{
	/*
	 * inject=nmi: an NMI to every online CPU, this one included (SDM Vol. 3A,
	 * "Interrupt Command Register (ICR)": delivery mode 100B NMI, to each APIC
	 * ID; no broadcast, which would reach parked CPUs outside our list too).
	 * Each CPU counts it and carries on.
	 */
	if (options.inject == INJECT_NMI) {
		kprintf("selftest: sending an NMI to every CPU\n");
		for (unsigned i = 0; i < smp_cpu_count(); i++)
			if (cpu_is_online(&cpus[i]))
				lapic_send_ipi(cpus[i].apic_id, APIC_DM_NMI);
		if (!wait_nmi_everywhere(NMI_WAIT_US))
			kprintf("selftest: not every CPU saw the NMI within %u ms\n", NMI_WAIT_US / 1000);
	}
	/*
	 * inject=nmi-wait: an NMI from outside (QEMU's monitor command "nmi",
	 * like a BMC or the chassis button). It arrives through LINT1, which the
	 * firmware programs for NMI on the boot CPU only (as Linux does: APs keep
	 * LINT1 masked), so the boot CPU is the one that must see it.
	 */
	if (options.inject == INJECT_NMI_WAIT) {
		kprintf("selftest: waiting up to %u s for an NMI on the boot CPU\n",
			NMI_OUTSIDE_WAIT_US / 1000000);
		uint64_t deadline = time_deadline_us(NMI_OUTSIDE_WAIT_US);
		while (!__atomic_load_n(&cpus[0].nmi_count, __ATOMIC_RELAXED) && !time_passed(deadline))
			cpu_relax();
		if (!cpus[0].nmi_count)
			kprintf("selftest: no NMI within %u s\n", NMI_OUTSIDE_WAIT_US / 1000000);
	}
	/* inject=late-ap: let the late AP arrive (bounded) so its line is seen. */
	if (options.inject == INJECT_LATE_AP && smp_cpu_count() > 1) {
		uint64_t deadline = time_deadline_us(NMI_WAIT_US);
		while (__atomic_load_n(&cpus[smp_cpu_count() - 1].checkin, __ATOMIC_ACQUIRE) !=
		       CHECKIN_LATE_ARRIVED && !time_passed(deadline))
			cpu_relax();
	}
}

void hooks_ap(struct percpu *c)
{
	/* inject=fault-ap: a deliberate #UD on CPU 1, reported by that CPU. */
	if (options.inject == INJECT_FAULT_AP && c->index == 1)
		ud2();
}

/* inject=vmx-left-on: the VMXON region and current VMCS of "another hypervisor". */
static uint8_t left_on_region[2][4096] __attribute__((aligned(4096)));

void hooks_before_vmxon(unsigned cpu, uint64_t vmxon_pa)
{
	uint64_t f;

	if (options.inject != INJECT_VMX_LEFT_ON || cpu != 0)
		return;
	/* As if firmware or another hypervisor had left VMX on with a current
	 * VMCS: the probe's VMXON then meets VMX root operation ("VMfail" is
	 * VMfailValid 15 with a current VMCS). The regions carry the revision
	 * identifier the probe wrote into its own. */
	for (unsigned i = 0; i < 2; i++)
		memcpy(left_on_region[i], phys_to_virt(vmxon_pa), 4);
	vmxon_safe((uint64_t)(uintptr_t)left_on_region[0], &f);
	vmclear_safe((uint64_t)(uintptr_t)left_on_region[1], &f);
	vmptrld_safe((uint64_t)(uintptr_t)left_on_region[1], &f);
}

void hooks_in_vmx_root(unsigned cpu)
{
	/* inject=fault-ap-vmx: an exception in VMX root operation on CPU 1. */
	if (options.inject == INJECT_FAULT_AP_VMX && cpu == 1)
		ud2();
}

/*
 * inject=bad-control|bad-host|bad-guest (and their -nocheck forms): one VMCS
 * field of CPU 0 broken on purpose, one of each class the SDM checks at VM
 * entry: a pin-based control bit no CPU allows (bit 31: "Checks on VM-Execution
 * Control Fields"), host CR4 without VMXE ("Checks on Host Control Registers"),
 * guest RFLAGS without its reserved bit 1 ("Checks on Guest RIP, RFLAGS"). The
 * -nocheck forms skip vmxprobe's own check, so the CPU itself judges.
 */
bool hooks_break_vmcs(unsigned cpu, struct vmcs_config *c)
{
	enum inject t = options.inject;

	if (cpu != 0)
		return true;
	if (t == INJECT_BAD_CONTROL || t == INJECT_BAD_CONTROL_NOCHECK)
		c->pin |= BIT(31);
	else if (t == INJECT_BAD_HOST || t == INJECT_BAD_HOST_NOCHECK)
		c->host_cr4 &= ~X86_CR4_VMXE;
	else if (t == INJECT_BAD_GUEST || t == INJECT_BAD_GUEST_NOCHECK)
		c->guest_rflags &= ~X86_EFLAGS_FIXED;
	return t != INJECT_BAD_CONTROL_NOCHECK && t != INJECT_BAD_HOST_NOCHECK &&
	       t != INJECT_BAD_GUEST_NOCHECK;
}
