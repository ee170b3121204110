/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor readiness tables and their one decision (lib/ready.h).
 *
 * A table is a list of rules. A rule without a limit is a requirement: a
 * missing need makes the result no. A rule with a limit is a feature the
 * hypervisor turns off when one of its needs is missing (or a feature it builds
 * on, "after", is off): the result is then degraded, with the need in missing=
 * and the limit in limits=. Needs are capability bits as the hypervisors test
 * them: a VM-execution, VM-exit or VM-entry control is available when its
 * allowed-1 bit is set in the non-TRUE capability MSR (both Linux's and Xen's
 * adjust_vmx_controls() read 481H-484H and 48BH; SDM Vol. 3D, A.3-A.5: the TRUE
 * MSRs report the same allowed-1 settings), a secondary control only when
 * "activate secondary controls" is, and a tertiary one only with "activate
 * tertiary controls" (Vol. 3D, A.3.2-A.3.4).
 */
#include "lib/ready.h"

#include <stddef.h>

#include "lib/const.h"
#include "lib/msr-index.h"
#include "lib/vmx.h"

enum need_kind {
	NEED_NONE,
	NEED_CTL,       /* allowed-1 bit of a control MSR (non-TRUE; 492H: any set bit) */
	NEED_CAP,       /* a set bit of 485H, 48CH or 491H */
	NEED_CLEARABLE, /* a primary control that may be 0 (TRUE MSR's low word when BASIC[55]) */
	NEED_HOST,      /* a CPUID fact or another check that is not one bit */
};

enum host_fact {
	HOST_NX, HOST_LM, HOST_PREEMPTION_TIMER_OK, HOST_PREEMPTION_TIMER_RATE,
	HOST_BASIC_SIZE, HOST_BASIC_ADDR, HOST_BASIC_WB,
};

struct need {
	uint8_t kind;
	uint16_t msr;           /* NEED_CTL, NEED_CAP: the MSR; NEED_HOST: enum host_fact */
	uint8_t bit;
	const char *name;
};

#define MAX_NEEDS 14
struct rule {
	struct ready_rule_head head;    /* limit (NULL: required) and the feature it needs */
	struct need all[MAX_NEEDS];
	struct need any[2];     /* at least one of these, when given */
};

/* A requirement; a feature (limit) turned off without its needs, or without
 * the feature it builds on (after). */
#define REQUIRE(...)                    { .all = { __VA_ARGS__ } }
#define FEATURE(limit_, after_, ...) \
	{ .head = { limit_, after_ }, .all = { __VA_ARGS__ } }

#define PIN(b, n)   { NEED_CTL, MSR_IA32_VMX_PINBASED_CTLS, b, "pin." n }
#define PROC(b, n)  { NEED_CTL, MSR_IA32_VMX_PROCBASED_CTLS, b, "proc." n }
#define PROC2(b, n) { NEED_CTL, MSR_IA32_VMX_PROCBASED_CTLS2, b, "proc2." n }
#define PROC3(b, n) { NEED_CTL, MSR_IA32_VMX_PROCBASED_CTLS3, b, "proc3." n }
#define EXIT(b, n)  { NEED_CTL, MSR_IA32_VMX_EXIT_CTLS, b, "exit." n }
#define ENTRY(b, n) { NEED_CTL, MSR_IA32_VMX_ENTRY_CTLS, b, "entry." n }
#define MISC(b, n)  { NEED_CAP, MSR_IA32_VMX_MISC, b, "misc." n }
#define EPT(b, n)   { NEED_CAP, MSR_IA32_VMX_EPT_VPID_CAP, b, "ept." n }
#define VPID(b, n)  { NEED_CAP, MSR_IA32_VMX_EPT_VPID_CAP, b, "vpid." n }
#define VMFUNC(b, n) { NEED_CAP, MSR_IA32_VMX_VMFUNC, b, "vmfunc." n }
#define CLEARABLE(b, n) { NEED_CLEARABLE, MSR_IA32_VMX_PROCBASED_CTLS, b, "proc." n "(default1)" }
#define HOST(f, n)  { NEED_HOST, f, 0, n }

