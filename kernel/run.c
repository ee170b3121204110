/* SPDX-License-Identifier: MIT */
/* The end of the run: see run.h. */
#include "kernel/run.h"

#include "arch/fw_cfg.h"
#include "arch/reset.h"
#include "arch/tsc.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/smp.h"
#include "lib/cpufeatures.h"

/*
 * QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,iosize=0x04):
 * a write of V makes QEMU exit with status (V << 1) | 1.
 * Bochs: writing the string "Shutdown" to port 0x8900 ends the simulation
 * (Bochs's iodev/unmapped.cc).
 */
#define QEMU_DEBUG_EXIT_PORT    0xf4
#define BOCHS_SHUTDOWN_PORT     0x8900

struct vp_counts counts;
static enum exit_mode exit_method = EXIT_HALT;  /* until the command line is read */
static int32_t reboot_after = -1;

/*
 * SDM Vol. 2A, CPUID leaf 01H: ECX bit 31 is reserved for use by hypervisors
 * to say they are there; leaf 40000000H then returns their vendor signature
 * in EBX, ECX, EDX (the convention KVM and QEMU TCG follow).
 */
static void exit_facts_read(struct exit_facts *f)
{
	*f = (struct exit_facts){ 0 };
	f->hypervisor = (cpuid(1).c >> X86_FEATURE_HYPERVISOR_BIT) & 1;
	if (f->hypervisor) {
		struct cpuid_regs r = cpuid(0x40000000);
		exit_facts_set_vendor(f, r.b, r.c, r.d);
	}
	bootinfo_acpi_oem(f->acpi_oem);
	/* QEMU's fw_cfg device, where a hypervisor or QEMU's ACPI OEM ID says it
	 * may be there (never probed on bare metal: see arch/fw_cfg.h). */
	if (exit_may_probe_fw_cfg(f))
		f->fw_cfg_qemu = fw_cfg_is_qemu();
}

static struct exit_facts facts;

const char *run_hypervisor_vendor(void)
{
	return facts.hv_vendor;
}

void run_choose_exit(enum exit_mode requested, int32_t reboot)
{
	exit_facts_read(&facts);
	exit_method = exit_method_decide(requested, &facts);
	reboot_after = reboot;
}

void run_print_exit(void)
{
	if (exit_method == EXIT_HALT && reboot_after >= 0)
		kprintf("exit: method=halt reboot_after_s=%d\n", reboot_after);
	else
		kprintf("exit: method=%s\n", exit_mode_str(exit_method));
}

void run_end(enum verdict v)
{
	irq_disable();
	log_flush();
	if (exit_method == EXIT_QEMU) {
		outb(QEMU_DEBUG_EXIT_PORT, verdict_qemu_exit_value(v));
	} else if (exit_method == EXIT_BOCHS) {
		for (const char *s = "Shutdown"; *s; s++)
			outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	}
	/* Bare metal, or the port did nothing: stay halted with the result shown,
	 * or (reboot=N) reset after N seconds, for labs that boot machines in turn. */
	if (exit_method == EXIT_HALT && reboot_after >= 0) {
		udelay((uint64_t)reboot_after * 1000000);
		machine_reset();
	}
	halt_forever();
}

/*
 * Before the summary: the boot CPU leaves VMX operation if it is still in it
 * (an AP does so itself before it parks); then what each CPU still has to say:
 * a late check-in, having been left in VMX operation, NMIs received.
 */
static void last_words(void)
{
	cpus[0].left_vmx = cpu_leave_vmx();
	cpu_leave_svm();
	smp_report_late();
	for (unsigned i = 0; i < smp_cpu_count(); i++) {
		const struct percpu *c = &cpus[i];
		uint32_t nmis = __atomic_load_n(&c->nmi_count, __ATOMIC_RELAXED);
		if (c->left_vmx)
			kprintf("vmx: cpu=%u apic=%u was still in VMX operation at its end: left it with VMXOFF\n",
				i, c->apic_id);
		if (c->arch.keep_vmx)
			kprintf("vmx: cpu=%u apic=%u kept in VMX operation at its end: an INIT is pending, "
				"which VMXOFF would deliver (a reset)\n", i, c->apic_id);
		if (nmis)
			kprintf("nmi: cpu=%u count=%u\n", i, nmis);
	}
}

static void __attribute__((noreturn)) summary_and_end(void)
{
	enum verdict v = verdict_decide(&counts);

	/* ext=svm at the end where the CPUs' extension is AMD SVM: on=, no-vmx= and
	 * locked-off= then count SVM on, without it, and disabled (docs/protocol.md). */
	kprintf("vmxprobe: summary cpus=%u/%u on=%u no-vmx=%u locked-off=%u failed=%u guest=%u verdict=%s%s\n",
		counts.online, counts.enumerated, counts.on, counts.no_vmx,
		counts.locked_off, counts.failed, counts.guest_ok, verdict_str(v),
		counts.svm ? " ext=svm" : "");
	run_end(v);
}

void run_finish(void)
{
	last_words();
	summary_and_end();
}

void run_stop_before_cpus(void)
{
	/* No CPU was looked at: none is counted, and a run with none is FAIL
	 * (verdict_decide()). */
	counts.online = 0;
	counts.enumerated = 0;
	summary_and_end();
}

void run_finish_after_fault(void)
{
	counts.fault = true;
	run_finish();
}
