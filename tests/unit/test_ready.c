/* SPDX-License-Identifier: MIT */
/* Hypervisor readiness (lib/ready.c) on captured Bochs capability MSRs and on
 * edited captures that drop one requirement at a time. */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "lib/msr-index.h"
#include "lib/ready.h"
#include "vmxcap_data.h"

enum { KVM, XEN, HYPERV, ESXI };

/* A host with NX and long mode, no preemption-timer erratum, a 2 GHz TSC. */
static const struct ready_host host = {
	.vmx = true, .nx = true, .lm = true, .signature = 0x50654, .tsc_khz = 2000000,
};

static struct ready_verdict v;

static void check(unsigned hv, const struct vmxcap_msrs *m, const struct ready_host *h)
{
	ready_check(hv, m, h, &v);
}

#define IDX(msr)        VMXCAP_INDEX(msr)

/* Clear a control's allowed-1 bit in its non-TRUE MSR (and its TRUE twin). */
static void forbid(struct vmxcap_msrs *m, unsigned msr, unsigned bit)
{
	m->value[IDX(msr)] &= ~(1ull << (32 + bit));
	if (msr >= MSR_IA32_VMX_PINBASED_CTLS && msr <= MSR_IA32_VMX_ENTRY_CTLS)
		m->value[IDX(msr + 0xc)] &= ~(1ull << (32 + bit));
}

static void skylake_x(void)
{
	struct vmxcap_msrs m;

	CHECK(vmxcap_load("corei7_skylake_x", &m) == 18);
	check(KVM, &m, &host);
	CHECK_STR(ready_result_str(v.result), "degraded");
	/* Bochs's preemption timer counts at the TSC rate (IA32_VMX_MISC[4:0] = 0):
	 * faster than Linux accepts at 2 GHz. */
	CHECK_STR(v.missing, "pin.process-posted-interrupts misc.preemption-timer-rate(too-fast)");
	CHECK_STR(v.limits, "enable_apicv enable_ipiv preemption_timer");
	check(XEN, &m, &host);
	CHECK_STR(ready_result_str(v.result), "degraded");
	CHECK_STR(v.missing, "pin.process-posted-interrupts");
	CHECK_STR(v.limits, "posted_interrupts");
	check(HYPERV, &m, &host);
	CHECK_STR(ready_result_str(v.result), "yes");
	CHECK_STR(v.missing, "");
	check(ESXI, &m, &host);
	CHECK_STR(ready_result_str(v.result), "yes");

	/* A slow TSC keeps the timer; a CPUID signature on Linux's erratum list
	 * (vmx_preemption_cpu_tfms[]: 0x106E5, Lynnfield) does not. */
	struct ready_host slow = host;
	slow.tsc_khz = 100000;
	check(KVM, &m, &slow);
	CHECK_STR(v.limits, "enable_apicv enable_ipiv");
	slow.signature = 0x106E5 | 3u << 14;    /* bits 15:14 are masked */
	check(KVM, &m, &slow);
	CHECK_STR(v.missing, "pin.process-posted-interrupts cpuid.signature(preemption-timer-erratum)");
	CHECK_STR(v.limits, "enable_apicv enable_ipiv preemption_timer");
	/* Unknown TSC rate: Linux assumes 5 GHz. */
	slow.signature = host.signature;
	slow.tsc_khz = 0;
	check(KVM, &m, &slow);
	CHECK_STR(v.limits, "enable_apicv enable_ipiv preemption_timer");
}

