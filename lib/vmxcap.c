/* SPDX-License-Identifier: MIT */
/* VMX capability report: see vmxcap.h. */
#include "lib/vmxcap.h"

#include "lib/msr-index.h"
#include "lib/vmx.h"

#include "lib/string.h"

#include "lib/fmt.h"


struct bitname {
	uint8_t bit;
	const char *name;
};

/* SDM Vol. 3C, "Pin-Based VM-Execution Controls". */
static const struct bitname pin[] = {
	{ 0, "External-interrupt exiting" }, { 3, "NMI exiting" }, { 5, "Virtual NMIs" },
	{ 6, "Activate VMX-preemption timer" }, { 7, "Process posted interrupts" },
};
/* "Primary Processor-Based VM-Execution Controls". */
static const struct bitname proc[] = {
	{ 2, "Interrupt-window exiting" }, { 3, "Use TSC offsetting" }, { 7, "HLT exiting" },
	{ 9, "INVLPG exiting" }, { 10, "MWAIT exiting" }, { 11, "RDPMC exiting" },
	{ 12, "RDTSC exiting" }, { 15, "CR3-load exiting" }, { 16, "CR3-store exiting" },
	{ 17, "Activate tertiary controls" }, { 19, "CR8-load exiting" },
	{ 20, "CR8-store exiting" }, { 21, "Use TPR shadow" }, { 22, "NMI-window exiting" },
	{ 23, "MOV-DR exiting" }, { 24, "Unconditional I/O exiting" }, { 25, "Use I/O bitmaps" },
	{ 27, "Monitor trap flag" }, { 28, "Use MSR bitmaps" }, { 29, "MONITOR exiting" },
	{ 30, "PAUSE exiting" }, { 31, "Activate secondary controls" },
};
/* "Secondary Processor-Based VM-Execution Controls". */
static const struct bitname proc2[] = {
	{ 0, "Virtualize APIC accesses" }, { 1, "Enable EPT" }, { 2, "Descriptor-table exiting" },
	{ 3, "Enable RDTSCP" }, { 4, "Virtualize x2APIC mode" }, { 5, "Enable VPID" },
	{ 6, "WBINVD exiting" }, { 7, "Unrestricted guest" }, { 8, "APIC-register virtualization" },
	{ 9, "Virtual-interrupt delivery" }, { 10, "PAUSE-loop exiting" }, { 11, "RDRAND exiting" },
	{ 12, "Enable INVPCID" }, { 13, "Enable VM functions" }, { 14, "VMCS shadowing" },
	{ 15, "Enable ENCLS exiting" }, { 16, "RDSEED exiting" }, { 17, "Enable PML" },
	{ 18, "EPT-violation #VE" }, { 19, "Conceal VMX from PT" },
	{ 20, "Enable XSAVES/XRSTORS" }, { 21, "PASID translation" },
	{ 22, "Mode-based execute control for EPT" }, { 23, "Sub-page write permissions for EPT" },
	{ 24, "Intel PT uses guest physical addresses" }, { 25, "Use TSC scaling" },
	{ 26, "Enable user wait and pause" }, { 27, "Enable PCONFIG" },
	{ 28, "Enable ENCLV exiting" }, { 30, "VMM bus-lock detection" },
	{ 31, "Instruction timeout" },
};
/* "Tertiary Processor-Based VM-Execution Controls" (64 bits, allowed-1 only). */
static const struct bitname proc3[] = {
	{ 0, "LOADIWKEY exiting" }, { 1, "Enable HLAT" }, { 2, "EPT paging-write control" },
	{ 3, "Guest-paging verification" }, { 4, "IPI virtualization" },
	{ 7, "Virtualize IA32_SPEC_CTRL" },
};
/* "Primary VM-Exit Controls". */
static const struct bitname exitc[] = {
	{ 2, "Save debug controls" }, { 9, "Host address-space size" },
	{ 12, "Load IA32_PERF_GLOBAL_CTRL" }, { 15, "Acknowledge interrupt on exit" },
	{ 18, "Save IA32_PAT" }, { 19, "Load IA32_PAT" }, { 20, "Save IA32_EFER" },
	{ 21, "Load IA32_EFER" }, { 22, "Save VMX-preemption timer value" },
	{ 23, "Clear IA32_BNDCFGS" }, { 24, "Conceal VMX from PT" }, { 25, "Clear IA32_RTIT_CTL" },
	{ 26, "Clear IA32_LBR_CTL" }, { 27, "Clear UINV" }, { 28, "Load CET state" },
	{ 29, "Load PKRS" }, { 30, "Save IA32_PERF_GLOBAL_CTL" },
	{ 31, "Activate secondary controls" },
};
/* "VM-Entry Controls". */
static const struct bitname entryc[] = {
	{ 2, "Load debug controls" }, { 9, "IA-32e mode guest" }, { 10, "Entry to SMM" },
	{ 11, "Deactivate dual-monitor treatment" }, { 13, "Load IA32_PERF_GLOBAL_CTRL" },
	{ 14, "Load IA32_PAT" }, { 15, "Load IA32_EFER" }, { 16, "Load IA32_BNDCFGS" },
	{ 17, "Conceal VMX from PT" }, { 18, "Load IA32_RTIT_CTL" }, { 19, "Load UINV" },
	{ 20, "Load CET state" }, { 21, "Load guest IA32_LBR_CTL" }, { 22, "Load PKRS" },
};
/* Appendix A.10 "VPID and EPT Capabilities" (IA32_VMX_EPT_VPID_CAP). */
static const struct bitname ept[] = {
	{ 0, "Execute-only translations" }, { 6, "Page-walk length 4" },
	{ 7, "Page-walk length 5" }, { 8, "Paging-structure memory type UC" },
	{ 14, "Paging-structure memory type WB" }, { 16, "2-MByte pages" },
	{ 17, "1-GByte pages" }, { 20, "INVEPT" }, { 21, "Accessed and dirty flags" },
	{ 22, "Advanced VM-exit information for EPT violations" },
	{ 23, "Supervisor shadow-stack control" }, { 25, "Single-context INVEPT" },
	{ 26, "All-context INVEPT" },
};
static const struct bitname vpid[] = {
	{ 32, "INVVPID" }, { 40, "Individual-address INVVPID" },
	{ 41, "Single-context INVVPID" }, { 42, "All-context INVVPID" },
	{ 43, "Single-context-retaining-globals INVVPID" },
};
/* Appendix A.11 "VM Functions" (IA32_VMX_VMFUNC). */
static const struct bitname vmfunc[] = {
	{ 0, "EPTP switching" },
};

