/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor readiness tables for AMD SVM and their decision (lib/ready_svm.h),
 * in the shape of lib/ready.c's VMX tables: a rule without a limit is a
 * requirement (a missing need: result no); a rule with a limit is a feature
 * the hypervisor turns off when a need is missing, or when the feature it
 * builds on ("after") is off (result degraded, the need in missing=, the
 * feature in limits=). A feature turned off through "after" does not name its
 * own needs. The needs are CPUID Fn8000_000A EDX bits (APM Vol. 3, appendix E
 * "CPUID Fn8000_000A"; Vol. 2, "SVM Feature Identification") and a few facts
 * that are not one bit.
 */
#include "lib/ready_svm.h"

#include <stddef.h>

#include "lib/const.h"

enum svm_fact {
	FACT_BIT,       /* a set bit of CPUID Fn8000_000A EDX */
	FACT_SVM,       /* CPUID Fn8000_0001 ECX.SVM */
	FACT_ENABLED,   /* VM_CR.SVMDIS clear */
	FACT_VENDOR,    /* AuthenticAMD or HygonGenuine */
	FACT_NX,
	FACT_LM,
	FACT_ASIDS,     /* at least 2 ASIDs (Fn8000_000A EBX): one for the host, one for a guest */
};

struct svm_need {
	uint8_t fact;
	uint8_t bit;            /* FACT_BIT: the EDX bit */
	const char *name;
};

#define SVM_NEEDS 4
struct svm_rule {
	struct ready_rule_head head;    /* limit (NULL: required) and the feature it builds on */
	struct svm_need all[SVM_NEEDS];
};

#define NEEDS(...)                      { .all = { __VA_ARGS__ } }
#define OPTIONAL(limit_, after_, ...) \
	{ .head = { limit_, after_ }, .all = { __VA_ARGS__ } }

/* svm.<name>: the capability report's key (lib/svmcap.c, Linux's /proc/cpuinfo name). */
#define FEAT(bit_, name_)       { FACT_BIT, bit_, "svm." name_ }
#define FACT(f, name_)          { f, 0, name_ }

#define HAS_SVM         FACT(FACT_SVM, "cpuid.svm")
#define SVM_ENABLED     FACT(FACT_ENABLED, "vm_cr.svmdis(yes)")

/*
 * Linux KVM (kvm_amd), arch/x86/kvm/svm/svm.c of Linux 6.11 (the tree read has
 * svm_x86_ops with both .sched_in and .alloc_apic_backing_page; not checked
 * against 6.12.117, which the VMX table follows): svm_init() loads only where
 * kvm_is_svm_supported() holds (an AMD or Hygon CPU with X86_FEATURE_SVM, which
 * init_amd() clears when VM_CR.SVMDIS is set; not inside an SEV guest, which
 * vmxprobe cannot see); svm_hardware_setup() refuses without NX, then turns
 * module parameters off, in this order, for what the CPU lacks: tsc_scaling,
 * pause_filter_count and pause_filter_thresh, npt (npt_enabled), nrips, lbrv,
 * vls (also needs NPT), vgif, vnmi (also needs vGIF). avic is not in the table:
 * it is off by default in this version (avic=0), and with avic=1
 * avic_hardware_setup() needs NPT and AVIC.
 */
static const struct svm_rule kvm_rules[] = {
	NEEDS(FACT(FACT_VENDOR, "cpuid.vendor(not-amd-or-hygon)"), HAS_SVM, SVM_ENABLED,
	      FACT(FACT_NX, "cpuid.nx")),
	OPTIONAL("tsc_scaling", NULL, FEAT(SVM_FEATURE_TSCRATEMSR, "tsc_scale")),
	OPTIONAL("pause_filter_count", NULL, FEAT(SVM_FEATURE_PAUSEFILTER, "pausefilter")),
	OPTIONAL("pause_filter_thresh", "pause_filter_count",
		 FEAT(SVM_FEATURE_PFTHRESHOLD, "pfthreshold")),
	OPTIONAL("npt", NULL, FEAT(SVM_FEATURE_NPT, "npt")),
	OPTIONAL("nrips", NULL, FEAT(SVM_FEATURE_NRIPS, "nrip_save")),
	OPTIONAL("lbrv", NULL, FEAT(SVM_FEATURE_LBRV, "lbrv")),
	OPTIONAL("vls", "npt", FEAT(SVM_FEATURE_V_VMSAVE_VMLOAD, "v_vmsave_vmload")),
	OPTIONAL("vgif", NULL, FEAT(SVM_FEATURE_VGIF, "vgif")),
	OPTIONAL("vnmi", "vgif", FEAT(SVM_FEATURE_VNMI, "vnmi")),
};

/*
 * Xen 4.22.0 (RELEASE-4.22.0), xen/arch/x86/hvm/svm/: start_svm() (svm.c)
 * brings SVM up through _svm_cpu_up(), which refuses where VM_CR.SVMDIS is set
 * ("AMD SVM Extension is disabled in BIOS"); hvm_enable() (hvm/hvm.c) calls it
 * only where the CPU has SVM (using_svm()). No SVM feature is required: HAP is
 * NPT (svm_function_table.caps.hap = cpu_has_svm_npt), else HVM guests use
 * shadow paging; start_nested_svm() (nestedsvm.c) offers nested_virt only with
 * HAP, LBR virtualization, NRIP save, flush by ASID and decode assists; ASIDs
 * are off with fewer than 2 (hvm_asid_init(), hvm/asid.c: Xen's "asid"
 * option); TSC scaling needs the TSC rate MSR (cpu_has_tsc_ratio). altp2m is
 * VMX-only in Xen (only start_vmx() sets caps.altp2m): not a CPU limit here.
 */
