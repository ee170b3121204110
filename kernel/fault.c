/* SPDX-License-Identifier: MIT */
/*
 * Exceptions the fix-ups did not expect, and NMIs.
 *
 * An NMI (SDM Vol. 3A, "Nonmaskable Interrupt (NMI)": a BMC, a watchdog, the
 * chassis button, another CPU) is not an error: it is counted on the CPU that
 * takes it and the interrupted code goes on; further NMIs are held off until
 * the IRET ("Handling Multiple NMIs"). Any other exception is reported as
 *   fault: cpu=<i> vector=<n> name=<#XX> error=0x<e> rip=0x<r> cr2=0x<c>
 * On the boot CPU it ends the run with verdict FAIL; an AP leaves VMX operation
 * (INIT and a reset must not be blocked), marks itself faulted, which the boot
 * CPU counts as a failure, and stops.
 */
#include "kernel/fault.h"

#include "arch/trap.h"
#include "arch/x86.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/run.h"

static void nmi(struct percpu *c)
{
	if (c)          /* before this CPU's per-CPU block: nothing to record */
		__atomic_add_fetch(&c->nmi_count, 1, __ATOMIC_RELAXED);
}

static void on_trap(struct trap_frame *f, struct arch_cpu *ac)
{
	struct percpu *c = (struct percpu *)ac;

	if (f->vector == X86_TRAP_NMI) {
		nmi(c);
		return;
	}
	/* A second exception while reporting the first: end the run without printing. */
	if (c && c->in_fault)
		run_end(VERDICT_FAIL);
	if (c)
		c->in_fault = true;

	log_break_lock_if_held();
	kprintf("fault: cpu=%u vector=%lu name=%s error=0x%lx rip=0x%lx cr2=0x%lx\n",
		c ? c->index : 0, f->vector, trap_name((unsigned)f->vector), f->error,
		f->rip, read_cr2());

	if (c && c->index != 0) {
		c->left_vmx = cpu_leave_vmx();
		cpu_leave_svm();
		__atomic_store_n(&c->faulted, true, __ATOMIC_RELEASE);
		halt_forever();
	}
	run_finish_after_fault();
}

void fault_init(void)
{
	trap_set_handler(on_trap);
}
