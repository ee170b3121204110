/* Test hooks: see hooks.h. */
#include "kernel/hooks.h"

#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "kernel/vmx.h"

/* An MSR index no CPU implements (outside every architectural and vendor range). */
#define SELFTEST_BAD_MSR        0x3fffffffu
#define SELFTEST_NONCANONICAL   0x8000000000000000ul

void hooks_bsp(void)
{
	/* selftest=fault: a deliberate #UD, so tests see the fault report. */
	if (options.selftest == SELFTEST_FAULT) {
		kprintf("selftest: executing ud2 on purpose\n");
		ud2();
	}
	/*
	 * selftest=fixup: exceptions that the fix-up table catches. SDM Vol. 3A,
	 * "Canonical Addressing": a load from a non-canonical address raises #GP;
	 * Vol. 2B, RDMSR/WRMSR: "#GP(0) if the value in ECX specifies a reserved or
	 * unimplemented MSR address" (QEMU TCG reads such MSRs as 0 instead).
	 */
	if (options.selftest == SELFTEST_FIXUP) {
		uint64_t v = 0;
		int vec = read64_safe(SELFTEST_NONCANONICAL, &v);
		kprintf("selftest: fixup load(0x%lx) vector=%d\n", SELFTEST_NONCANONICAL, vec);
		vec = rdmsr_safe(SELFTEST_BAD_MSR, &v);
		kprintf("selftest: fixup rdmsr(0x%x) vector=%d\n", SELFTEST_BAD_MSR, vec);
		vec = wrmsr_safe(SELFTEST_BAD_MSR, 0);
		kprintf("selftest: fixup wrmsr(0x%x) vector=%d\n", SELFTEST_BAD_MSR, vec);
	}
}

void hooks_ap_work(struct percpu *c)
{
	if (options.selftest == SELFTEST_FAULT_AP && c->index == 1)
		ud2();
	vmx_run_cpu(c);
}