static void penryn(void)
{
	struct vmxcap_msrs m;
	struct ready_host h = host;

	CHECK(vmxcap_load("core2_penryn_t9600", &m) > 0);
	check(KVM, &m, &h);
	CHECK_STR(ready_result_str(v.result), "degraded");
	CHECK_STR(v.missing, "proc2.enable-ept proc2.enable-vpid proc2.apic-register-virtualization "
		  "proc2.virtual-interrupt-delivery pin.process-posted-interrupts "
		  "pin.activate-vmx-preemption-timer proc2.pause-loop-exiting proc2.vmcs-shadowing "
		  "proc2.use-tsc-scaling");
	CHECK_STR(v.limits, "ept unrestricted_guest eptad pml vpid enable_apicv enable_ipiv "
		  "preemption_timer ple_gap enable_shadow_vmcs tsc_scaling");
	check(XEN, &m, &h);
	CHECK_STR(ready_result_str(v.result), "degraded");
	CHECK_STR(v.limits, "hap unrestricted_guest nested_virt altp2m pml vpid apicv "
		  "posted_interrupts tsc_scaling vmfunc");
	check(HYPERV, &m, &h);
	CHECK_STR(ready_result_str(v.result), "no");
	CHECK_STR(v.missing, "proc2.enable-ept");
	check(ESXI, &m, &h);
	CHECK_STR(ready_result_str(v.result), "yes");

	/* Without NX (firmware's XD disable): KVM without EPT does not load. */
	h.nx = false;
	check(KVM, &m, &h);
	CHECK_STR(ready_result_str(v.result), "no");
	CHECK_STR(v.missing, "cpuid.nx");
	CHECK_STR(v.limits, "");
	check(HYPERV, &m, &h);
	CHECK_STR(v.missing, "cpuid.nx proc2.enable-ept");
	check(ESXI, &m, &h);
	CHECK_STR(ready_result_str(v.result), "no");
	CHECK_STR(v.missing, "cpuid.nx");
	h.lm = false;
	check(ESXI, &m, &h);
	CHECK_STR(v.missing, "cpuid.lm cpuid.nx");
}

/* Every model: a result for each hypervisor, and the results seen overall. */
static void every_model(void)
{
	static const char *const models[] = {
		"core2_penryn_t9600", "corei5_lynnfield_750", "corei5_arrandale_m520",
		"corei7_sandy_bridge_2600k", "corei7_ivy_bridge_3770k", "corei7_haswell_4770",
		"broadwell_ult", "corei7_skylake_x", "corei3_cnl", "corei7_icelake_u", "tigerlake",
	};
	unsigned seen[4] = { 0 };

	for (unsigned i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		struct vmxcap_msrs m;
		CHECK(vmxcap_load(models[i], &m) > 0);
		for (unsigned hv = 0; hv < READY_HYPERVISORS; hv++) {
			check(hv, &m, &host);
			seen[v.result]++;
			CHECK(v.result != READY_UNKNOWN);
			/* The line fits a log line: "ready: hypervisor=hyper-v result=degraded
			 * missing="..." limits="..."\n" within 511 bytes, nothing cut. */
			CHECK(51 + strlen(v.missing) + 10 + strlen(v.limits) + 2 <= 511);
			CHECK(!strstr(v.missing, "..."));
			CHECK((v.result == READY_DEGRADED) == (v.limits[0] != 0));
		}
		/* Every model Bochs emulates has what KVM and Xen require. */
		check(KVM, &m, &host);
		CHECK(v.result == READY_DEGRADED);
		check(XEN, &m, &host);
		CHECK(v.result == READY_DEGRADED);
	}
	CHECK(seen[READY_YES] > 0);
	CHECK(seen[READY_DEGRADED] > 0);
	CHECK(seen[READY_NO] > 0);
}

/* Without VMX, locked off, or capabilities not read. */
static void no_vmx(void)
{
	struct ready_host h = { .nx = true, .lm = true };

	for (unsigned hv = 0; hv < READY_HYPERVISORS; hv++) {
		check(hv, NULL, &h);
		CHECK_STR(ready_result_str(v.result), "no");
		CHECK_STR(v.missing, "vmx");
	}
	h.vmx = true;
	h.locked_off = true;
	check(KVM, NULL, &h);
	CHECK_STR(v.missing, "feature-control.vmx");
	h.locked_off = false;
	check(XEN, NULL, &h);
	CHECK_STR(ready_result_str(v.result), "unknown");
	CHECK_STR(ready_name(KVM), "kvm");
	CHECK_STR(ready_name(HYPERV), "hyper-v");
	CHECK_STR(ready_name(READY_HYPERVISORS), "?");
}