enum ctl_kind { ALLOWED_0_1, ALLOWED_1_64 };

struct group {
	const char *key, *title;
	unsigned msr, true_msr;         /* true_msr 0: none */
	enum ctl_kind kind;
	const struct bitname *bits;
	unsigned n;
};

#define GROUP(k, t, m, tm, kind, b) { k, t, m, tm, kind, b, sizeof(b) / sizeof((b)[0]) }
static const struct group groups[] = {
	GROUP("pin", "Pin-based VM-execution controls", MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS, ALLOWED_0_1, pin),
	GROUP("proc", "Primary processor-based VM-execution controls", MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS, ALLOWED_0_1, proc),
	GROUP("proc2", "Secondary processor-based VM-execution controls", MSR_IA32_VMX_PROCBASED_CTLS2, 0, ALLOWED_0_1, proc2),
	GROUP("proc3", "Tertiary processor-based VM-execution controls", MSR_IA32_VMX_PROCBASED_CTLS3, 0, ALLOWED_1_64, proc3),
	GROUP("exit", "VM-exit controls", MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS, ALLOWED_0_1, exitc),
	GROUP("entry", "VM-entry controls", MSR_IA32_VMX_ENTRY_CTLS, MSR_IA32_VMX_TRUE_ENTRY_CTLS, ALLOWED_0_1, entryc),
	GROUP("ept", "EPT capabilities", MSR_IA32_VMX_EPT_VPID_CAP, 0, ALLOWED_1_64, ept),
	GROUP("vpid", "VPID capabilities", MSR_IA32_VMX_EPT_VPID_CAP, 0, ALLOWED_1_64, vpid),
	GROUP("vmfunc", "VM functions", MSR_IA32_VMX_VMFUNC, 0, ALLOWED_1_64, vmfunc),
};

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

bool vmxcap_has(const struct vmxcap_msrs *m, unsigned msr)
{
	return msr >= VMXCAP_FIRST_MSR && VMXCAP_INDEX(msr) < VMXCAP_MSRS && m->present[VMXCAP_INDEX(msr)];
}

