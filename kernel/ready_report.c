/* SPDX-License-Identifier: MIT */
/*
 * "ready:" lines: would KVM, Xen, Hyper-V and ESXi run here (lib/ready.c has
 * the tables and the decision), from the boot CPU's capability MSRs and its
 * CPUID. Line format: docs/readiness.md.
 */
#include "kernel/ready_report.h"

#include "arch/tsc.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "kernel/svm.h"
#include "lib/cpufeatures.h"
#include "lib/ready.h"

/* CPUID facts the tables need (Intel SDM Vol. 2A, CPUID: leaf 01H EAX is the
 * signature, ECX.VMX[5]; leaf 80000001H EDX.NX[20], EDX.LM[29]). */
static struct ready_host host_facts(const struct vmx_result *bsp)
{
	struct cpuid_regs l1 = cpuid(1);
	bool ext = cpuid(0x80000000).a >= 0x80000001;
	uint32_t edx = ext ? cpuid(0x80000001).d : 0;

	return (struct ready_host){
		.vmx = l1.c & (1u << X86_FEATURE_VMX_BIT),
		.locked_off = bsp && bsp->token == VMX_LOCKED_OFF,
		.nx = edx & (1u << X86_FEATURE_NX_BIT),
		.lm = edx & (1u << X86_FEATURE_LM_BIT),
		.signature = l1.a,
		.tsc_khz = tsc_khz(),
	};
}

void ready_report(const struct vmx_result *bsp, unsigned mismatched)
{
	if (!options.ready)
		return;
	/* lib/ready.c's tables are the hypervisors' VMX requirements; on an AMD
	 * CPU with SVM they would say "missing vmx" about a machine that runs
	 * guests: say what is not known instead. */
	if (svm_cpu_has()) {
		for (unsigned hv = 0; hv < READY_HYPERVISORS; hv++)
			kprintf("ready: hypervisor=%s result=unknown missing=\"\" detail=\"the readiness "
				"tables cover Intel VMX only so far; this CPU's extension is AMD SVM\"\n",
				ready_name(hv));
		return;
	}
	struct ready_host h = host_facts(bsp);
	const struct vmxcap_msrs *caps = bsp ? &bsp->caps : 0;
	for (unsigned hv = 0; hv < READY_HYPERVISORS; hv++) {
		struct ready_verdict v;
		ready_check(hv, caps, &h, &v);
		/* At most 511 bytes (LOG_LINE_MAX): lib/ready.h sizes the lists for it. */
		kprintf("ready: hypervisor=%s result=%s missing=\"%s\"%s%s%s%s\n", ready_name(hv),
			ready_result_str(v.result), v.missing, v.limits[0] ? " limits=\"" : "",
			v.limits, v.limits[0] ? "\"" : "",
			v.result == READY_UNKNOWN ?
			" detail=\"cpu 0's VMX capability MSRs were not read\"" : "");
	}
	/* Linux's vmx_check_processor_compat() refuses to load when a CPU's VMCS
	 * configuration differs from the boot CPU's; Xen's _vmx_cpu_up() keeps
	 * such a CPU offline ("Capabilities fatally differ"). */
	if (mismatched)
		kprintf("ready: warning: the lines above are cpu 0's; %u CPUs report other VMX "
			"capabilities (the vmx: mismatch lines): KVM does not load and Xen keeps "
			"such CPUs offline when the difference reaches what they use\n", mismatched);
}