/* IA32_VMX_BASIC checks both Linux (setup_vmcs_config()) and Xen
 * (vmx_init_vmcs_config()) refuse VMX on: VMCS region over 4 KiB, region
 * addresses limited to 32 bits, VMCS memory type not write-back. */
#define BASIC_CHECKS \
	HOST(HOST_BASIC_SIZE, "basic.region-size(over-4096)"), \
	HOST(HOST_BASIC_ADDR, "basic.addr-32bit(yes)"), \
	HOST(HOST_BASIC_WB, "basic.memory-type(not-wb)")

/*
 * Linux KVM (kvm_intel), Linux 6.12.117, arch/x86/kvm/vmx/: setup_vmcs_config()
 * (vmx.c) with the KVM_REQUIRED_* and KVM_OPTIONAL_* control sets (vmx.h, 64-bit
 * kernel), then vmx_hardware_setup() (vmx.c) and nested_vmx_hardware_setup()
 * (nested.c), which turn module parameters off. The entry/exit pairs and the
 * EPT/VPID capability consistency checks (error_on_inconsistent_vmcs_config=1,
 * the default) are in ready_check(); NX is needed only without EPT.
 */
static const struct rule kvm_rules[] = {
	REQUIRE(PIN(0, "external-interrupt-exiting"), PIN(3, "nmi-exiting"),
		PROC(2, "interrupt-window-exiting"), PROC(3, "use-tsc-offsetting"),
		PROC(7, "hlt-exiting"), PROC(9, "invlpg-exiting"), PROC(10, "mwait-exiting"),
		PROC(11, "rdpmc-exiting"), PROC(15, "cr3-load-exiting"),
		PROC(16, "cr3-store-exiting"), PROC(19, "cr8-load-exiting"),
		PROC(20, "cr8-store-exiting"), PROC(23, "mov-dr-exiting"),
		PROC(24, "unconditional-i-o-exiting")),
	REQUIRE(PROC(29, "monitor-exiting"),
		EXIT(2, "save-debug-controls"), EXIT(9, "host-address-space-size"),
		EXIT(15, "acknowledge-interrupt-on-exit"),
		ENTRY(2, "load-debug-controls"), ENTRY(9, "ia-32e-mode-guest"), BASIC_CHECKS),
	/* enable_ept: cpu_has_vmx_ept(), _ept_4levels(), _ept_mt_wb(), _invept_global(). */
	FEATURE("ept", NULL, PROC(31, "activate-secondary-controls"), PROC2(1, "enable-ept"),
		EPT(6, "page-walk-length-4"), EPT(14, "paging-structure-memory-type-wb"),
		EPT(26, "all-context-invept")),
	FEATURE("unrestricted_guest", "ept", PROC2(7, "unrestricted-guest")),
	FEATURE("eptad", "ept", EPT(21, "accessed-and-dirty-flags")),
	FEATURE("pml", "eptad", PROC2(17, "enable-pml")),
	/* enable_vpid: VPID, INVVPID, and its single-context or all-context type. */
	{ .head = { "vpid", NULL }, .all = { PROC(31, "activate-secondary-controls"),
		PROC2(5, "enable-vpid"), VPID(32, "invvpid") },
	  .any = { VPID(41, "single-context-invvpid"), VPID(42, "all-context-invvpid") } },
	FEATURE("flexpriority", NULL, PROC(21, "use-tpr-shadow"),
		PROC(31, "activate-secondary-controls"), PROC2(0, "virtualize-apic-accesses")),
	FEATURE("vnmi", NULL, PIN(5, "virtual-nmis"), PROC(22, "nmi-window-exiting")),
	/* cpu_has_vmx_apicv(); setup_vmcs_config() drops them without a TPR shadow. */
	FEATURE("enable_apicv", NULL, PROC(21, "use-tpr-shadow"),
		PROC(31, "activate-secondary-controls"),
		PROC2(8, "apic-register-virtualization"),
		PROC2(9, "virtual-interrupt-delivery"), PIN(7, "process-posted-interrupts")),
	FEATURE("enable_ipiv", "enable_apicv", PROC(17, "activate-tertiary-controls"),
		PROC3(4, "ipi-virtualization")),
	/* cpu_has_broken_vmx_preemption_timer() (vmx_preemption_cpu_tfms[]) and
	 * the rate check in vmx_hardware_setup(). */
	FEATURE("preemption_timer", NULL, PIN(6, "activate-vmx-preemption-timer"),
		HOST(HOST_PREEMPTION_TIMER_OK, "cpuid.signature(preemption-timer-erratum)"),
		HOST(HOST_PREEMPTION_TIMER_RATE, "misc.preemption-timer-rate(too-fast)")),
	FEATURE("ple_gap", NULL, PROC(31, "activate-secondary-controls"),
		PROC2(10, "pause-loop-exiting")),
	FEATURE("enable_shadow_vmcs", NULL, PROC(31, "activate-secondary-controls"),
		PROC2(14, "vmcs-shadowing"), MISC(29, "vmwrite-any-field")),
	/* kvm_caps.has_tsc_control: no guest TSC rate below the host's without it. */
	FEATURE("tsc_scaling", NULL, PROC(31, "activate-secondary-controls"),
		PROC2(25, "use-tsc-scaling")),
};

