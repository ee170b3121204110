/* SPDX-License-Identifier: MIT */
/*
 * AMD SVM, pure parts: the CPUID leaf that describes it, the decision whether
 * SVM may be enabled on a CPU, and the names of each CPU's result. AMD64
 * Architecture Programmer's Manual (APM) Vol. 2, chapter 15 "Secure Virtual
 * Machine": sections "Enabling SVM", "SVM Related MSRs" ("VM_CR Register",
 * "VM_HSAVE_PA MSR") and "SVM Feature Identification"; APM Vol. 3, appendix E
 * "CPUID Fn8000_000A". MSR and feature names as Linux's asm/msr-index.h and
 * asm/cpufeatures.h have them.
 */
#ifndef VMXPROBE_LIB_SVM_H
#define VMXPROBE_LIB_SVM_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/const.h"

/* CPUID Fn8000_0001 ECX[2]: SVM (Linux: X86_FEATURE_SVM, word 6 bit 2). */
#define X86_FEATURE_SVM_BIT             2
/* CPUID Fn8000_000A, "SVM Revision and Feature Identification". */
#define SVM_CPUID_LEAF                  0x8000000a

/* EFER.SVME (Linux: _EFER_SVME). */
#define _EFER_SVME                      12
#define EFER_SVME                       BIT(_EFER_SVME)

/* "VM_CR Register" (Linux: MSR_VM_CR, SVM_VM_CR_*). */
#define MSR_VM_CR                       0xc0010114
#define MSR_VM_HSAVE_PA                 0xc0010117
#define SVM_VM_CR_SVM_LOCK_MASK         0x0008ULL
#define SVM_VM_CR_SVM_DIS_MASK          0x0010ULL

/* CPUID Fn8000_000A EDX bits, Linux's word 15 names (X86_FEATURE_...). */
#define SVM_FEATURE_NPT                 0
#define SVM_FEATURE_LBRV                1
#define SVM_FEATURE_SVML                2
#define SVM_FEATURE_NRIPS               3
#define SVM_FEATURE_TSCRATEMSR          4
#define SVM_FEATURE_VMCBCLEAN           5
#define SVM_FEATURE_FLUSHBYASID         6
#define SVM_FEATURE_DECODEASSISTS       7
#define SVM_FEATURE_PAUSEFILTER         10
#define SVM_FEATURE_PFTHRESHOLD         12
#define SVM_FEATURE_AVIC                13
#define SVM_FEATURE_V_VMSAVE_VMLOAD     15
#define SVM_FEATURE_VGIF                16
#define SVM_FEATURE_X2AVIC              18
#define SVM_FEATURE_V_SPEC_CTRL         20
#define SVM_FEATURE_VNMI                25
#define SVM_FEATURE_SVME_ADDR_CHK       28

/* What CPUID Fn8000_000A says. */
struct svm_caps {
	uint8_t revision;               /* EAX[7:0] SvmRev */
	uint32_t nasid;                 /* EBX: the number of ASIDs */
	uint32_t features;              /* EDX */
};

struct svm_caps svm_caps_decode(uint32_t eax, uint32_t ebx, uint32_t edx);
static inline bool svm_has(const struct svm_caps *c, unsigned bit)
{
	return (c->features >> bit) & 1;
}

/* Cross-CPU consistency: which of a CPU's CPUID Fn8000_000A facts differ from
 * the boot CPU's (one bit each: SVM_DIFFER_*), 0 when none. */
#define SVM_DIFFER_REVISION     1u
#define SVM_DIFFER_ASIDS        2u
#define SVM_DIFFER_FEATURES     4u
unsigned svm_caps_differ(const struct svm_caps *mine, const struct svm_caps *cpu0);

/*
 * The features a report names, in bit order, as a space-separated list of
 * Linux's /proc/cpuinfo names ("npt nrip_save vgif ..."), into buf; unknown
 * set bits as "bitN". Returns buf.
 */
const char *svm_features_str(uint32_t features, char *buf, unsigned size);

/* Each CPU's result, the "svm:" line's result= token. */
enum svm_token {
	SVM_ON,                 /* EFER.SVME set and read back, VM_HSAVE_PA written, then left */
	SVM_NO_SVM,             /* CPUID Fn8000_0001 ECX.SVM clear */
	SVM_DISABLED,           /* VM_CR.SVMDIS set: disabled in the firmware (or by a hypervisor) */
	SVM_BUSY,               /* EFER.SVME already set: someone else's SVM is on this CPU */
	SVM_EFER_FAIL,          /* EFER.SVME did not stick when written */
	SVM_FAULT,              /* an exception (RDMSR/WRMSR) where none may come */
	SVM_ALLOC_FAILED,       /* no host save area page */
};
#define SVM_TOKENS 7

const char *svm_token_str(enum svm_token t);
/* What the user should do about a result (NULL for SVM_ON). */
const char *svm_token_advice(enum svm_token t);

/*
 * Whether SVM may be enabled, as Linux decides it: init_amd() clears
 * X86_FEATURE_SVM when VM_CR.SVMDIS is set (a VM_CR that cannot be read means
 * it is not implemented, not that SVM is disabled); svm_hardware_enable()
 * refuses with EBUSY when EFER.SVME is already set. SVM_ON means go ahead.
 */
enum svm_token svm_enable_decide(bool vm_cr_readable, uint64_t vm_cr, uint64_t efer);

#endif