struct req {
	unsigned msr, bit;
	const char *name;
};

/* Drop each requirement from the Skylake-X capture: result no, it alone named. */
static void drop_each(unsigned hv, const struct req *reqs, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct vmxcap_msrs m;
		vmxcap_load("corei7_skylake_x", &m);
		forbid(&m, reqs[i].msr, reqs[i].bit);
		check(hv, &m, &host);
		if (v.result != READY_NO || strcmp(v.missing, reqs[i].name))
			printf("  %s without %s: result=%s missing=\"%s\"\n", ready_name(hv),
			       reqs[i].name, ready_result_str(v.result), v.missing);
		CHECK(v.result == READY_NO);
		CHECK_STR(v.missing, reqs[i].name);
	}
}

#define PIN     MSR_IA32_VMX_PINBASED_CTLS
#define PROC    MSR_IA32_VMX_PROCBASED_CTLS
#define EXIT    MSR_IA32_VMX_EXIT_CTLS
#define ENTRY   MSR_IA32_VMX_ENTRY_CTLS

/* Linux 6.12's KVM_REQUIRED_VMX_* sets (arch/x86/kvm/vmx/vmx.h, 64-bit). */
static const struct req kvm_required[] = {
	{ PIN, 0, "pin.external-interrupt-exiting" }, { PIN, 3, "pin.nmi-exiting" },
	{ PROC, 2, "proc.interrupt-window-exiting" }, { PROC, 3, "proc.use-tsc-offsetting" },
	{ PROC, 7, "proc.hlt-exiting" }, { PROC, 9, "proc.invlpg-exiting" },
	{ PROC, 10, "proc.mwait-exiting" }, { PROC, 11, "proc.rdpmc-exiting" },
	{ PROC, 15, "proc.cr3-load-exiting" }, { PROC, 16, "proc.cr3-store-exiting" },
	{ PROC, 19, "proc.cr8-load-exiting" }, { PROC, 20, "proc.cr8-store-exiting" },
	{ PROC, 23, "proc.mov-dr-exiting" }, { PROC, 24, "proc.unconditional-i-o-exiting" },
	{ PROC, 29, "proc.monitor-exiting" },
	{ EXIT, 2, "exit.save-debug-controls" }, { EXIT, 9, "exit.host-address-space-size" },
	{ EXIT, 15, "exit.acknowledge-interrupt-on-exit" },
	{ ENTRY, 2, "entry.load-debug-controls" }, { ENTRY, 9, "entry.ia-32e-mode-guest" },
	/* vmcs_entry_exit_pairs[]: the partner left alone is the one named. */
	{ EXIT, 19, "exit.load-ia32-pat(pair)" }, { ENTRY, 15, "entry.load-ia32-efer(pair)" },
	{ EXIT, 12, "exit.load-ia32-perf-global-ctrl(pair)" },
	/* EPT capabilities reported without the EPT control. */
	{ MSR_IA32_VMX_PROCBASED_CTLS2, 1, "proc2.enable-ept(ept-capabilities-without-it)" },
	{ MSR_IA32_VMX_PROCBASED_CTLS2, 5, "proc2.enable-vpid(vpid-capabilities-without-it)" },
};

