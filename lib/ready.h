/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor readiness, pure: would Linux KVM (kvm_intel), Xen, Hyper-V and
 * VMware ESXi run on a CPU with these VMX capability MSRs (Intel SDM Vol. 3D,
 * appendix A "VMX Capability Reporting Facility") and these CPUID facts? Each
 * hypervisor is a table (lib/ready.c) of what it requires (missing: result=no)
 * and of the features it turns off when something optional is missing
 * (result=degraded, and limits= names them), taken from its own source or
 * documentation, named in the table's comment. The same for AMD SVM:
 * lib/ready_svm.h, through the decision below (ready_required(),
 * ready_optional()).
 *
 * Names in missing= are the capability report's keys (lib/vmxcap.h,
 * "<group>.<slug>", e.g. proc.hlt-exiting, ept.page-walk-length-4), plus
 * cpuid.nx, cpuid.lm, vmx (CPUID.1:ECX.VMX), feature-control.vmx (locked off)
 * and the few checks that are not one bit (basic.region-size<=4096, ...).
 */
#ifndef VMXPROBE_LIB_READY_H
#define VMXPROBE_LIB_READY_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/vmxcap.h"

/* What the tables need beyond the capability MSRs. */
struct ready_host {
	bool vmx;               /* CPUID.1:ECX.VMX[bit 5] */
	bool locked_off;        /* IA32_FEATURE_CONTROL locked with VMX off */
	bool nx;                /* CPUID.80000001H:EDX.NX[bit 20] (execute disable) */
	bool lm;                /* CPUID.80000001H:EDX.LM[bit 29] (Intel 64) */
	uint32_t signature;     /* CPUID.1:EAX (family, model, stepping) */
	uint64_t tsc_khz;       /* 0 when unknown */
};

enum ready_result { READY_YES, READY_DEGRADED, READY_NO, READY_UNKNOWN };

struct ready_verdict {
	enum ready_result result;
	char missing[400];      /* space-separated names; empty when nothing is */
	char limits[150];       /* what the hypervisor turns off (degraded) */
	const char *detail;     /* why the result is unknown, when the table says (static) */
};

/* A degraded verdict names at most this much in missing (and all of limits),
 * so that its "ready:" line stays within a log line (1023 bytes; it was 511); a list that did
 * not fit ends with "...". */
#define READY_DEGRADED_MISSING  300

#define READY_HYPERVISORS 4

/* "kvm", "xen", "hyper-v", "esxi" for 0..READY_HYPERVISORS-1. */
const char *ready_name(unsigned hv);
const char *ready_result_str(enum ready_result r);

/* Decide for hypervisor hv. m may be NULL (or without 480H) when the
 * capability MSRs were not read: the result is then no (no VMX, locked off)
 * or unknown. */
void ready_check(unsigned hv, const struct vmxcap_msrs *m, const struct ready_host *h,
		 struct ready_verdict *out);

/* The space-separated name lists of a verdict, for lib/ready_svm.c's tables
 * too: is word in list; append word once (a list that is full ends with
 * "...", room for which is kept). */
bool ready_list_has(const char *list, const char *word);
void ready_list_add(char *list, unsigned size, const char *word);

/* The decision both vendors' tables share (lib/ready.c, lib/ready_svm.c). A
 * rule starts with its head: its feature (limit; NULL for a requirement) and
 * the feature of the same table it builds on (after). A table is n rules of
 * stride bytes each; met() names a rule's unmet needs in list (of size bytes)
 * from the facts in ctx and says whether all are met. */
struct ready_rule_head {
	const char *limit;
	const char *after;
};

struct ready_rules {
	const void *rules;
	unsigned n, stride;
	const void *ctx;
	bool (*met)(const void *ctx, const void *rule, char *list, unsigned size);
};

/* First what the hypervisor requires: the unmet requirements in out->missing
 * (only those); false when there is one (result no). */
bool ready_required(const struct ready_rules *t, struct ready_verdict *out);
/* Then what it turns off: each feature whose needs are not met (named in
 * out->missing, within READY_DEGRADED_MISSING) or whose "after" feature is off
 * (its own needs not named) in out->limits; the result yes or degraded. */
void ready_optional(const struct ready_rules *t, struct ready_verdict *out);

#endif
