/* SPDX-License-Identifier: MIT */
/* Hypervisor readiness on AMD SVM (lib/ready_svm.c): the CPUID Fn8000_000A
 * values of QEMU's TCG (-cpu max, qemu64) and Bochs's ryzen, and a CPU with
 * every feature the tables read, taken away one requirement at a time. */
#include <string.h>

#include "check.h"
#include "lib/ready_svm.h"

enum { KVM, XEN, HYPERV, ESXI };

#define B(f) (1u << SVM_FEATURE_##f)
/* Every Fn8000_000A EDX bit a table reads. */
#define ALL_FEATURES (B(NPT) | B(LBRV) | B(NRIPS) | B(TSCRATEMSR) | B(FLUSHBYASID) | \
		      B(DECODEASSISTS) | B(PAUSEFILTER) | B(PFTHRESHOLD) | B(V_VMSAVE_VMLOAD) | \
		      B(VGIF) | B(VNMI))

static struct ready_verdict v;

static struct ready_svm_host cpu(uint32_t edx, uint32_t nasid)
{
	struct ready_svm_host h = { .svm = true, .nx = true, .lm = true,
				    .caps = { .revision = 1, .nasid = nasid, .features = edx } };

	memcpy(h.vendor, "AuthenticAMD", 13);
	return h;
}

static void check(unsigned hv, const struct ready_svm_host *h, const char *result,
		  const char *missing, const char *limits)
{
	ready_svm_check(hv, h, &v);
	CHECK_STR(ready_result_str(v.result), result);
	CHECK_STR(v.missing, missing);
	CHECK_STR(v.limits, limits);
}

/* Each hypervisor's answer with one feature bit taken away. */
static void without(unsigned hv, uint32_t bit, const char *missing, const char *limits)
{
	struct ready_svm_host h = cpu(ALL_FEATURES & ~bit, 16);

	check(hv, &h, "degraded", missing, limits);
}

static void full(void)
{
	struct ready_svm_host h = cpu(ALL_FEATURES, 16);

	check(KVM, &h, "yes", "", "");
	check(XEN, &h, "yes", "", "");
	check(HYPERV, &h, "yes", "", "");
	/* ESXi: its documented requirements met, the rest not sourced. */
	check(ESXI, &h, "unknown", "", "");
	CHECK(v.detail && strstr(v.detail, "VMware documents no SVM feature requirement"));
	/* Hygon's CPUs are kvm_amd's too. */
	memcpy(h.vendor, "HygonGenuine", 13);
	check(KVM, &h, "yes", "", "");
	/* Out of range. */
	ready_svm_check(READY_HYPERVISORS, &h, &v);
	CHECK_STR(ready_result_str(v.result), "unknown");
}

/* Requirements: each one missing makes the result no and names only it. */
static void requirements(void)
{
	struct ready_svm_host h;

	/* kvm_is_svm_supported(): an AMD or Hygon CPU... */
	h = cpu(ALL_FEATURES, 16);
	memcpy(h.vendor, "GenuineIntel", 13);
	check(KVM, &h, "no", "cpuid.vendor(not-amd-or-hygon)", "");
	check(XEN, &h, "yes", "", "");
	/* ... with SVM (all but ESXi, whose sources do not say). */
	h = cpu(ALL_FEATURES, 16);
	h.svm = false;
	check(KVM, &h, "no", "cpuid.svm", "");
	check(XEN, &h, "no", "cpuid.svm", "");
	check(HYPERV, &h, "no", "cpuid.svm", "");
	check(ESXI, &h, "unknown", "", "");
	/* SVM disabled in the firmware: VM_CR.SVMDIS. */
	h = cpu(ALL_FEATURES, 16);
	h.svmdis = true;
	check(KVM, &h, "no", "vm_cr.svmdis(yes)", "");
	check(XEN, &h, "no", "vm_cr.svmdis(yes)", "");
	check(HYPERV, &h, "no", "vm_cr.svmdis(yes)", "");
	/* NX: svm_hardware_setup(); Hyper-V's DEP; ESXi's NX/XD. Xen does not ask. */
	h = cpu(ALL_FEATURES, 16);
	h.nx = false;
	check(KVM, &h, "no", "cpuid.nx", "");
	check(XEN, &h, "yes", "", "");
	check(HYPERV, &h, "no", "cpuid.nx", "");
	check(ESXI, &h, "no", "cpuid.nx", "");
	/* Long mode: Hyper-V and ESXi. */
	h = cpu(ALL_FEATURES, 16);
	h.lm = false;
	check(HYPERV, &h, "no", "cpuid.lm", "");
	check(ESXI, &h, "no", "cpuid.lm", "");
	check(KVM, &h, "yes", "", "");
	/* Hyper-V: SLAT, NPT on AMD. */
	without(KVM, B(NPT), "svm.npt", "npt vls");
	h = cpu(ALL_FEATURES & ~B(NPT), 16);
	check(HYPERV, &h, "no", "svm.npt", "");
	/* Several at once: all named, and none of the features. */
	h = cpu(0, 16);
	h.svmdis = true;
	h.nx = false;
	check(KVM, &h, "no", "vm_cr.svmdis(yes) cpuid.nx", "");
	check(HYPERV, &h, "no", "svm.npt vm_cr.svmdis(yes) cpuid.nx", "");
}