uint64_t vmxcap_get(const struct vmxcap_msrs *m, unsigned msr)
{
	return vmxcap_has(m, msr) ? m->value[VMXCAP_INDEX(msr)] : 0;
}

unsigned vmxcap_compare(const struct vmxcap_msrs *a, const struct vmxcap_msrs *b,
			vmxcap_diff_fn diff, void *ctx)
{
	unsigned n = 0;

	for (unsigned k = 0; k < VMXCAP_MSRS; k++) {
		bool pa = a->present[k], pb = b->present[k];
		if (pa == pb && (!pa || a->value[k] == b->value[k]))
			continue;
		n++;
		if (diff)
			diff(ctx, VMXCAP_FIRST_MSR + k, pa, a->value[k], pb, b->value[k]);
	}
	return n;
}

bool vmxcap_msr_exists(const struct vmxcap_msrs *m, unsigned index)
{
	struct vmx_basic b = vmx_basic_decode(vmxcap_get(m, MSR_IA32_VMX_BASIC));
	uint64_t proc_ctls = vmxcap_get(m, MSR_IA32_VMX_PROCBASED_CTLS);
	uint64_t sec = vmxcap_has(m, MSR_IA32_VMX_PROCBASED_CTLS2) ? vmxcap_get(m, MSR_IA32_VMX_PROCBASED_CTLS2) >> 32 : 0;

	if (index <= 0xa)
		return true;                            /* whenever CPUID.1:ECX.VMX = 1 */
	switch (index + VMXCAP_FIRST_MSR) {
	case MSR_IA32_VMX_PROCBASED_CTLS2:                                     /* "activate secondary controls" */
		return proc_ctls >> 63;
	case MSR_IA32_VMX_EPT_VPID_CAP:                                     /* EPT or VPID may be enabled */
		return sec & ((1u << 1) | (1u << 5));
	case MSR_IA32_VMX_TRUE_PINBASED_CTLS: case MSR_IA32_VMX_TRUE_PROCBASED_CTLS: case MSR_IA32_VMX_TRUE_EXIT_CTLS: case MSR_IA32_VMX_TRUE_ENTRY_CTLS: /* IA32_VMX_BASIC[55] */
		return b.true_ctls;
	case MSR_IA32_VMX_VMFUNC:                                     /* "enable VM functions" */
		return sec & (1u << 13);
	case MSR_IA32_VMX_PROCBASED_CTLS3:                                     /* "activate tertiary controls" */
		return (proc_ctls >> (32 + 17)) & 1;
	}
	return false;
}

void vmxcap_slug(char *out, unsigned size, const char *name)
{
	unsigned n = 0;
	bool dash = false;

	if (!size)
		return;
	for (const char *p = name; *p && n + 1 < size; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n && n + 2 < size)
				out[n++] = '-';
			dash = false;
			out[n++] = c;
		} else {
			dash = true;
		}
	}
	out[n] = '\0';
}

static const char *control(const struct vmxcap_msrs *m, const struct group *g, unsigned bit)
{
	if (g->kind == ALLOWED_1_64)
		return (vmxcap_get(m, g->msr) >> bit) & 1 ? "yes" : "no";
	/* A.3-A.5: bits 31:0 are the allowed 0-settings (1: must be 1), bits 63:32
	 * the allowed 1-settings (0: must be 0). With IA32_VMX_BASIC[55], the TRUE
	 * MSRs say which default-1 controls may be 0. */
	uint64_t base = vmxcap_get(m, g->msr);
	uint64_t v = g->true_msr && vmxcap_has(m, g->true_msr) &&
		     vmx_basic_decode(vmxcap_get(m, MSR_IA32_VMX_BASIC)).true_ctls ?
		     vmxcap_get(m, g->true_msr) : base;
	uint32_t a0 = (uint32_t)v, a1 = (uint32_t)(v >> 32), b = 1u << bit;
	if (!(a1 & b))
		return "no";
	if (a0 & b)
		return "default1";
	if ((uint32_t)base & b)
		return "yes-default1";
	return "yes";
}

typedef void (*field_fn)(void *ctx, const char *group, const char *name, const char *value,
			 const char *title);

