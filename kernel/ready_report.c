/* SPDX-License-Identifier: MIT */
/*
 * "ready:" lines: would KVM, Xen, Hyper-V and ESXi run here, from the boot
 * CPU's facts: on Intel its VMX capability MSRs and CPUID (lib/ready.c has the
 * tables and the decision), on an AMD CPU with SVM its CPUID Fn8000_000A and
 * VM_CR (lib/ready_svm.c). Line format: docs/readiness.md.
 */
#include "kernel/ready_report.h"

#include "arch/tsc.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "kernel/svm.h"
#include "lib/cpufeatures.h"
#include "lib/ready.h"
#include "lib/ready_svm.h"

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

/* One "ready:" line; at most 1023 bytes (LOG_LINE_MAX): lib/ready.h sizes the
 * lists for it. An unknown result without a detail of its table's gets
 * if_unknown. */
static void print_verdict(unsigned hv, const struct ready_verdict *v, const char *if_unknown)
{
	const char *detail = v->detail ? v->detail : if_unknown;

	kprintf("ready: hypervisor=%s result=%s missing=\"%s\"%s%s%s%s%s%s\n", ready_name(hv),
		ready_result_str(v->result), v->missing, v->limits[0] ? " limits=\"" : "",
		v->limits, v->limits[0] ? "\"" : "",
		v->result == READY_UNKNOWN ? " detail=\"" : "",
		v->result == READY_UNKNOWN ? detail : "",
		v->result == READY_UNKNOWN ? "\"" : "");
}

void ready_report(const struct vmx_result *bsp, unsigned mismatched)
{
	/* On an AMD CPU with SVM, svm_report() prints the lines from the SVM
	 * tables (ready_report_svm()): the VMX ones would say "missing vmx" about
	 * a machine that runs guests. */
	if (!options.ready || svm_cpu_has())
		return;
	struct ready_host h = host_facts(bsp);
	const struct vmxcap_msrs *caps = bsp ? &bsp->caps : 0;
	for (unsigned hv = 0; hv < READY_HYPERVISORS; hv++) {
		struct ready_verdict v;
		ready_check(hv, caps, &h, &v);
		print_verdict(hv, &v, "cpu 0's VMX capability MSRs were not read");
	}
	/* Linux's vmx_check_processor_compat() refuses to load when a CPU's VMCS
	 * configuration differs from the boot CPU's; Xen's _vmx_cpu_up() keeps
	 * such a CPU offline ("Capabilities fatally differ"). */
	if (mismatched)
		kprintf("ready: warning: the lines above are cpu 0's; %u CPUs report other VMX "
			"capabilities (the vmx: mismatch lines): KVM does not load and Xen keeps "
			"such CPUs offline when the difference reaches what they use\n", mismatched);
}

/* The SVM tables' facts (AMD64 APM Vol. 3, appendix E: CPUID Fn0000_0000 EBX,
 * EDX, ECX the vendor; Fn8000_0001 ECX.SVM[2], EDX.NX[20], EDX.LM[29]; Vol. 2,
 * "VM_CR Register": SVMDIS[4]) from the boot CPU, with its svm: result's
 * Fn8000_000A and VM_CR. */
static struct ready_svm_host svm_host_facts(const struct svm_result *bsp)
{
	struct cpuid_regs l0 = cpuid(0);
	bool ext = cpuid(0x80000000).a >= 0x80000001;
	uint32_t edx = ext ? cpuid(0x80000001).d : 0;
	struct ready_svm_host h = {
		.svm = svm_cpu_has(),
		.svmdis = bsp->has_vm_cr && (bsp->vm_cr & SVM_VM_CR_SVM_DIS_MASK),
		.nx = edx & (1u << X86_FEATURE_NX_BIT),
		.lm = edx & (1u << X86_FEATURE_LM_BIT),
		.caps = bsp->caps,
	};
	const uint32_t vendor[3] = { l0.b, l0.d, l0.c };

	for (unsigned i = 0; i < 12; i++)
		h.vendor[i] = (char)(vendor[i / 4] >> (8 * (i % 4)));
	return h;
}

void ready_report_svm(const struct svm_result *bsp, unsigned mismatched)
{
	if (!options.ready)
		return;
	for (unsigned hv = 0; hv < READY_HYPERVISORS; hv++) {
		struct ready_verdict v = { .result = READY_UNKNOWN };
		if (bsp) {
			struct ready_svm_host h = svm_host_facts(bsp);
			ready_svm_check(hv, &h, &v);
		}
		print_verdict(hv, &v, "cpu 0 gave no svm: result");
	}
	/* Neither compares CPUs' SVM features: kvm_amd's svm_check_processor_compat()
	 * checks only that each CPU has SVM, and both take the features they use
	 * from the boot CPU (boot_cpu_has(); Xen's svm_feature_flags). */
	if (mismatched)
		kprintf("ready: warning: the lines above are cpu 0's; %u CPUs report other SVM "
			"capabilities (the svm: mismatch lines): KVM and Xen do not compare them and "
			"use cpu 0's features on every CPU\n", mismatched);
}