/* KVM's module parameters, each turned off by its feature. */
static void kvm_features(void)
{
	without(KVM, B(TSCRATEMSR), "svm.tsc_scale", "tsc_scaling");
	without(KVM, B(PAUSEFILTER), "svm.pausefilter", "pause_filter_count pause_filter_thresh");
	without(KVM, B(PFTHRESHOLD), "svm.pfthreshold", "pause_filter_thresh");
	without(KVM, B(NRIPS), "svm.nrip_save", "nrips");
	without(KVM, B(LBRV), "svm.lbrv", "lbrv");
	without(KVM, B(V_VMSAVE_VMLOAD), "svm.v_vmsave_vmload", "vls");
	without(KVM, B(VGIF), "svm.vgif", "vgif vnmi");
	without(KVM, B(VNMI), "svm.vnmi", "vnmi");
	/* Xen reads no pause filter at start: nothing changes. */
	struct ready_svm_host h = cpu(ALL_FEATURES & ~B(PAUSEFILTER), 16);
	check(XEN, &h, "yes", "", "");
}

/* Xen's features: HAP, nested virtualization on top of it, ASIDs, TSC scaling. */
static void xen_features(void)
{
	without(XEN, B(NPT), "svm.npt", "hap nested_virt");
	without(XEN, B(LBRV), "svm.lbrv", "nested_virt");
	without(XEN, B(NRIPS), "svm.nrip_save", "nested_virt");
	without(XEN, B(FLUSHBYASID), "svm.flushbyasid", "nested_virt");
	without(XEN, B(DECODEASSISTS), "svm.decodeassists", "nested_virt");
	without(XEN, B(TSCRATEMSR), "svm.tsc_scale", "tsc_scaling");
	struct ready_svm_host h = cpu(ALL_FEATURES, 1);
	check(XEN, &h, "degraded", "svm.asids(under-2)", "asid");
	h = cpu(ALL_FEATURES, 0);
	check(XEN, &h, "degraded", "svm.asids(under-2)", "asid");
	check(KVM, &h, "yes", "", "");
}

/* What the boot cases see (tests/boot/cases: svm-tcg-max, svm-tcg-qemu64,
 * svm-bochs-ryzen). */
static void emulators(void)
{
	/* QEMU TCG -cpu max: NPT, vGIF, SVME address check; 16 ASIDs. */
	struct ready_svm_host h = cpu(0x10010001, 16);
	check(KVM, &h, "degraded",
	      "svm.tsc_scale svm.pausefilter svm.nrip_save svm.lbrv svm.v_vmsave_vmload svm.vnmi",
	      "tsc_scaling pause_filter_count pause_filter_thresh nrips lbrv vls vnmi");
	check(XEN, &h, "degraded", "svm.lbrv svm.nrip_save svm.flushbyasid svm.decodeassists svm.tsc_scale",
	      "nested_virt tsc_scaling");
	check(HYPERV, &h, "yes", "", "");
	/* qemu64: SVM without any feature. */
	h = cpu(0, 16);
	check(KVM, &h, "degraded", "svm.tsc_scale svm.pausefilter svm.npt svm.nrip_save svm.lbrv svm.vgif",
	      "tsc_scaling pause_filter_count pause_filter_thresh npt nrips lbrv vls vgif vnmi");
	check(XEN, &h, "degraded", "svm.npt svm.tsc_scale", "hap nested_virt tsc_scaling");
	check(HYPERV, &h, "no", "svm.npt", "");
	/* Bochs 2.7's ryzen: NPT, LBRV, SVM lock, NRIPS, flush by ASID, pause
	 * filter (no decode assists); 32768 ASIDs. */
	h = cpu(0x44f, 32768);
	check(KVM, &h, "degraded", "svm.tsc_scale svm.pfthreshold svm.v_vmsave_vmload svm.vgif",
	      "tsc_scaling pause_filter_thresh vls vgif vnmi");
	check(XEN, &h, "degraded", "svm.decodeassists svm.tsc_scale", "nested_virt tsc_scaling");
	check(HYPERV, &h, "yes", "", "");
}

int main(void)
{
	full();
	requirements();
	kvm_features();
	xen_features();
	emulators();
	return check_report("test_ready_svm");
}