static void each_field(const struct vmxcap_msrs *m, field_fn f, void *ctx)
{
	char v[40];
	uint64_t basic = vmxcap_get(m, MSR_IA32_VMX_BASIC), misc = vmxcap_get(m, MSR_IA32_VMX_MISC);

	/* A.1 "Basic VMX Information" (decoded by lib/vmx.c). */
	if (vmxcap_has(m, MSR_IA32_VMX_BASIC)) {
		struct vmx_basic b = vmx_basic_decode(basic);
		fmt_snprintf(v, sizeof(v), "0x%lx", (unsigned long)b.revision);
		f(ctx, "basic", "revision", v, "VMCS revision identifier");
		fmt_snprintf(v, sizeof(v), "%lu", (unsigned long)b.region_size);
		f(ctx, "basic", "region-size", v, "VMXON/VMCS region size (bytes)");
		f(ctx, "basic", "addr-32bit", yes_no(b.addr_32bit), "Region addresses limited to 32 bits");
		f(ctx, "basic", "dual-monitor-smm", yes_no(b.dual_monitor),
		  "Dual-monitor treatment of SMIs and SMM");
		f(ctx, "basic", "memory-type", b.memtype == VMX_BASIC_MEM_TYPE_WB ? "wb" :
		  b.memtype == VMX_BASIC_MEM_TYPE_UC ? "uc" : "other", "VMCS memory type");
		f(ctx, "basic", "ins-outs-info", yes_no(b.ins_outs),
		  "INS/OUTS instruction information on VM exits");
		f(ctx, "basic", "true-controls", yes_no(b.true_ctls), "IA32_VMX_TRUE_*_CTLS MSRs");
		f(ctx, "basic", "exception-without-error-code", yes_no(b.no_hw_errcode_check),
		  "VM entry may deliver any hardware exception with or without an error code");
	}
	for (unsigned i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		const struct group *g = &groups[i];
		if (!vmxcap_has(m, g->msr))
			continue;
		for (unsigned k = 0; k < g->n; k++) {
			char slug[64];
			vmxcap_slug(slug, sizeof(slug), g->bits[k].name);
			f(ctx, g->key, slug, control(m, g, g->bits[k].bit), g->bits[k].name);
		}
	}
	/* A.6 "Miscellaneous Data". */
	if (vmxcap_has(m, MSR_IA32_VMX_MISC)) {
		fmt_snprintf(v, sizeof(v), "%lu", (unsigned long)(misc & 0x1f));
		f(ctx, "misc", "preemption-timer-rate", v,
		  "VMX-preemption timer: TSC bit that decrements it");
		f(ctx, "misc", "store-lma-in-ia32e-mode-guest", (misc >> 5) & 1 ? "yes" : "no",
		  "EFER.LMA stored into the IA-32e mode guest control on VM exit");
		f(ctx, "misc", "activity-hlt", (misc >> 6) & 1 ? "yes" : "no", "HLT activity state");
		f(ctx, "misc", "activity-shutdown", (misc >> 7) & 1 ? "yes" : "no",
		  "Shutdown activity state");
		f(ctx, "misc", "activity-wait-for-sipi", (misc >> 8) & 1 ? "yes" : "no",
		  "Wait-for-SIPI activity state");
		f(ctx, "misc", "pt-in-vmx", (misc >> 14) & 1 ? "yes" : "no",
		  "Intel PT usable in VMX operation");
		f(ctx, "misc", "smbase-read", (misc >> 15) & 1 ? "yes" : "no",
		  "RDMSR of IA32_SMBASE in SMM");
		fmt_snprintf(v, sizeof(v), "%lu", (unsigned long)((misc >> 16) & 0x1ff));
		f(ctx, "misc", "cr3-targets", v, "Number of CR3-target values");
		fmt_snprintf(v, sizeof(v), "%lu", 512ul * (((misc >> 25) & 7) + 1));
		f(ctx, "misc", "msr-list-max", v, "Recommended maximum MSRs in each MSR list");
		f(ctx, "misc", "smm-monitor-ctl-bit2", (misc >> 28) & 1 ? "yes" : "no",
		  "IA32_SMM_MONITOR_CTL[2] can be set");
		f(ctx, "misc", "vmwrite-any-field", (misc >> 29) & 1 ? "yes" : "no",
		  "VMWRITE to any VMCS field, VM-exit information included");
		f(ctx, "misc", "inject-zero-length", (misc >> 30) & 1 ? "yes" : "no",
		  "VM entry may inject events with instruction length 0");
		fmt_snprintf(v, sizeof(v), "0x%lx", (unsigned long)(misc >> 32));
		f(ctx, "misc", "mseg-revision", v, "MSEG revision identifier");
	}
	/* A.7 / A.8 "VMX-Fixed Bits in CR0 / CR4". */
	static const struct { unsigned msr; const char *g, *n, *t; } fixed[] = {
		{ MSR_IA32_VMX_CR0_FIXED0, "cr0", "fixed0", "CR0 bits fixed to 1" },
		{ MSR_IA32_VMX_CR0_FIXED1, "cr0", "fixed1", "CR0 bits that may be 1" },
		{ MSR_IA32_VMX_CR4_FIXED0, "cr4", "fixed0", "CR4 bits fixed to 1" },
		{ MSR_IA32_VMX_CR4_FIXED1, "cr4", "fixed1", "CR4 bits that may be 1" },
	};
	for (unsigned i = 0; i < 4; i++)
		if (vmxcap_has(m, fixed[i].msr)) {
			fmt_snprintf(v, sizeof(v), "0x%lx", (unsigned long)vmxcap_get(m, fixed[i].msr));
			f(ctx, fixed[i].g, fixed[i].n, v, fixed[i].t);
		}
	/* A.9 "VMCS Enumeration": bits 9:1 the highest index value of any field. */
	if (vmxcap_has(m, MSR_IA32_VMX_VMCS_ENUM)) {
		fmt_snprintf(v, sizeof(v), "0x%lx", (unsigned long)((vmxcap_get(m, MSR_IA32_VMX_VMCS_ENUM) >> 1) & 0x1ff));
		f(ctx, "vmcs-enum", "max-index", v, "Highest VMCS field index");
	}
}

