/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor readiness on AMD SVM, pure: would Linux KVM (kvm_amd), Xen,
 * Hyper-V and VMware ESXi run on a CPU with these SVM facts? AMD64 APM Vol. 2,
 * chapter 15 "Secure Virtual Machine": "SVM Feature Identification" (CPUID
 * Fn8000_0001 ECX.SVM, Fn8000_000A), "Enabling SVM" and "VM_CR Register"
 * (SVMDIS). Each hypervisor is a table (lib/ready_svm.c) taken from its own
 * source, named in the table's comment; the verdict is lib/ready.h's.
 *
 * Names in missing= are the SVM capability report's keys (lib/svmcap.h:
 * svm.<feature> as Linux's /proc/cpuinfo spells it, e.g. svm.npt,
 * svm.nrip_save), plus cpuid.svm, cpuid.nx, cpuid.lm,
 * cpuid.vendor(not-amd-or-hygon), vm_cr.svmdis(yes) (SVM disabled in the
 * firmware) and svm.asids(under-2).
 */
#ifndef VMXPROBE_LIB_READY_SVM_H
#define VMXPROBE_LIB_READY_SVM_H

#include <stdbool.h>

#include "lib/ready.h"
#include "lib/svm.h"

/* What the SVM tables read: the boot CPU's CPUID and VM_CR. */
struct ready_svm_host {
	char vendor[13];        /* CPUID Fn0000_0000 EBX, EDX, ECX: "AuthenticAMD", ... */
	bool svm;               /* CPUID Fn8000_0001 ECX.SVM[bit 2] */
	bool svmdis;            /* VM_CR.SVMDIS[bit 4] set (false where VM_CR is not implemented) */
	bool nx;                /* CPUID Fn8000_0001 EDX.NX[bit 20] */
	bool lm;                /* CPUID Fn8000_0001 EDX.LM[bit 29] */
	struct svm_caps caps;   /* CPUID Fn8000_000A (all zero without the leaf) */
};

/* Decide for hypervisor hv (lib/ready.h: 0..READY_HYPERVISORS-1, ready_name()). */
void ready_svm_check(unsigned hv, const struct ready_svm_host *h, struct ready_verdict *out);

#endif