/* Xen 4.22's min sets (vmx_init_vmcs_config()). */
static const struct req xen_required[] = {
	{ PIN, 0, "pin.external-interrupt-exiting" }, { PIN, 3, "pin.nmi-exiting" },
	{ PROC, 2, "proc.interrupt-window-exiting" }, { PROC, 3, "proc.use-tsc-offsetting" },
	{ PROC, 7, "proc.hlt-exiting" }, { PROC, 9, "proc.invlpg-exiting" },
	{ PROC, 10, "proc.mwait-exiting" }, { PROC, 12, "proc.rdtsc-exiting" },
	{ PROC, 15, "proc.cr3-load-exiting" }, { PROC, 16, "proc.cr3-store-exiting" },
	{ PROC, 19, "proc.cr8-load-exiting" }, { PROC, 20, "proc.cr8-store-exiting" },
	{ PROC, 23, "proc.mov-dr-exiting" }, { PROC, 25, "proc.use-i-o-bitmaps" },
	{ PROC, 29, "proc.monitor-exiting" },
	{ EXIT, 9, "exit.host-address-space-size" }, { EXIT, 15, "exit.acknowledge-interrupt-on-exit" },
};

static void required(void)
{
	drop_each(KVM, kvm_required, sizeof(kvm_required) / sizeof(kvm_required[0]));
	drop_each(XEN, xen_required, sizeof(xen_required) / sizeof(xen_required[0]));

	/* Not required by Xen: RDPMC and unconditional I/O exiting, save debug
	 * controls, the entry controls. */
	static const struct req xen_optional[] = {
		{ PROC, 11, "" }, { PROC, 24, "" }, { EXIT, 2, "" }, { ENTRY, 2, "" }, { ENTRY, 9, "" },
	};
	for (unsigned i = 0; i < sizeof(xen_optional) / sizeof(xen_optional[0]); i++) {
		struct vmxcap_msrs m;
		vmxcap_load("corei7_skylake_x", &m);
		forbid(&m, xen_optional[i].msr, xen_optional[i].bit);
		check(XEN, &m, &host);
		CHECK(v.result == READY_DEGRADED);
	}

	/* IA32_VMX_BASIC: both refuse a VMCS over 4 KiB, 32-bit addresses, or
	 * a VMCS memory type other than write-back. */
	static const struct { uint64_t clear, set; const char *name; } basic[] = {
		{ 0x1fffull << 32, 0x1800ull << 32, "basic.region-size(over-4096)" },
		{ 0, 1ull << 48, "basic.addr-32bit(yes)" },
		{ 0xfull << 50, 0, "basic.memory-type(not-wb)" },
	};
	for (unsigned i = 0; i < 3; i++)
		for (unsigned hv = KVM; hv <= XEN; hv++) {
			struct vmxcap_msrs m;
			vmxcap_load("corei7_skylake_x", &m);
			m.value[IDX(MSR_IA32_VMX_BASIC)] &= ~basic[i].clear;
			m.value[IDX(MSR_IA32_VMX_BASIC)] |= basic[i].set;
			check(hv, &m, &host);
			CHECK(v.result == READY_NO);
			CHECK_STR(v.missing, basic[i].name);
		}
}

/* Xen's EPT needs INVLPG and CR3 exiting clearable: without the TRUE MSRs
 * (IA32_VMX_BASIC[55] clear) 482H reports CR3 load/store exiting as default-1,
 * and Xen has no HAP. */
static void xen_default1(void)
{
	struct vmxcap_msrs m;

	vmxcap_load("corei7_skylake_x", &m);
	m.value[IDX(MSR_IA32_VMX_BASIC)] &= ~(1ull << 55);
	check(XEN, &m, &host);
	CHECK_STR(ready_result_str(v.result), "degraded");
	CHECK_STR(v.missing, "proc.cr3-load-exiting(default1) proc.cr3-store-exiting(default1) "
		  "pin.process-posted-interrupts");
	CHECK_STR(v.limits, "hap unrestricted_guest nested_virt altp2m pml posted_interrupts");
	/* Linux reads only the allowed-1 bits: unchanged. */
	check(KVM, &m, &host);
	CHECK_STR(v.limits, "enable_apicv enable_ipiv preemption_timer");
	/* No secondary controls at all: reported as the primary control that
	 * activates them. */
	vmxcap_load("corei7_skylake_x", &m);
	forbid(&m, PROC, 31);
	m.value[IDX(MSR_IA32_VMX_EPT_VPID_CAP)] = 0;
	check(HYPERV, &m, &host);
	CHECK_STR(v.missing, "proc.activate-secondary-controls");
}