/*
 * Xen 4.22.0 (RELEASE-4.22.0), xen/arch/x86/hvm/vmx/vmcs.c: the min and opt
 * sets of vmx_init_vmcs_config() (with its BASIC checks), the features it and
 * start_vmx() (vmx.c) drop; HAP is EPT plus VM_ENTRY_LOAD_GUEST_PAT (XSA-60),
 * and needs INVLPG and CR3 exiting clearable; nested HVM and altp2m need HAP.
 */
static const struct rule xen_rules[] = {
	REQUIRE(PIN(0, "external-interrupt-exiting"), PIN(3, "nmi-exiting"),
		PROC(2, "interrupt-window-exiting"), PROC(3, "use-tsc-offsetting"),
		PROC(7, "hlt-exiting"), PROC(9, "invlpg-exiting"), PROC(10, "mwait-exiting"),
		PROC(12, "rdtsc-exiting"), PROC(15, "cr3-load-exiting"),
		PROC(16, "cr3-store-exiting"), PROC(19, "cr8-load-exiting"),
		PROC(20, "cr8-store-exiting"), PROC(23, "mov-dr-exiting"),
		PROC(25, "use-i-o-bitmaps")),
	REQUIRE(PROC(29, "monitor-exiting"),
		EXIT(9, "host-address-space-size"), EXIT(15, "acknowledge-interrupt-on-exit"),
		BASIC_CHECKS),
	FEATURE("hap", NULL, PROC(31, "activate-secondary-controls"), PROC2(1, "enable-ept"),
		EPT(6, "page-walk-length-4"), EPT(14, "paging-structure-memory-type-wb"),
		EPT(26, "all-context-invept"), ENTRY(14, "load-ia32-pat"),
		CLEARABLE(9, "invlpg-exiting"), CLEARABLE(15, "cr3-load-exiting"),
		CLEARABLE(16, "cr3-store-exiting")),
	FEATURE("unrestricted_guest", "hap", PROC2(7, "unrestricted-guest")),
	FEATURE("nested_virt", "hap"),
	FEATURE("altp2m", "hap"),
	FEATURE("pml", "hap", PROC2(17, "enable-pml"), EPT(21, "accessed-and-dirty-flags")),
	FEATURE("vpid", NULL, PROC(31, "activate-secondary-controls"), PROC2(5, "enable-vpid"),
		VPID(42, "all-context-invvpid")),
	FEATURE("apicv", NULL, PROC(21, "use-tpr-shadow"), PROC(31, "activate-secondary-controls"),
		PROC2(8, "apic-register-virtualization"),
		PROC2(9, "virtual-interrupt-delivery")),
	FEATURE("posted_interrupts", NULL, PROC(21, "use-tpr-shadow"),
		PROC(31, "activate-secondary-controls"), PROC2(9, "virtual-interrupt-delivery"),
		PIN(7, "process-posted-interrupts")),
	FEATURE("tsc_scaling", NULL, PROC(31, "activate-secondary-controls"),
		PROC2(25, "use-tsc-scaling")),
	FEATURE("vmfunc", NULL, PROC(31, "activate-secondary-controls"),
		PROC2(13, "enable-vm-functions"), VMFUNC(0, "eptp-switching")),
};