static const struct svm_rule xen_rules[] = {
	NEEDS(HAS_SVM, SVM_ENABLED),
	OPTIONAL("hap", NULL, FEAT(SVM_FEATURE_NPT, "npt")),
	OPTIONAL("nested_virt", "hap", FEAT(SVM_FEATURE_LBRV, "lbrv"),
		 FEAT(SVM_FEATURE_NRIPS, "nrip_save"), FEAT(SVM_FEATURE_FLUSHBYASID, "flushbyasid"),
		 FEAT(SVM_FEATURE_DECODEASSISTS, "decodeassists")),
	OPTIONAL("asid", NULL, FACT(FACT_ASIDS, "svm.asids(under-2)")),
	OPTIONAL("tsc_scaling", NULL, FEAT(SVM_FEATURE_TSCRATEMSR, "tsc_scale")),
};

/*
 * Hyper-V: "System requirements for Hyper-V on Windows and Windows Server"
 * (Microsoft Learn, 2025), as lib/ready.c's VMX table: a 64-bit processor with
 * second-level address translation (on AMD the same page names it Nested Page
 * Table, NPT), VM Monitor Mode extensions (AMD-V: SVM), virtualization turned
 * on in the firmware (VM_CR.SVMDIS clear), hardware DEP (the NX bit).
 */
static const struct svm_rule hyperv_rules[] = {
	NEEDS(FACT(FACT_LM, "cpuid.lm"), FEAT(SVM_FEATURE_NPT, "npt"), HAS_SVM, SVM_ENABLED),
	NEEDS(FACT(FACT_NX, "cpuid.nx")),
};

/*
 * VMware ESXi: "ESXi Hardware Requirements" (vSphere 6.5) asks for a 64-bit CPU
 * with the NX/XD bit enabled; KB 1003945 asks AMD64 CPUs of revision D or later
 * (E for Opteron and Turion) for 64-bit guests, which every CPU with SVM is
 * (SVM came with revision F). What ESXi needs of SVM itself is not stated there:
 * past these two the result is unknown (esxi_detail).
 */
static const struct svm_rule esxi_rules[] = {
	NEEDS(FACT(FACT_LM, "cpuid.lm"), FACT(FACT_NX, "cpuid.nx")),
};
static const char esxi_detail[] = "VMware documents no SVM feature requirement vmxprobe "
				  "could source (64-bit and NX are met)";

struct svm_table {
	const struct svm_rule *rules;
	unsigned n;
	const char *unknown;    /* when its requirements are met: unknown, and why */
};

/* In lib/ready.c's order: kvm, xen, hyper-v, esxi. */
static const struct svm_table tables[READY_HYPERVISORS] = {
	{ kvm_rules, ARRAY_SIZE(kvm_rules), NULL },
	{ xen_rules, ARRAY_SIZE(xen_rules), NULL },
	{ hyperv_rules, ARRAY_SIZE(hyperv_rules), NULL },
	{ esxi_rules, ARRAY_SIZE(esxi_rules), esxi_detail },
};

static bool vendor_is(const char *vendor, const char *want)
{
	for (unsigned i = 0; i < 12; i++)
		if (vendor[i] != want[i])
			return false;
	return true;
}

static bool met(const struct ready_svm_host *h, const struct svm_need *n)
{
	switch (n->fact) {
	case FACT_BIT: return svm_has(&h->caps, n->bit);
	case FACT_SVM: return h->svm;
	case FACT_ENABLED: return !h->svmdis;
	case FACT_VENDOR: return vendor_is(h->vendor, "AuthenticAMD") ||
				 vendor_is(h->vendor, "HygonGenuine");
	case FACT_NX: return h->nx;
	case FACT_LM: return h->lm;
	case FACT_ASIDS: return h->caps.nasid >= 2;
	}
	return false;
}

/* Name a rule's unmet needs in list; false if there is one (lib/ready.h's met()). */
static bool rule_met(const void *host, const void *rule, char *list, unsigned size)
{
	const struct svm_rule *r = rule;
	const struct ready_svm_host *h = host;
	bool ok = true;

	for (unsigned i = 0; i < SVM_NEEDS && r->all[i].name; i++)
		if (!met(h, &r->all[i])) {
			ready_list_add(list, size, r->all[i].name);
			ok = false;
		}
	return ok;
}

void ready_svm_check(unsigned hv, const struct ready_svm_host *h, struct ready_verdict *out)
{
	*out = (struct ready_verdict){ 0 };
	if (hv >= READY_HYPERVISORS) {
		out->result = READY_UNKNOWN;
		return;
	}
	const struct ready_rules t = { tables[hv].rules, tables[hv].n, sizeof(struct svm_rule), h,
				       rule_met };
	if (!ready_required(&t, out))
		return;
	if (tables[hv].unknown) {
		out->result = READY_UNKNOWN;
		out->detail = tables[hv].unknown;
		return;
	}
	ready_optional(&t, out);
}