/* A CPU with every capability: yes everywhere. */
static void everything(void)
{
	struct vmxcap_msrs m;

	vmxcap_load("corei7_skylake_x", &m);
	for (unsigned msr = PIN; msr <= ENTRY; msr++)
		m.value[IDX(msr)] |= 0xffffffffull << 32;
	m.value[IDX(MSR_IA32_VMX_PROCBASED_CTLS2)] |= 0xffffffffull << 32;
	m.present[IDX(MSR_IA32_VMX_PROCBASED_CTLS3)] = true;
	m.value[IDX(MSR_IA32_VMX_PROCBASED_CTLS3)] = ~0ull;
	m.value[IDX(MSR_IA32_VMX_EPT_VPID_CAP)] = ~0ull;
	m.value[IDX(MSR_IA32_VMX_MISC)] |= 5 | 1u << 29;
	for (unsigned hv = 0; hv < READY_HYPERVISORS; hv++) {
		check(hv, &m, &host);
		CHECK_STR(ready_result_str(v.result), "yes");
		CHECK_STR(v.missing, "");
		CHECK_STR(v.limits, "");
	}
}

/* Each name of a capability bit is the capability report's key for it (among
 * the decoded lines in vmxcap_out). */
static void names_are_vmxcap_keys(const char *list)
{
	char copy[400], *save = 0;

	snprintf(copy, sizeof(copy), "%s", list);
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(0, " ", &save)) {
		char *paren = strchr(w, '(');
		if (paren)
			*paren = 0;
		if (!strncmp(w, "cpuid.", 6) || !strcmp(w, "vmx") || !strcmp(w, "feature-control.vmx") ||
		    !strcmp(w, "..."))
			continue;
		size_t len = strlen(w);
		bool found = false;
		for (unsigned i = 0; i < vmxcap_nout && !found; i++)
			found = !strncmp(vmxcap_out[i], w, len) && vmxcap_out[i][len] == '=';
		if (!found)
			printf("  not a vmxcap key: %s\n", w);
		CHECK(found);
	}
}

static void names(void)
{
	struct vmxcap_msrs all, m;

	vmxcap_load("tigerlake", &all);     /* has tertiary controls */
	all.present[IDX(MSR_IA32_VMX_PROCBASED_CTLS3)] = true;
	vmxcap_decode(&all, vmxcap_collect, 0);
	vmxcap_load("core2_penryn_t9600", &m);
	for (unsigned hv = 0; hv < READY_HYPERVISORS; hv++) {
		check(hv, &m, &host);
		names_are_vmxcap_keys(v.missing);
	}
	for (unsigned i = 0; i < sizeof(kvm_required) / sizeof(kvm_required[0]); i++)
		names_are_vmxcap_keys(kvm_required[i].name);
	vmxcap_load("corei7_skylake_x", &m);
	m.value[IDX(MSR_IA32_VMX_BASIC)] &= ~(1ull << 55);
	check(XEN, &m, &host);
	names_are_vmxcap_keys(v.missing);
	/* Every control gone: every requirement is named, up to "...". */
	for (unsigned msr = PIN; msr <= ENTRY; msr++)
		m.value[IDX(msr)] &= 0xffffffffull;
	check(KVM, &m, &host);
	CHECK_STR(ready_result_str(v.result), "no");
	CHECK(strlen(v.missing) < sizeof(v.missing));
	CHECK(51 + strlen(v.missing) + 2 <= 511);
	CHECK(!strcmp(v.missing + strlen(v.missing) - 3, "..."));
	names_are_vmxcap_keys(v.missing);
}

int main(void)
{
	skylake_x();
	penryn();
	every_model();
	no_vmx();
	required();
	xen_default1();
	everything();
	names();
	return check_report("test_ready");
}