/*
 * Hyper-V: "System requirements for Hyper-V on Windows and Windows Server"
 * (Microsoft Learn, 2025): a 64-bit processor with second-level address
 * translation (SLAT: EPT on Intel), VM Monitor Mode extensions (VMX), and
 * hardware-enforced DEP (the XD bit).
 */
static const struct rule hyperv_rules[] = {
	REQUIRE(HOST(HOST_LM, "cpuid.lm"), HOST(HOST_NX, "cpuid.nx"),
		PROC(31, "activate-secondary-controls"), PROC2(1, "enable-ept")),
};

/*
 * VMware ESXi: "ESXi Hardware Requirements" (vSphere 6.5: the NX/XD bit enabled;
 * Intel VT-x for 64-bit virtual machines) and KB 1003945 ("Intel CPUs require
 * EM64T and VT support"). Its documentation states no VMX control or EPT
 * requirement, so none is listed.
 */
static const struct rule esxi_rules[] = {
	REQUIRE(HOST(HOST_LM, "cpuid.lm"), HOST(HOST_NX, "cpuid.nx")),
};

struct table {
	const char *name;
	const struct rule *rules;
	unsigned n;
};

/* Each table's source and version: the comment above it. */
static const struct table tables[READY_HYPERVISORS] = {
	{ "kvm", kvm_rules, ARRAY_SIZE(kvm_rules) },
	{ "xen", xen_rules, ARRAY_SIZE(xen_rules) },
	{ "hyper-v", hyperv_rules, ARRAY_SIZE(hyperv_rules) },
	{ "esxi", esxi_rules, ARRAY_SIZE(esxi_rules) },
};

const char *ready_name(unsigned hv)
{
	return hv < READY_HYPERVISORS ? tables[hv].name : "?";
}

const char *ready_result_str(enum ready_result r)
{
	static const char *const s[] = { "yes", "degraded", "no", "unknown" };
	return (unsigned)r < 4 ? s[r] : "?";
}

/* CPUID.1:EAX values (stepping kept, bits 15:14 and 31:28 masked) whose
 * preemption timer Linux does not use: vmx_preemption_cpu_tfms[] (vmx.c,
 * Linux 6.12.117), from Intel's errata BA86, AAX65, AAT59, AAU65, AAO95, AAN92,
 * AAP86, AAM126, AAJ124, AAK139 and the Xeon E3-1220 V2. */
static const uint32_t preemption_timer_errata[] = {
	0x000206E6, 0x00020652, 0x00020655, 0x000106E5, 0x000106A0,
	0x000106A1, 0x000106A4, 0x000106A5, 0x000306A8,
};

static bool preemption_timer_erratum(uint32_t signature)
{
	uint32_t eax = signature & ~(3u << 14 | 0xfu << 28);

	for (unsigned i = 0; i < ARRAY_SIZE(preemption_timer_errata); i++)
		if (eax == preemption_timer_errata[i])
			return true;
	return false;
}