struct emit_ctx {
	vmxcap_emit_fn emit;
	void *ctx;
	const char *last_group;
	const struct vmxcap_msrs *m;
};

static void emit_decoded(void *c, const char *group, const char *name, const char *value,
			 const char *title)
{
	struct emit_ctx *e = c;
	char line[160];

	(void)title;
	fmt_snprintf(line, sizeof(line), "%s.%s=%s", group, name, value);
	e->emit(e->ctx, line);
}

void vmxcap_decode(const struct vmxcap_msrs *m, vmxcap_emit_fn emit, void *ctx)
{
	struct emit_ctx e = { emit, ctx, 0, m };

	each_field(m, emit_decoded, &e);
}

static const char *group_title(const char *key)
{
	static const struct { const char *k, *t; } titles[] = {
		{ "basic", "Basic VMX information (IA32_VMX_BASIC)" },
		{ "misc", "Miscellaneous data (IA32_VMX_MISC)" },
		{ "cr0", "VMX-fixed bits in CR0" }, { "cr4", "VMX-fixed bits in CR4" },
		{ "vmcs-enum", "VMCS enumeration (IA32_VMX_VMCS_ENUM)" },
	};
	for (unsigned i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (str_eq(groups[i].key, key))
			return groups[i].title;
	for (unsigned i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		if (str_eq(titles[i].k, key))
			return titles[i].t;
	return key;
}

static void emit_row(void *c, const char *group, const char *name, const char *value,
		     const char *title)
{
	struct emit_ctx *e = c;
	char line[160];

	(void)name;
	if (!e->last_group || !str_eq(e->last_group, group)) {
		fmt_snprintf(line, sizeof(line), "| %s", group_title(group));
		e->emit(e->ctx, line);
		e->last_group = group;
	}
	fmt_snprintf(line, sizeof(line), "|   %-56s %s", title, value);
	e->emit(e->ctx, line);
}

void vmxcap_table(const struct vmxcap_msrs *m, vmxcap_emit_fn emit, void *ctx)
{
	struct emit_ctx e = { emit, ctx, 0, m };

	each_field(m, emit_row, &e);
}

void vmxcap_raw(const struct vmxcap_msrs *m, vmxcap_emit_fn emit, void *ctx)
{
	char line[64];

	for (unsigned i = 0; i < VMXCAP_MSRS; i++)
		if (m->present[i]) {
			fmt_snprintf(line, sizeof(line), "msr.0x%x=0x%016lx", VMXCAP_FIRST_MSR + i,
				     (unsigned long)m->value[i]);
			emit(ctx, line);
		}
}