/* vmx_hardware_setup(): the timer is not used when it would count faster than
 * 0xffffffff/10 per second (TSC at tsc_khz, or 5 GHz when unknown, shifted
 * right by IA32_VMX_MISC[4:0]). */
static bool preemption_timer_rate_ok(const struct vmxcap_msrs *m, uint64_t tsc_khz)
{
	uint64_t hz = (tsc_khz ? tsc_khz : 5000000) * 1000;
	unsigned rate = vmxcap_get(m, MSR_IA32_VMX_MISC) & 0x1f;

	return (hz >> rate) <= 0xffffffffu / 10;
}

static bool ctl_allowed(const struct vmxcap_msrs *m, unsigned msr, unsigned bit)
{
	if (!vmxcap_has(m, msr))
		return false;
	if (msr == MSR_IA32_VMX_PROCBASED_CTLS2 &&
	    !ctl_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS, 31))
		return false;
	if (msr == MSR_IA32_VMX_PROCBASED_CTLS3)
		return ctl_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS, 17) &&
		       (vmxcap_get(m, msr) >> bit & 1);
	return vmxcap_get(m, msr) >> (32 + bit) & 1;
}

/* May a primary control be 0? Xen reads the must-be-1 word of the TRUE MSR
 * when IA32_VMX_BASIC[55] says it exists, else of 482H. */
static bool clearable(const struct vmxcap_msrs *m, unsigned bit)
{
	struct vmx_basic b = vmx_basic_decode(vmxcap_get(m, MSR_IA32_VMX_BASIC));
	unsigned msr = b.true_ctls && vmxcap_has(m, MSR_IA32_VMX_TRUE_PROCBASED_CTLS)
		? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS;

	return !(vmxcap_get(m, msr) >> bit & 1);
}

static bool host_fact(const struct vmxcap_msrs *m, const struct ready_host *h, unsigned f)
{
	struct vmx_basic b = vmx_basic_decode(vmxcap_get(m, MSR_IA32_VMX_BASIC));

	switch (f) {
	case HOST_NX: return h->nx;
	case HOST_LM: return h->lm;
	case HOST_PREEMPTION_TIMER_OK: return !preemption_timer_erratum(h->signature);
	case HOST_PREEMPTION_TIMER_RATE: return preemption_timer_rate_ok(m, h->tsc_khz);
	case HOST_BASIC_SIZE: return b.region_size <= 4096;
	case HOST_BASIC_ADDR: return !b.addr_32bit;
	case HOST_BASIC_WB: return b.memtype == VMX_BASIC_MEM_TYPE_WB;
	}
	return false;
}

static bool need_met(const struct vmxcap_msrs *m, const struct ready_host *h, const struct need *n)
{
	switch (n->kind) {
	case NEED_CTL: return ctl_allowed(m, n->msr, n->bit);
	case NEED_CAP: return vmxcap_has(m, n->msr) && (vmxcap_get(m, n->msr) >> n->bit & 1);
	case NEED_CLEARABLE: return clearable(m, n->bit);
	case NEED_HOST: return host_fact(m, h, n->msr);
	}
	return true;
}

/* Is word one of list's space-separated words? (lib/ready.h) */
bool ready_list_has(const char *list, const char *word)
{
	for (const char *p = list; *p;) {
		const char *w = word;
		while (*p && *p != ' ' && *p == *w) {
			p++;
			w++;
		}
		if (!*w && (!*p || *p == ' '))
			return true;
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
	}
	return false;
}

/* Append a word to a space-separated list, once; when it does not fit, the
 * list ends with "..." instead (room for it is kept). (lib/ready.h) */
void ready_list_add(char *list, unsigned size, const char *word)
{
	unsigned n = 0, len = 0;

	if (ready_list_has(list, word) || ready_list_has(list, "..."))
		return;
	while (list[n])
		n++;
	while (word[len])
		len++;
	if (n + (n ? 1 : 0) + len + 1 > size - 4) {
		word = "...";
		len = 3;
	}
	if (n)
		list[n++] = ' ';
	for (unsigned i = 0; i <= len; i++)
		list[n + i] = word[i];
}

/* The name to report for an unmet need: a secondary or tertiary control whose
 * "activate" control is itself unavailable is reported as that one. */
static const char *need_name(const struct vmxcap_msrs *m, const struct need *n)
{
	static const struct need gate2 = PROC(31, "activate-secondary-controls");
	static const struct need gate3 = PROC(17, "activate-tertiary-controls");

	if (n->kind == NEED_CTL && n->msr == MSR_IA32_VMX_PROCBASED_CTLS2 &&
	    !ctl_allowed(m, gate2.msr, gate2.bit))
		return gate2.name;
	if (n->kind == NEED_CTL && n->msr == MSR_IA32_VMX_PROCBASED_CTLS3 &&
	    !ctl_allowed(m, gate3.msr, gate3.bit))
		return gate3.name;
	return n->name;
}

/* The facts a VMX table reads. */
struct vmx_facts {
	const struct vmxcap_msrs *m;
	const struct ready_host *h;
};

/* Record a rule's unmet needs in list; false if any (lib/ready.h's met()). In
 * a feature's rule, the capabilities and checks after a missing control are
 * not named (without the control they mean nothing: EPT capabilities without
 * EPT, say). */
static bool check_rule(const void *facts, const void *rule, char *list, unsigned size)
{
	const struct rule *r = rule;
	const struct vmxcap_msrs *m = ((const struct vmx_facts *)facts)->m;
	const struct ready_host *h = ((const struct vmx_facts *)facts)->h;
	bool ok = true, ctl_missing = false, any_given = false, any_met = false;

	for (unsigned i = 0; i < MAX_NEEDS && r->all[i].name; i++) {
		const struct need *n = &r->all[i];
		if (need_met(m, h, n))
			continue;
		ok = false;
		if (r->head.limit && n->kind != NEED_CTL && ctl_missing)
			continue;
		ctl_missing |= n->kind == NEED_CTL;
		ready_list_add(list, size, need_name(m, n));
	}
	for (unsigned i = 0; i < 2 && r->any[i].name; i++) {
		any_given = true;
		any_met |= need_met(m, h, &r->any[i]);
	}
	if (any_given && !any_met) {
		ok = false;
		for (unsigned i = 0; i < 2 && r->any[i].name && !ctl_missing; i++)
			ready_list_add(list, size, r->any[i].name);
	}
	return ok;
}

/* Linux's vmcs_entry_exit_pairs[] (setup_vmcs_config()): each VM-entry control
 * and its VM-exit partner must both be available or both not; otherwise KVM
 * does not load ("Inconsistent VM-Entry/VM-Exit pair"). The one that is not
 * available is named, with "(pair)". */
static const struct { struct need entry, exit; } kvm_pairs[] = {
	{ ENTRY(13, "load-ia32-perf-global-ctrl(pair)"), EXIT(12, "load-ia32-perf-global-ctrl(pair)") },
	{ ENTRY(14, "load-ia32-pat(pair)"), EXIT(19, "load-ia32-pat(pair)") },
	{ ENTRY(15, "load-ia32-efer(pair)"), EXIT(21, "load-ia32-efer(pair)") },
	{ ENTRY(16, "load-ia32-bndcfgs(pair)"), EXIT(23, "clear-ia32-bndcfgs(pair)") },
	{ ENTRY(18, "load-ia32-rtit-ctl(pair)"), EXIT(25, "clear-ia32-rtit-ctl(pair)") },
};

/* KVM's checks that are not one bit each; false if one fails. */
static bool kvm_consistent(const struct vmxcap_msrs *m, char *list, unsigned size)
{
	bool ok = true;

	for (unsigned i = 0; i < ARRAY_SIZE(kvm_pairs); i++) {
		bool entry = ctl_allowed(m, kvm_pairs[i].entry.msr, kvm_pairs[i].entry.bit);
		bool exit = ctl_allowed(m, kvm_pairs[i].exit.msr, kvm_pairs[i].exit.bit);
		if (entry != exit) {
			ready_list_add(list, size,
				       entry ? kvm_pairs[i].exit.name : kvm_pairs[i].entry.name);
			ok = false;
		}
	}
	/* EPT (or VPID) capabilities reported without the control: -EIO. */
	uint64_t cap = vmxcap_get(m, MSR_IA32_VMX_EPT_VPID_CAP);
	if ((uint32_t)cap && !ctl_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS2, 1)) {
		ready_list_add(list, size, "proc2.enable-ept(ept-capabilities-without-it)");
		ok = false;
	}
	if ((cap >> 32) && !ctl_allowed(m, MSR_IA32_VMX_PROCBASED_CTLS2, 5)) {
		ready_list_add(list, size, "proc2.enable-vpid(vpid-capabilities-without-it)");
		ok = false;
	}
	return ok;
}

/* Rule i's head: the rule itself, which starts with it. */
static const struct ready_rule_head *head(const struct ready_rules *t, unsigned i)
{
	return (const void *)((const char *)t->rules + i * t->stride);
}

bool ready_required(const struct ready_rules *t, struct ready_verdict *out)
{
	bool ok = true;

	for (unsigned i = 0; i < t->n; i++)
		if (!head(t, i)->limit)
			ok &= t->met(t->ctx, head(t, i), out->missing, sizeof(out->missing));
	if (!ok)
		out->result = READY_NO;
	return ok;
}

void ready_optional(const struct ready_rules *t, struct ready_verdict *out)
{
	for (unsigned i = 0; i < t->n; i++) {
		const struct ready_rule_head *r = head(t, i);
		if (!r->limit)
			continue;
		/* Off with the feature it builds on; its own needs are not named. */
		if ((r->after && ready_list_has(out->limits, r->after)) ||
		    !t->met(t->ctx, r, out->missing, READY_DEGRADED_MISSING))
			ready_list_add(out->limits, sizeof(out->limits), r->limit);
	}
	out->result = out->limits[0] ? READY_DEGRADED : READY_YES;
}

void ready_check(unsigned hv, const struct vmxcap_msrs *m, const struct ready_host *h,
		 struct ready_verdict *out)
{
	*out = (struct ready_verdict){ 0 };
	if (hv >= READY_HYPERVISORS) {
		out->result = READY_UNKNOWN;
		return;
	}
	if (!h->vmx || h->locked_off) {
		out->result = READY_NO;
		ready_list_add(out->missing, sizeof(out->missing), h->vmx ? "feature-control.vmx" : "vmx");
		return;
	}
	if (!m || !vmxcap_has(m, MSR_IA32_VMX_BASIC)) {
		out->result = READY_UNKNOWN;    /* VMX, but its capabilities were not read */
		return;
	}
	const struct vmx_facts f = { m, h };
	const struct ready_rules t = { tables[hv].rules, tables[hv].n, sizeof(struct rule), &f,
				       check_rule };
	bool loads = ready_required(&t, out);
	if (hv == 0)
		loads &= kvm_consistent(m, out->missing, sizeof(out->missing));
	if (!loads) {
		out->result = READY_NO;
		return;
	}
	ready_optional(&t, out);
	/* vmx_hardware_setup(): without EPT, KVM needs NX ("NX (Execute Disable)
	 * not supported"). */
	if (hv == 0 && ready_list_has(out->limits, "ept") && !h->nx) {
		out->missing[0] = 0;
		ready_list_add(out->missing, sizeof(out->missing), "cpuid.nx");
		out->limits[0] = 0;
		out->result = READY_NO;
	}
}
