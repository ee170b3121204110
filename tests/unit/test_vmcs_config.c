/* SPDX-License-Identifier: MIT */
/*
 * vmxprobe's VMCS on the capability MSRs of every captured CPU model
 * (tests/unit/data/vmxcap-<model>.txt, all of them, found by listing the
 * directory): the build passes the checks on each; then every rule of
 * vmcs_check(), broken once from the good VMCS, is named exactly; a CPU that
 * lacks a control vmxprobe needs; vmx_control() on the TRUE MSRs and the plain
 * ones; the list of fields to VMWRITE.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "lib/processor-flags.h"
#include "lib/vmcs_config.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/unit/data"
#endif

/* The models this test was written against: they must be there. */
static const char *const known_models[] = { "corei7_icelake_u", "corei7_skylake_x" };

#define MAX_MODELS 64
static char models[MAX_MODELS][64];
static unsigned nmodels;

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Every vmxcap-<model>.txt in the data directory, sorted. */
static void find_models(void)
{
	DIR *d = opendir(TEST_DATA_DIR);
	struct dirent *e;

	if (!d) {
		printf("  cannot list %s\n", TEST_DATA_DIR);
		return;
	}
	while ((e = readdir(d)) && nmodels < MAX_MODELS) {
		size_t n = strlen(e->d_name);
		if (n > 11 && n - 11 < sizeof(models[0]) && !strncmp(e->d_name, "vmxcap-", 7) &&
		    !strcmp(e->d_name + n - 4, ".txt"))
			snprintf(models[nmodels++], sizeof(models[0]), "%.*s", (int)(n - 11), e->d_name + 7);
	}
	closedir(d);
	qsort(models, nmodels, sizeof(models[0]), by_name);
}

/* The "vmxcap: msr.0x4XX=0x..." lines of a capture; how many were read. */
static unsigned load_model(const char *model, struct vmxcap_msrs *m)
{
	char path[256], line[256];
	unsigned n = 0, msr;
	unsigned long long v;
	FILE *f;

	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "%s/vmxcap-%s.txt", TEST_DATA_DIR, model);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "vmxcap: msr.0x%x=0x%llx", &msr, &v) == 2 &&
		    msr >= VMXCAP_FIRST_MSR && VMXCAP_INDEX(msr) < VMXCAP_MSRS) {
			m->present[VMXCAP_INDEX(msr)] = true;
			m->value[VMXCAP_INDEX(msr)] = v;
			n++;
		}
	fclose(f);
	return n;
}

/* A long-mode kernel like vmxprobe: CR0 PE|MP|ET|NE|PG, CR4 PAE|PGE|VMXE, EFER
 * SCE|LME|LMA|NXE, GDT selectors 8 (code), 10H (data), 20H (TSS). */
static const struct vmcs_host_facts host = {
	.cr0 = 0x80000033, .cr3 = 0x01000000, .cr4 = 0x20a0, .efer = 0xd01,
	.pat = 0x0007040600070406,
	.sel = { 0x10, 0x08, 0x10, 0x10, 0x10, 0x10, 0x20 },
	.fs_base = 0, .gs_base = 0x01200000, .tr_base = 0x01201000,
	.gdtr_base = 0x01202000, .idtr_base = 0x01203000,
	.gdtr_limit = 0x2f, .idtr_limit = 0xfff, .tr_limit = 0x67,
	.sysenter_cs = 0, .sysenter_esp = 0, .sysenter_eip = 0,
};
static const struct vmcs_plan plan = {
	.guest_rip = 0x01300000, .guest_rsp = 0x01311000,
	.host_rip = 0x01100000, .host_rsp = 0x01321000,
	.preemption_timer = true, .timer_value = 12345,
};
#define PHYS_BITS 39

/* ------------------------------------------------------------------------- */
/* Capability MSR edits                                                      */

static bool has(const struct vmxcap_msrs *m, unsigned msr)
{
	return m->present[VMXCAP_INDEX(msr)];
}

static uint64_t *msr_value(struct vmxcap_msrs *m, unsigned msr)
{
	m->present[VMXCAP_INDEX(msr)] = true;
	return &m->value[VMXCAP_INDEX(msr)];
}

static bool true_ctls(const struct vmxcap_msrs *m)
{
	return (m->value[VMXCAP_INDEX(MSR_IA32_VMX_BASIC)] >> 55) & 1;
}

/* A control MSR and its TRUE twin (0: none), edited alike: bits allowed to be
 * 1 (allow), fixed to 1 (force), or fixed to 0 (forbid). */
static void edit(struct vmxcap_msrs *m, unsigned plain, unsigned tru, uint64_t set, uint64_t clear)
{
	*msr_value(m, plain) = (*msr_value(m, plain) | set) & ~clear;
	if (tru && has(m, tru))
		*msr_value(m, tru) = (*msr_value(m, tru) | set) & ~clear;
}

static void allow(struct vmxcap_msrs *m, unsigned plain, unsigned tru, uint32_t bits)
{
	edit(m, plain, tru, (uint64_t)bits << 32, bits);
}

static void force(struct vmxcap_msrs *m, unsigned plain, unsigned tru, uint32_t bits)
{
	edit(m, plain, tru, (uint64_t)bits << 32 | bits, 0);
}

static void forbid(struct vmxcap_msrs *m, unsigned plain, unsigned tru, uint32_t bits)
{
	edit(m, plain, tru, 0, (uint64_t)bits << 32 | bits);
}

#define PIN     MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS
#define PROC    MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS
#define PROC2   MSR_IA32_VMX_PROCBASED_CTLS2, 0
#define EXIT    MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS
#define ENTRY   MSR_IA32_VMX_ENTRY_CTLS, MSR_IA32_VMX_TRUE_ENTRY_CTLS

/* ------------------------------------------------------------------------- */
/* One model: the good VMCS, and each rule broken once                        */

struct env {
	struct vmxcap_msrs m;
	struct vmcs_config c;
	unsigned phys;
};

/* A control turned on in the VMCS, and allowed by the CPU. */
static void turn_on(struct env *e, unsigned msr, unsigned true_msr, uint32_t *field, uint32_t bit)
{
	allow(&e->m, msr, true_msr, bit);
	*field |= bit;
}

static const char *model;

static void expect(int line, const struct env *e, const char *want)
{
	const char *got = vmcs_check(&e->m, e->phys, &e->c);

	if ((!got && !want) || (got && want && !strcmp(got, want))) {
		check_passed++;
		return;
	}
	check_failed++;
	printf("  FAIL %s:%d (%s): got \"%s\", want \"%s\"\n", __FILE__, line, model,
	       got ? got : "NULL", want ? want : "NULL");
}

/* EXPECT(want, statements): from the good VMCS, run the statements (on e.m,
 * e.c, e.phys), then vmcs_check() must name `want` (NULL: pass). */
#define EXPECT(want, ...) do {                                                  \
		struct env e = *good;                                           \
		__VA_ARGS__;                                                    \
		expect(__LINE__, &e, want);                                     \
	} while (0)

static char buf[64][200];
static unsigned nbuf;

static const char *fmt(const char *f, const char *a, const char *b)
{
	char *s = buf[nbuf++ % 64];
	snprintf(s, sizeof(buf[0]), f, a, b);
	return s;
}

/* "<what>: a bit is 0 that <MSR> requires to be 1" / "...1 that <MSR> allows only as 0". */
static const char *ctl(const struct env *e, const char *what, const char *name, bool has_true, bool one)
{
	char msr[64];

	snprintf(msr, sizeof(msr), "IA32_VMX_%s%s", has_true && true_ctls(&e->m) ? "TRUE_" : "", name);
	return fmt(one ? "%s: a bit is 1 that %s allows only as 0" : "%s: a bit is 0 that %s requires to be 1",
		   what, msr);
}

/* Secondary controls active, with unrestricted guest and EPT (which it needs). */
static void unrestricted(struct env *e)
{
	e->c.proc2 = 0;
	turn_on(e, PROC, &e->c.proc, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS);
	turn_on(e, PROC2, &e->c.proc2, SECONDARY_EXEC_UNRESTRICTED_GUEST | SECONDARY_EXEC_ENABLE_EPT);
	/* A valid EPTP: write-back, 4-level walk, both offered. */
	*msr_value(&e->m, MSR_IA32_VMX_EPT_VPID_CAP) |= VMX_EPTP_WB_BIT | VMX_EPT_PAGE_WALK_4_BIT;
	e->c.eptp = 0x01400000 | VMX_EPTP_MT_WB | VMX_EPTP_PWL_4;
}

/* Leave IA-32e mode on the host side: outside long mode, host address-space size 0. */
static void host32(struct env *e)
{
	e->c.host_efer &= ~(EFER_LME | (1ull << 10));
	e->c.exit &= ~(VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_LOAD_IA32_EFER);
	e->c.entry &= ~(VM_ENTRY_IA32E_MODE | VM_ENTRY_LOAD_IA32_EFER);
}

#define NONCANON        0x0000800000000000ull
#define CR4_PCIDE       (1u << 17)
#define RFLAGS_IF       (1u << 9)

static void rules_controls(const struct env *good)
{
	/* "Checks on VMX Controls": allowed 0- and 1-settings of the five fields. */
	EXPECT(ctl(&e, "pin-based controls", "PINBASED_CTLS", true, false),
	       force(&e.m, PIN, PIN_BASED_VIRTUAL_NMIS));
	EXPECT(ctl(&e, "pin-based controls", "PINBASED_CTLS", true, true),
	       forbid(&e.m, PIN, PIN_BASED_POSTED_INTR); e.c.pin |= PIN_BASED_POSTED_INTR);
	EXPECT(ctl(&e, "primary processor-based controls", "PROCBASED_CTLS", true, false),
	       force(&e.m, PROC, 1u << 9));
	EXPECT(ctl(&e, "primary processor-based controls", "PROCBASED_CTLS", true, true),
	       forbid(&e.m, PROC, 1u << 9); e.c.proc |= 1u << 9);
	EXPECT(ctl(&e, "secondary processor-based controls", "PROCBASED_CTLS2", false, false),
	       turn_on(&e, PROC, &e.c.proc, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS); force(&e.m, PROC2, 1u << 2));
	EXPECT(ctl(&e, "secondary processor-based controls", "PROCBASED_CTLS2", false, true),
	       turn_on(&e, PROC, &e.c.proc, CPU_BASED_ACTIVATE_SECONDARY_CONTROLS); forbid(&e.m, PROC2, 1u << 2);
	       e.c.proc2 = 1u << 2);
	/* Secondary controls are not checked while "activate secondary controls" is 0. */
	EXPECT(NULL, e.c.proc &= ~CPU_BASED_ACTIVATE_SECONDARY_CONTROLS; e.c.proc2 = 0xffffffff;
	       force(&e.m, PROC2, 1u << 3));
	EXPECT(ctl(&e, "VM-exit controls", "EXIT_CTLS", true, false), force(&e.m, EXIT, 1u << 23));
	EXPECT(ctl(&e, "VM-exit controls", "EXIT_CTLS", true, true),
	       forbid(&e.m, EXIT, 1u << 23); e.c.exit |= 1u << 23);
	EXPECT(ctl(&e, "VM-entry controls", "ENTRY_CTLS", true, false), force(&e.m, ENTRY, 1u << 16));
	EXPECT(ctl(&e, "VM-entry controls", "ENTRY_CTLS", true, true),
	       forbid(&e.m, ENTRY, 1u << 16); e.c.entry |= 1u << 16);

	/* Other VM-execution control rules. */
	EXPECT(NULL, e.c.cr3_target_count = (e.m.value[VMXCAP_INDEX(MSR_IA32_VMX_MISC)] >> 16) & 0x1ff);
	EXPECT("CR3-target count: greater than IA32_VMX_MISC bits 24:16 allow",
	       e.c.cr3_target_count = ((e.m.value[VMXCAP_INDEX(MSR_IA32_VMX_MISC)] >> 16) & 0x1ff) + 1);
	EXPECT("pin-based controls: virtual NMIs requires NMI exiting",
	       turn_on(&e, PIN, &e.c.pin, PIN_BASED_VIRTUAL_NMIS);
	       e.c.pin &= ~PIN_BASED_NMI_EXITING);
	EXPECT("primary processor-based controls: NMI-window exiting requires virtual NMIs",
	       turn_on(&e, PROC, &e.c.proc, CPU_BASED_NMI_WINDOW_EXITING);
	       e.c.pin &= ~PIN_BASED_VIRTUAL_NMIS);
	EXPECT("secondary processor-based controls: unrestricted guest requires enable EPT",
	       unrestricted(&e); e.c.proc2 &= ~SECONDARY_EXEC_ENABLE_EPT);
	/* VM-exit controls. */
	EXPECT("VM-exit controls: save VMX-preemption timer value requires activate VMX-preemption timer",
	       turn_on(&e, EXIT, &e.c.exit, VM_EXIT_SAVE_VMX_PREEMPTION_TIMER); e.c.pin &= ~PIN_BASED_VMX_PREEMPTION_TIMER);
	EXPECT("VM-exit MSR-store count: must be 0 (vmxprobe writes no MSR-store address)",
	       e.c.exit_msr_store_count = 1);
	EXPECT("VM-exit MSR-load count: must be 0 (vmxprobe writes no MSR-load address)",
	       e.c.exit_msr_load_count = 1);
	/* VM-entry controls. */
	EXPECT("VM-entry interruption information: valid bit must be 0 (vmxprobe injects no event)",
	       e.c.entry_intr_info = INTR_INFO_VALID_MASK | (3 << 8) | 6);
	EXPECT(NULL, e.c.entry_intr_info = (3 << 8) | 6);       /* not valid: ignored */
	EXPECT("VM-entry MSR-load count: must be 0 (vmxprobe writes no MSR-load address)",
	       e.c.entry_msr_load_count = 1);
	EXPECT("VM-entry controls: entry to SMM and deactivate dual-monitor treatment must be 0 outside SMM",
	       turn_on(&e, ENTRY, &e.c.entry, VM_ENTRY_SMM));
	EXPECT("VM-entry controls: entry to SMM and deactivate dual-monitor treatment must be 0 outside SMM",
	       turn_on(&e, ENTRY, &e.c.entry, VM_ENTRY_DEACT_DUAL_MONITOR));
}

/* The rules host and guest state share: CR3 within MAXPHYADDR, canonical
 * IA32_SYSENTER_ESP/EIP, IA32_PAT and IA32_EFER when loaded. */
struct state_side {
	const char *who, *when;                 /* "host", "exit" / "guest", "entry" */
	unsigned msr, true_msr;                 /* the control MSRs of the load controls */
	size_t controls, cr3, esp, eip, pat, efer;      /* offsets in struct vmcs_config */
	uint32_t load_pat, load_efer;
};

#define AT(member) offsetof(struct vmcs_config, member)
static const struct state_side host_side = { "host", "exit", EXIT, AT(exit), AT(host_cr3),
	AT(host_sysenter_esp), AT(host_sysenter_eip), AT(host_pat), AT(host_efer),
	VM_EXIT_LOAD_IA32_PAT, VM_EXIT_LOAD_IA32_EFER };
static const struct state_side guest_side = { "guest", "entry", ENTRY, AT(entry), AT(guest_cr3),
	AT(guest_sysenter_esp), AT(guest_sysenter_eip), AT(guest_pat), AT(guest_efer),
	VM_ENTRY_LOAD_IA32_PAT, VM_ENTRY_LOAD_IA32_EFER };

static void *field_at(struct env *e, size_t offset)
{
	return (char *)&e->c + offset;
}

static void state_msr_rules(const struct env *good, const struct state_side *s)
{
	const char *pat = fmt("%s IA32_PAT (load IA32_PAT on %s): a byte is not a memory type (0, 1, 4, 5, 6, 7)",
			      s->who, s->when);
	uint64_t *v;

	EXPECT(fmt("%s CR3: bits beyond MAXPHYADDR must be 0%s", s->who, ""),
	       *(uint64_t *)field_at(&e, s->cr3) = 1ull << PHYS_BITS);
	EXPECT(fmt("%s IA32_SYSENTER_ESP: not canonical%s", s->who, ""),
	       *(uint64_t *)field_at(&e, s->esp) = NONCANON);
	EXPECT(fmt("%s IA32_SYSENTER_EIP: not canonical%s", s->who, ""),
	       *(uint64_t *)field_at(&e, s->eip) = NONCANON);
	EXPECT(NULL, *(uint64_t *)field_at(&e, s->eip) = 0xffff800000000000ull);
	static const uint64_t pats[] = { 0x0007040600070402, 0x0807040600070406, 0x0007040603070406,
					 0x0706050401000000 };
	for (unsigned k = 0; k < 4; k++)
		EXPECT(k < 3 ? pat : NULL, turn_on(&e, s->msr, s->true_msr, field_at(&e, s->controls), s->load_pat);
		       v = field_at(&e, s->pat); *v = pats[k]);
	EXPECT(fmt("%s IA32_EFER (load IA32_EFER on %s): reserved bit set", s->who, s->when),
	       turn_on(&e, s->msr, s->true_msr, field_at(&e, s->controls), s->load_efer);
	       v = field_at(&e, s->efer); *v |= 1u << 9);
	/* Without the load control the field is not checked. */
	EXPECT(NULL, forbid(&e.m, s->msr, s->true_msr, s->load_pat | s->load_efer);
	       *(uint32_t *)field_at(&e, s->controls) &= ~(s->load_pat | s->load_efer);
	       *(uint64_t *)field_at(&e, s->pat) = 2; *(uint64_t *)field_at(&e, s->efer) |= 2);
}

static void rules_host(const struct env *good)
{
	static const char *const sel_name[] = { "ES", "CS", "SS", "DS", "FS", "GS", "TR" };

	/* "Checks on Host Control Registers, MSRs, and SSP". */
	EXPECT("host CR0: VMX-fixed bit not set (IA32_VMX_CR0_FIXED0)", e.c.host_cr0 &= ~X86_CR0_NE);
	EXPECT("host CR0: bit set that VMX fixes to 0 (IA32_VMX_CR0_FIXED1)",
	       *msr_value(&e.m, MSR_IA32_VMX_CR0_FIXED1) &= ~(1ull << 18); e.c.host_cr0 |= 1u << 18);
	EXPECT("host CR4: VMX-fixed bit not set (IA32_VMX_CR4_FIXED0)", e.c.host_cr4 &= ~X86_CR4_VMXE);
	EXPECT("host CR4: bit set that VMX fixes to 0 (IA32_VMX_CR4_FIXED1)",
	       *msr_value(&e.m, MSR_IA32_VMX_CR4_FIXED1) &= ~(1ull << 16); e.c.host_cr4 |= 1u << 16);
	EXPECT(NULL, e.phys = 36; e.c.host_cr3 = (1ull << 36) - 4096);
	state_msr_rules(good, &host_side);
	EXPECT("host IA32_EFER (load IA32_EFER on exit): LMA and LME must each equal host address-space size",
	       turn_on(&e, EXIT, &e.c.exit, VM_EXIT_LOAD_IA32_EFER); e.c.host_efer &= ~EFER_LME);

	/* "Checks on Host Segment and Descriptor-Table Registers". */
	for (unsigned i = 0; i < 7; i++) {
		EXPECT(fmt("host %s selector: RPL and TI must be 0%s", sel_name[i], ""), e.c.host_sel[i] |= 1);
		EXPECT(fmt("host %s selector: RPL and TI must be 0%s", sel_name[i], ""), e.c.host_sel[i] |= 4);
	}
	EXPECT("host CS selector: must not be 0000H", e.c.host_sel[HOST_SEL_CS] = 0);
	EXPECT("host TR selector: must not be 0000H", e.c.host_sel[HOST_SEL_TR] = 0);
	EXPECT(NULL, e.c.host_sel[HOST_SEL_SS] = 0);            /* host address-space size 1 */
	EXPECT("host SS selector: must not be 0000H when host address-space size is 0",
	       host32(&e); e.c.host_sel[HOST_SEL_SS] = 0);
	EXPECT("host FS base: not canonical", e.c.host_fs_base = NONCANON);
	EXPECT("host GS base: not canonical", e.c.host_gs_base = NONCANON);
	EXPECT("host GDTR base: not canonical", e.c.host_gdtr_base = NONCANON);
	EXPECT("host IDTR base: not canonical", e.c.host_idtr_base = NONCANON);
	EXPECT("host TR base: not canonical", e.c.host_tr_base = NONCANON);

	/* "Checks Related to Address-Space Size". */
	EXPECT("IA-32e mode guest: must be 0 outside IA-32e mode (IA32_EFER.LMA = 0)",
	       host32(&e); e.c.entry |= VM_ENTRY_IA32E_MODE);
	EXPECT("host address-space size: must be 0 outside IA-32e mode (IA32_EFER.LMA = 0)",
	       host32(&e); e.c.exit |= VM_EXIT_HOST_ADDR_SPACE_SIZE);
	EXPECT("host address-space size: must be 1 in IA-32e mode (IA32_EFER.LMA = 1)",
	       e.c.exit &= ~(VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_LOAD_IA32_EFER));
	EXPECT("host CR4: PCIDE must be 0 when host address-space size is 0",
	       host32(&e); e.c.host_cr4 |= CR4_PCIDE;
	       *msr_value(&e.m, MSR_IA32_VMX_CR4_FIXED1) |= CR4_PCIDE);
	EXPECT("host RIP: bits 63:32 must be 0 when host address-space size is 0",
	       host32(&e); e.c.host_rip = 1ull << 32);
	EXPECT("host CR4: PAE must be 1 when host address-space size is 1", e.c.host_cr4 &= ~X86_CR4_PAE);
	EXPECT("host RIP: not canonical", e.c.host_rip = NONCANON);
	EXPECT(NULL, e.c.host_rip = 0xffffffff80000000ull);
}

static void rules_guest_registers(const struct env *good)
{
	/* "Checks on Guest Control Registers, Debug Registers, and MSRs". */
	EXPECT("guest CR0: VMX-fixed bit not set (IA32_VMX_CR0_FIXED0)", e.c.guest_cr0 &= ~X86_CR0_NE);
	EXPECT("guest CR0: bit set that VMX fixes to 0 (IA32_VMX_CR0_FIXED1)",
	       *msr_value(&e.m, MSR_IA32_VMX_CR0_FIXED1) &= ~(1ull << 18); e.c.guest_cr0 |= 1u << 18);
	/* NW and CD are never checked. */
	EXPECT(NULL, *msr_value(&e.m, MSR_IA32_VMX_CR0_FIXED1) &= ~(uint64_t)X86_CR0_CD;
	       e.c.guest_cr0 |= X86_CR0_CD);
	/* Unrestricted guest lifts PE and PG only with the secondary controls active. */
	EXPECT("guest CR0: VMX-fixed bit not set (IA32_VMX_CR0_FIXED0)",
	       unrestricted(&e); e.c.proc &= ~CPU_BASED_ACTIVATE_SECONDARY_CONTROLS;
	       e.c.guest_cr0 &= ~X86_CR0_PE);
	EXPECT("guest CR0: PG requires PE", unrestricted(&e); e.c.guest_cr0 &= ~X86_CR0_PE);
	EXPECT("IA-32e mode guest: requires guest CR0.PG",
	       unrestricted(&e); e.c.guest_cr0 &= ~(X86_CR0_PE | X86_CR0_PG));
	EXPECT("IA-32e mode guest: requires guest CR0.PG", unrestricted(&e); e.c.guest_cr0 &= ~X86_CR0_PG);
	EXPECT("guest CR4: VMX-fixed bit not set (IA32_VMX_CR4_FIXED0)", e.c.guest_cr4 &= ~X86_CR4_VMXE);
	EXPECT("guest CR4: bit set that VMX fixes to 0 (IA32_VMX_CR4_FIXED1)",
	       *msr_value(&e.m, MSR_IA32_VMX_CR4_FIXED1) &= ~(1ull << 16); e.c.guest_cr4 |= 1u << 16);
	EXPECT("IA-32e mode guest: requires guest CR4.PAE", e.c.guest_cr4 &= ~X86_CR4_PAE);
	EXPECT("guest CR4: PCIDE must be 0 unless IA-32e mode guest",
	       *msr_value(&e.m, MSR_IA32_VMX_CR4_FIXED1) |= CR4_PCIDE; e.c.guest_cr4 |= CR4_PCIDE;
	       e.c.entry &= ~VM_ENTRY_IA32E_MODE);
	EXPECT(NULL, *msr_value(&e.m, MSR_IA32_VMX_CR4_FIXED1) |= CR4_PCIDE; e.c.guest_cr4 |= CR4_PCIDE);
	EXPECT("guest DR7 (load debug controls): bits 63:32 must be 0",
	       turn_on(&e, ENTRY, &e.c.entry, VM_ENTRY_LOAD_DEBUG_CONTROLS);
	       e.c.guest_dr7 |= 1ull << 32);
	EXPECT(NULL, forbid(&e.m, ENTRY, VM_ENTRY_LOAD_DEBUG_CONTROLS);
	       e.c.entry &= ~VM_ENTRY_LOAD_DEBUG_CONTROLS; e.c.guest_dr7 |= 1ull << 32);
	state_msr_rules(good, &guest_side);
	EXPECT("guest IA32_EFER (load IA32_EFER on entry): LMA must equal IA-32e mode guest",
	       turn_on(&e, ENTRY, &e.c.entry, VM_ENTRY_LOAD_IA32_EFER); e.c.guest_efer &= ~EFER_LMA);
	EXPECT("guest IA32_EFER (load IA32_EFER on entry): LME must equal LMA when CR0.PG = 1",
	       turn_on(&e, ENTRY, &e.c.entry, VM_ENTRY_LOAD_IA32_EFER); e.c.guest_efer &= ~EFER_LME);
}

static const char *const seg_name[SEG_COUNT] = { "ES", "CS", "SS", "DS", "FS", "GS", "LDTR", "TR" };

static const char *seg_rule(unsigned i, const char *what)
{
	return fmt("guest %s%s", seg_name[i], what);
}

/* A usable LDT in LDTR: selector 28H, a 4 KiB table. */
static void ldt(struct env *e)
{
	e->c.guest_seg[SEG_LDTR] = (struct vmcs_seg){ 0x28, 0x5000, 0xfff, 0x82 };
}

/* Every segment set up for virtual-8086 mode. */
static void v86(struct env *e)
{
	e->c.guest_rflags |= 1u << 17;
	for (unsigned i = SEG_ES; i <= SEG_GS; i++)
		e->c.guest_seg[i] = (struct vmcs_seg){ e->c.guest_seg[i].sel,
						       (uint64_t)e->c.guest_seg[i].sel << 4, 0xffff, 0xf3 };
}

static void rules_guest_segments(const struct env *good)
{
	const struct vmcs_seg *gs = good->c.guest_seg;

	/* Selector fields. */
	EXPECT("guest TR selector: TI must be 0", e.c.guest_seg[SEG_TR].sel |= 4);
	EXPECT(NULL, ldt(&e));
	EXPECT("guest LDTR selector: TI must be 0 when usable", ldt(&e); e.c.guest_seg[SEG_LDTR].sel |= 4);
	EXPECT(NULL, e.c.guest_seg[SEG_LDTR].sel |= 4);          /* unusable */
	EXPECT("guest SS selector: RPL must equal CS RPL", e.c.guest_seg[SEG_SS].sel |= 3);

	/* Base-address fields. */
	for (unsigned i = SEG_FS; i < SEG_COUNT; i++)
		EXPECT(seg_rule(i, " base: not canonical"), ldt(&e); e.c.guest_seg[i].base = NONCANON);
	EXPECT(NULL, e.c.guest_seg[SEG_LDTR].base = NONCANON);   /* unusable */
	for (unsigned i = SEG_ES; i <= SEG_DS; i++) {
		EXPECT(seg_rule(i, " base: bits 63:32 must be 0"), e.c.guest_seg[i].base = 1ull << 32);
		if (i != SEG_CS)
			EXPECT(NULL, e.c.guest_seg[i].base = 1ull << 32;
			       e.c.guest_seg[i].ar |= VMX_AR_UNUSABLE_MASK);
	}

	/* Virtual-8086 mode (then refused for an IA-32e mode guest, by RFLAGS). */
	EXPECT("guest RFLAGS: VM (bit 17) must be 0 for an IA-32e mode guest or when CR0.PE is 0", v86(&e));
	for (unsigned i = SEG_ES; i <= SEG_GS; i++) {
		EXPECT(seg_rule(i, " base: must be the selector shifted left 4 bits (virtual-8086)"),
		       v86(&e); e.c.guest_seg[i].base += 16);
		EXPECT(seg_rule(i, " limit: must be 0000FFFFH (virtual-8086)"),
		       v86(&e); e.c.guest_seg[i].limit = 0xfffff);
		EXPECT(seg_rule(i, " access rights: must be 000000F3H (virtual-8086)"),
		       v86(&e); e.c.guest_seg[i].ar = 0xf1);
	}

	/* Access rights of CS, SS, DS, ES, FS, GS: type and DPL. */
	EXPECT("guest CS type: must be 9, 11, 13 or 15 (accessed code), or 3 with unrestricted guest",
	       e.c.guest_seg[SEG_CS].ar ^= VMX_AR_TYPE_ACCESSES_MASK);
	EXPECT("guest CS type: must be 9, 11, 13 or 15 (accessed code), or 3 with unrestricted guest",
	       e.c.guest_seg[SEG_CS].ar = (gs[SEG_CS].ar & ~0xfu) | 3);
	EXPECT(NULL, unrestricted(&e); e.c.guest_seg[SEG_CS].ar = (gs[SEG_CS].ar & ~0xfu) | 3);
	EXPECT("guest CS DPL: must be 0 for type 3 (unrestricted guest)",
	       unrestricted(&e); e.c.guest_seg[SEG_CS].ar = (gs[SEG_CS].ar & ~0xfu) | 3 | 3 << 5);
	EXPECT("guest CS DPL: must equal SS DPL (non-conforming code)", e.c.guest_seg[SEG_CS].ar |= 3 << 5);
	EXPECT("guest CS DPL: must not be greater than SS DPL (conforming code)",
	       e.c.guest_seg[SEG_CS].ar |= 15 | 3 << 5);
	EXPECT(NULL, e.c.guest_seg[SEG_CS].ar |= 15);            /* conforming, DPL 0 */
	EXPECT("guest SS type: must be 3 or 7 (read/write accessed data)",
	       e.c.guest_seg[SEG_SS].ar = (gs[SEG_SS].ar & ~0xfu) | 1);
	EXPECT(NULL, e.c.guest_seg[SEG_SS].ar = (gs[SEG_SS].ar & ~0xfu) | 7);
	EXPECT("guest SS DPL: must equal the selector's RPL",
	       e.c.guest_seg[SEG_SS].sel |= 3; e.c.guest_seg[SEG_CS].sel |= 3);
	EXPECT("guest SS DPL: must be 0 when CS type is 3 or CR0.PE is 0",
	       unrestricted(&e); e.c.guest_seg[SEG_CS].ar = (gs[SEG_CS].ar & ~0xfu) | 3;
	       e.c.guest_seg[SEG_SS].ar |= 3 << 5; e.c.guest_seg[SEG_SS].sel |= 3);
	for (unsigned i = SEG_ES; i <= SEG_GS; i++) {
		if (i == SEG_CS || i == SEG_SS)
			continue;
		EXPECT(seg_rule(i, " type: must be accessed (bit 0 = 1)"), e.c.guest_seg[i].ar &= ~1u);
		EXPECT(seg_rule(i, " type: a code segment must be readable (bit 1 = 1)"),
		       e.c.guest_seg[i].ar = (gs[i].ar & ~0xfu) | 9);
		EXPECT(NULL, e.c.guest_seg[i].ar = (gs[i].ar & ~0xfu) | 11);
		EXPECT(seg_rule(i, " DPL: must not be less than the selector's RPL (data or non-conforming code)"),
		       e.c.guest_seg[i].sel |= 3);
		EXPECT(NULL, e.c.guest_seg[i].sel |= 3; e.c.guest_seg[i].ar |= 3 << 5);
		EXPECT(NULL, unrestricted(&e); e.c.guest_seg[i].sel |= 3);
		EXPECT(NULL, e.c.guest_seg[i].ar = VMX_AR_UNUSABLE_MASK);       /* unusable: not checked */
	}

	/* S, P, reserved bits, G against the limit: code and data segments. */
	for (unsigned i = SEG_ES; i <= SEG_GS; i++) {
		EXPECT(seg_rule(i, ": S (bit 4) must be 1 (code or data segment)"),
		       e.c.guest_seg[i].ar &= ~VMX_AR_S_MASK);
		EXPECT(seg_rule(i, ": P (bit 7) must be 1"), e.c.guest_seg[i].ar &= ~VMX_AR_P_MASK);
		EXPECT(seg_rule(i, " access rights: reserved bits 11:8 must be 0"), e.c.guest_seg[i].ar |= 1u << 8);
		EXPECT(seg_rule(i, " access rights: G must be 0 when limit bits 11:0 are not all 1"),
		       e.c.guest_seg[i].limit = 0xfffff000);
		EXPECT(seg_rule(i, " access rights: G must be 1 when limit bits 31:20 are not all 0"),
		       e.c.guest_seg[i].ar &= ~VMX_AR_G_MASK);
		EXPECT(NULL, e.c.guest_seg[i].ar &= ~VMX_AR_G_MASK; e.c.guest_seg[i].limit = 0xfffff);
		EXPECT(seg_rule(i, " access rights: reserved bits 31:17 must be 0"), e.c.guest_seg[i].ar |= 1u << 17);
	}
	EXPECT("guest CS: D/B must be 0 for an IA-32e mode guest with L = 1",
	       e.c.guest_seg[SEG_CS].ar |= VMX_AR_DB_MASK);
	EXPECT(NULL, e.c.guest_seg[SEG_CS].ar = (gs[SEG_CS].ar & ~VMX_AR_L_MASK) | VMX_AR_DB_MASK);

	/* TR and LDTR. */
	EXPECT("guest TR: must be usable", e.c.guest_seg[SEG_TR].ar |= VMX_AR_UNUSABLE_MASK);
	EXPECT("guest TR type: must be 11 (busy 64-bit TSS) for an IA-32e mode guest",
	       e.c.guest_seg[SEG_TR].ar = (gs[SEG_TR].ar & ~0xfu) | 3);
	EXPECT("guest TR type: must be 3 or 11 (busy TSS)",
	       e.c.entry &= ~(VM_ENTRY_IA32E_MODE | VM_ENTRY_LOAD_IA32_EFER);
	       e.c.guest_seg[SEG_TR].ar = (gs[SEG_TR].ar & ~0xfu) | 9);
	EXPECT(NULL, e.c.entry &= ~(VM_ENTRY_IA32E_MODE | VM_ENTRY_LOAD_IA32_EFER);
	       e.c.guest_seg[SEG_TR].ar = (gs[SEG_TR].ar & ~0xfu) | 3);
	EXPECT("guest LDTR type: must be 2 (LDT) when usable", ldt(&e); e.c.guest_seg[SEG_LDTR].ar |= 1);
	for (unsigned i = SEG_LDTR; i <= SEG_TR; i++) {
		EXPECT(seg_rule(i, ": S (bit 4) must be 0 (system segment)"),
		       ldt(&e); e.c.guest_seg[i].ar |= VMX_AR_S_MASK);
		EXPECT(seg_rule(i, ": P (bit 7) must be 1"), ldt(&e); e.c.guest_seg[i].ar &= ~VMX_AR_P_MASK);
		EXPECT(seg_rule(i, " access rights: reserved bits 11:8 must be 0"),
		       ldt(&e); e.c.guest_seg[i].ar |= 1u << 11);
		EXPECT(seg_rule(i, " access rights: G must be 0 when limit bits 11:0 are not all 1"),
		       ldt(&e); e.c.guest_seg[i].ar |= VMX_AR_G_MASK; e.c.guest_seg[i].limit = 0x1000);
		EXPECT(seg_rule(i, " access rights: G must be 1 when limit bits 31:20 are not all 0"),
		       ldt(&e); e.c.guest_seg[i].limit = 0x100000);
		EXPECT(seg_rule(i, " access rights: reserved bits 31:17 must be 0"),
		       ldt(&e); e.c.guest_seg[i].ar |= 1u << 31);
	}
}

static void rules_guest_other(const struct env *good)
{
	/* "Checks on Guest Descriptor-Table Registers". */
	EXPECT("guest GDTR base: not canonical", e.c.guest_gdtr_base = NONCANON);
	EXPECT("guest IDTR base: not canonical", e.c.guest_idtr_base = NONCANON);
	EXPECT("guest GDTR limit: bits 31:16 must be 0", e.c.guest_gdtr_limit = 0x10000);
	EXPECT("guest IDTR limit: bits 31:16 must be 0", e.c.guest_idtr_limit = 0x10000);
	EXPECT(NULL, e.c.guest_gdtr_limit = 0xffff; e.c.guest_idtr_limit = 0xffff);

	/* "Checks on Guest RIP, RFLAGS, and SSP". */
	EXPECT("guest RIP: bits 63:32 must be 0 unless IA-32e mode guest with CS.L = 1",
	       e.c.guest_seg[SEG_CS].ar &= ~VMX_AR_L_MASK; e.c.guest_rip = 1ull << 32);
	EXPECT(NULL, e.c.guest_rip = 1ull << 32);
	EXPECT("guest RIP: not canonical (64-bit mode)", e.c.guest_rip = NONCANON);
	EXPECT(NULL, e.c.guest_rip = 0xffff800000000000ull);
	static const unsigned reserved[] = { 3, 5, 15, 22, 31, 63 };
	for (unsigned k = 0; k < sizeof(reserved) / sizeof(reserved[0]); k++)
		EXPECT("guest RFLAGS: reserved bits 63:22, 15, 5 and 3 must be 0",
		       e.c.guest_rflags |= 1ull << reserved[k]);
	EXPECT("guest RFLAGS: reserved bit 1 must be 1", e.c.guest_rflags = 0);
	EXPECT(NULL, e.c.guest_rflags = 0x2 | 0x200 | 0x1);

	/* "Checks on Guest Non-Register State": activity state. */
	EXPECT("guest activity state: must be 0 to 3", e.c.activity = 4);
	for (unsigned a = GUEST_ACTIVITY_HLT; a <= GUEST_ACTIVITY_WAIT_SIPI; a++) {
		EXPECT("guest activity state: not supported (IA32_VMX_MISC bits 8:6)",
		       *msr_value(&e.m, MSR_IA32_VMX_MISC) &= ~(1ull << (5 + a)); e.c.activity = a);
		EXPECT("guest activity state: must be active (vmxprobe's guest runs at once)",
		       *msr_value(&e.m, MSR_IA32_VMX_MISC) |= 1ull << (5 + a); e.c.activity = a);
		EXPECT("guest activity state: must be active with blocking by STI or MOV SS",
		       *msr_value(&e.m, MSR_IA32_VMX_MISC) |= 1ull << (5 + a); e.c.activity = a;
		       e.c.interruptibility = GUEST_INTR_STATE_MOV_SS);
	}
	/* A ring-3 guest (CS, SS RPL and DPL 3) may not enter in the HLT state. */
	EXPECT("guest activity state: HLT requires SS DPL 0",
	       *msr_value(&e.m, MSR_IA32_VMX_MISC) |= VMX_MISC_ACTIVITY_HLT; e.c.activity = GUEST_ACTIVITY_HLT;
	       e.c.guest_seg[SEG_CS].sel |= 3; e.c.guest_seg[SEG_CS].ar |= 3 << 5;
	       e.c.guest_seg[SEG_SS].sel |= 3; e.c.guest_seg[SEG_SS].ar |= 3 << 5);
	/* Interruptibility state. */
	EXPECT("guest interruptibility state: reserved bits 31:5 must be 0", e.c.interruptibility = 1u << 5);
	EXPECT("guest interruptibility state: blocking by STI and by MOV SS cannot both be 1",
	       e.c.interruptibility = GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS);
	EXPECT("guest interruptibility state: blocking by STI requires RFLAGS.IF = 1",
	       e.c.interruptibility = GUEST_INTR_STATE_STI);
	EXPECT(NULL, e.c.interruptibility = GUEST_INTR_STATE_STI; e.c.guest_rflags |= RFLAGS_IF);
	EXPECT(NULL, e.c.interruptibility = GUEST_INTR_STATE_MOV_SS | GUEST_INTR_STATE_NMI);
	EXPECT("guest interruptibility state: blocking by SMI must be 0 outside SMM",
	       e.c.interruptibility = GUEST_INTR_STATE_SMI);
	/* Pending debug exceptions. */
	EXPECT("guest pending debug exceptions: only bits 3:0, 12 and 14 may be 1", e.c.pending_dbg = 1u << 4);
	EXPECT("guest pending debug exceptions: only bits 3:0, 12 and 14 may be 1", e.c.pending_dbg = 1u << 16);
	EXPECT(NULL, e.c.pending_dbg = 0xf | 1u << 12 | 1u << 14);
	/* The VMCS link pointer. */
	EXPECT("VMCS link pointer: bits 11:0 must be 0 unless it is FFFFFFFF_FFFFFFFFH",
	       e.c.link_pointer = 0x100800);
	EXPECT("VMCS link pointer: bits beyond MAXPHYADDR must be 0 unless it is FFFFFFFF_FFFFFFFFH",
	       e.c.link_pointer = 1ull << PHYS_BITS);
	EXPECT("VMCS link pointer: must be FFFFFFFF_FFFFFFFFH (vmxprobe has no shadow VMCS)",
	       e.c.link_pointer = 0x100000);
}

/* The exit qualifications a guest-state failure may carry (SDM "VM-Entry
 * Failures During or After Loading Guest State"): 4 for the VMCS link pointer,
 * 0 for the other checks, both where both are broken ("any order"), and 2 too
 * for a guest that uses PAE paging (its PDPTEs are checked, unseen here). */
#define QUAL(q) (1u << ENTRY_QUAL_##q)
#define EXPECT_QUALS(want, quals, ...) do {                                     \
		struct env e = *good;                                           \
		__VA_ARGS__;                                                    \
		struct vmcs_entry_verdict v = vmcs_check_classes(&e.m, e.phys, &e.c); \
		CHECK_STR(v.guest ? v.guest : "NULL", want);                    \
		CHECK_EQ(v.guest_quals, quals);                                 \
	} while (0)

static void guest_qualifications(const struct env *good)
{
	const char *link = "VMCS link pointer: bits 11:0 must be 0 unless it is FFFFFFFF_FFFFFFFFH";
	const char *dbg = "guest pending debug exceptions: only bits 3:0, 12 and 14 may be 1";

	EXPECT_QUALS("NULL", 0, (void)0);
	EXPECT_QUALS(link, QUAL(VMCS_LINK_PTR), e.c.link_pointer = 0x100800);
	EXPECT_QUALS("VMCS link pointer: bits beyond MAXPHYADDR must be 0 unless it is FFFFFFFF_FFFFFFFFH",
		     QUAL(VMCS_LINK_PTR), e.c.link_pointer = 1ull << PHYS_BITS);
	EXPECT_QUALS("VMCS link pointer: must be FFFFFFFF_FFFFFFFFH (vmxprobe has no shadow VMCS)",
		     QUAL(VMCS_LINK_PTR), e.c.link_pointer = 0x100000);
	EXPECT_QUALS(dbg, QUAL(DEFAULT), e.c.pending_dbg = 1u << 4);
	/* Both broken: the checker names the first, the CPU may report either. */
	EXPECT_QUALS(dbg, QUAL(DEFAULT) | QUAL(VMCS_LINK_PTR),
		     e.c.pending_dbg = 1u << 4; e.c.link_pointer = 0x100800);
	/* PAE paging (CR0.PG, CR4.PAE, not IA-32e mode guest): the PDPTEs too. */
#define GUEST32 e.c.entry &= ~(VM_ENTRY_IA32E_MODE | VM_ENTRY_LOAD_IA32_EFER); \
	e.c.guest_seg[SEG_CS].ar &= ~VMX_AR_L_MASK
	EXPECT_QUALS("NULL", 0, GUEST32);
	EXPECT_QUALS(dbg, QUAL(DEFAULT) | QUAL(PDPTE), GUEST32; e.c.pending_dbg = 1u << 4);
	EXPECT_QUALS(link, QUAL(VMCS_LINK_PTR) | QUAL(PDPTE), GUEST32; e.c.link_pointer = 0x100800);
	/* CR4.PAE 0 (32-bit paging): no PDPTEs. */
	EXPECT_QUALS(dbg, QUAL(DEFAULT), GUEST32; e.c.guest_cr4 &= ~X86_CR4_PAE; e.c.pending_dbg = 1u << 4);
#undef GUEST32
	/* A control or host-state failure leaves the guest's to be judged apart. */
	EXPECT_QUALS(link, QUAL(VMCS_LINK_PTR), e.c.host_cr4 &= ~X86_CR4_VMXE; e.c.link_pointer = 0x100800);
}

/* ------------------------------------------------------------------------- */
/* The fields for VMWRITE                                                    */

struct field_list {
	unsigned n;
	uint32_t field[160];
	uint64_t value[160];
};

static void collect(void *ctx, uint32_t field, uint64_t value)
{
	struct field_list *l = ctx;

	if (l->n < 160) {
		l->field[l->n] = field;
		l->value[l->n++] = value;
	}
}

/* A field listed once when its control is on, else not at all; the count. */
static unsigned listed_if(const struct field_list *l, uint32_t field, bool on);

static int listed(const struct field_list *l, uint32_t field, uint64_t *value)
{
	int count = 0;

	for (unsigned i = 0; i < l->n; i++)
		if (l->field[i] == field) {
			count++;
			if (value)
				*value = l->value[i];
		}
	return count;
}

static unsigned listed_if(const struct field_list *l, uint32_t field, bool on)
{
	int n = listed(l, field, 0);

	CHECK_EQ(n, on ? 1 : 0);
	return (unsigned)n;
}

/* Class order: control (encoding bits 11:10 = 0), host state (3), guest state (2). */
static unsigned class_rank(uint32_t field)
{
	static const unsigned rank[4] = { 0, 9, 2, 1 };
	return rank[(field >> 10) & 3];
}

/* What a complete VMCS for vmxprobe's guest needs, whatever the controls. */
static const uint32_t always[] = {
	PIN_BASED_VM_EXEC_CONTROL, CPU_BASED_VM_EXEC_CONTROL, EXCEPTION_BITMAP,
	PAGE_FAULT_ERROR_CODE_MASK, PAGE_FAULT_ERROR_CODE_MATCH, CR3_TARGET_COUNT,
	VM_EXIT_CONTROLS, VM_EXIT_MSR_STORE_COUNT, VM_EXIT_MSR_LOAD_COUNT, VM_ENTRY_CONTROLS,
	VM_ENTRY_MSR_LOAD_COUNT, VM_ENTRY_INTR_INFO_FIELD, CR0_GUEST_HOST_MASK, CR4_GUEST_HOST_MASK,
	CR0_READ_SHADOW, CR4_READ_SHADOW,
	HOST_ES_SELECTOR, HOST_CS_SELECTOR, HOST_SS_SELECTOR, HOST_DS_SELECTOR, HOST_FS_SELECTOR,
	HOST_GS_SELECTOR, HOST_TR_SELECTOR, HOST_IA32_SYSENTER_CS, HOST_CR0, HOST_CR3, HOST_CR4,
	HOST_FS_BASE, HOST_GS_BASE, HOST_TR_BASE, HOST_GDTR_BASE, HOST_IDTR_BASE,
	HOST_IA32_SYSENTER_ESP, HOST_IA32_SYSENTER_EIP, HOST_RSP, HOST_RIP,
	GUEST_ES_SELECTOR, GUEST_CS_SELECTOR, GUEST_SS_SELECTOR, GUEST_DS_SELECTOR, GUEST_FS_SELECTOR,
	GUEST_GS_SELECTOR, GUEST_LDTR_SELECTOR, GUEST_TR_SELECTOR, VMCS_LINK_POINTER,
	GUEST_IA32_DEBUGCTL, GUEST_ES_LIMIT, GUEST_CS_LIMIT, GUEST_SS_LIMIT, GUEST_DS_LIMIT,
	GUEST_FS_LIMIT, GUEST_GS_LIMIT, GUEST_LDTR_LIMIT, GUEST_TR_LIMIT, GUEST_GDTR_LIMIT,
	GUEST_IDTR_LIMIT, GUEST_ES_AR_BYTES, GUEST_CS_AR_BYTES, GUEST_SS_AR_BYTES, GUEST_DS_AR_BYTES,
	GUEST_FS_AR_BYTES, GUEST_GS_AR_BYTES, GUEST_LDTR_AR_BYTES, GUEST_TR_AR_BYTES,
	GUEST_INTERRUPTIBILITY_INFO, GUEST_ACTIVITY_STATE, GUEST_SYSENTER_CS, GUEST_CR0, GUEST_CR3,
	GUEST_CR4, GUEST_ES_BASE, GUEST_CS_BASE, GUEST_SS_BASE, GUEST_DS_BASE, GUEST_FS_BASE,
	GUEST_GS_BASE, GUEST_LDTR_BASE, GUEST_TR_BASE, GUEST_GDTR_BASE, GUEST_IDTR_BASE, GUEST_DR7,
	GUEST_RSP, GUEST_RIP, GUEST_RFLAGS, GUEST_PENDING_DBG_EXCEPTIONS, GUEST_SYSENTER_ESP,
	GUEST_SYSENTER_EIP,
};

static void check_fields(const struct vmxcap_msrs *m, const struct vmcs_config *c)
{
	struct field_list l = { 0 };
	uint64_t v = 0;
	bool secondary = (m->value[VMXCAP_INDEX(MSR_IA32_VMX_PROCBASED_CTLS)] >> 63) & 1;

	vmcs_config_fields(c, m, collect, &l);
	/* Each once, in class order, by encoding within a class. */
	for (unsigned i = 0; i < l.n; i++)
		CHECK_EQ(listed(&l, l.field[i], 0), 1);
	for (unsigned i = 1; i < l.n; i++) {
		unsigned a = class_rank(l.field[i - 1]), b = class_rank(l.field[i]);
		CHECK(a < b || (a == b && l.field[i - 1] < l.field[i]));
	}
	/* Exactly the fields a complete VMCS needs, plus those of the controls that are on. */
	for (unsigned i = 0; i < sizeof(always) / sizeof(always[0]); i++)
		CHECK_EQ(listed(&l, always[i], 0), 1);
	unsigned extra = listed_if(&l, SECONDARY_VM_EXEC_CONTROL, secondary) +
		listed_if(&l, VMX_PREEMPTION_TIMER_VALUE, c->pin & PIN_BASED_VMX_PREEMPTION_TIMER) +
		listed_if(&l, GUEST_IA32_EFER, c->entry & VM_ENTRY_LOAD_IA32_EFER) +
		listed_if(&l, GUEST_IA32_PAT, c->entry & VM_ENTRY_LOAD_IA32_PAT) +
		listed_if(&l, HOST_IA32_EFER, c->exit & VM_EXIT_LOAD_IA32_EFER) +
		listed_if(&l, HOST_IA32_PAT, c->exit & VM_EXIT_LOAD_IA32_PAT);
	CHECK_EQ(l.n, sizeof(always) / sizeof(always[0]) + extra);

	/* Values: a sample of each width and class. */
	CHECK(listed(&l, PIN_BASED_VM_EXEC_CONTROL, &v) && v == c->pin);
	CHECK(listed(&l, EXCEPTION_BITMAP, &v) && v == 0xffffffff);
	CHECK(listed(&l, PAGE_FAULT_ERROR_CODE_MASK, &v) && v == 0);
	CHECK(listed(&l, PAGE_FAULT_ERROR_CODE_MATCH, &v) && v == 0);
	CHECK(listed(&l, HOST_CS_SELECTOR, &v) && v == host.sel[HOST_SEL_CS]);
	CHECK(listed(&l, HOST_TR_SELECTOR, &v) && v == host.sel[HOST_SEL_TR]);
	CHECK(listed(&l, HOST_RIP, &v) && v == plan.host_rip);
	CHECK(listed(&l, HOST_RSP, &v) && v == plan.host_rsp);
	CHECK(listed(&l, GUEST_CS_SELECTOR, &v) && v == host.sel[HOST_SEL_CS]);
	CHECK(listed(&l, GUEST_CS_AR_BYTES, &v) && v == 0xa09b);
	CHECK(listed(&l, GUEST_SS_AR_BYTES, &v) && v == 0xc093);
	CHECK(listed(&l, GUEST_TR_AR_BYTES, &v) && v == 0x8b);
	CHECK(listed(&l, GUEST_LDTR_AR_BYTES, &v) && v == VMX_AR_UNUSABLE_MASK);
	CHECK(listed(&l, GUEST_TR_LIMIT, &v) && v == host.tr_limit);
	CHECK(listed(&l, GUEST_TR_BASE, &v) && v == host.tr_base);
	CHECK(listed(&l, GUEST_GS_BASE, &v) && v == host.gs_base);
	CHECK(listed(&l, GUEST_GDTR_LIMIT, &v) && v == host.gdtr_limit);
	CHECK(listed(&l, VMCS_LINK_POINTER, &v) && v == ~0ull);
	CHECK(listed(&l, GUEST_RIP, &v) && v == plan.guest_rip);
	CHECK(listed(&l, GUEST_RSP, &v) && v == plan.guest_rsp);
	CHECK(listed(&l, GUEST_RFLAGS, &v) && v == 2);
	CHECK(listed(&l, GUEST_DR7, &v) && v == 0x400);
	CHECK(listed(&l, GUEST_CR4, &v) && v == host.cr4);
	if (c->pin & PIN_BASED_VMX_PREEMPTION_TIMER)
		CHECK(listed(&l, VMX_PREEMPTION_TIMER_VALUE, &v) && v == plan.timer_value);
	if (c->entry & VM_ENTRY_LOAD_IA32_EFER)
		CHECK(listed(&l, GUEST_IA32_EFER, &v) && v == host.efer);
	if (c->exit & VM_EXIT_LOAD_IA32_EFER)
		CHECK(listed(&l, HOST_IA32_EFER, &v) && v == host.efer);
}

/* ------------------------------------------------------------------------- */

/* The good VMCS on one model, then everything else from it. */
static void one_model(const char *name)
{
	struct env good = { .phys = PHYS_BITS };
	struct vmcs_config c;
	const char *why;

	model = name;
	if (!load_model(name, &good.m)) {
		printf("  note: no MSRs in vmxcap-%s.txt: skipped\n", name);
		return;
	}
	why = vmcs_config_build(&good.m, &host, &plan, &good.c);
	if (why) {
		check_failed++;
		printf("  FAIL %s: vmcs_config_build: \"%s\"\n", name, why);
		return;
	}
	expect(__LINE__, &good, NULL);

	/* What the build chose. */
	const struct vmcs_config *g = &good.c;
	uint64_t pin_cap = good.m.value[VMXCAP_INDEX(MSR_IA32_VMX_PINBASED_CTLS)];
	CHECK(g->proc & CPU_BASED_HLT_EXITING);
	CHECK(g->entry & VM_ENTRY_IA32E_MODE);
	CHECK(g->exit & VM_EXIT_HOST_ADDR_SPACE_SIZE);
	CHECK_EQ(!!(g->pin & PIN_BASED_VMX_PREEMPTION_TIMER), !!((pin_cap >> 32) & PIN_BASED_VMX_PREEMPTION_TIMER));
	CHECK_EQ(g->preemption_timer, (g->pin & PIN_BASED_VMX_PREEMPTION_TIMER) ? plan.timer_value : 0);
	CHECK_EQ(g->proc2, 0);
	CHECK_EQ(g->exception_bitmap, 0xffffffff);
	CHECK_EQ(g->cr0_mask | g->cr4_mask | g->cr3_target_count, 0);
	CHECK_EQ(g->link_pointer, ~0ull);
	CHECK_EQ(g->guest_efer, host.efer);
	CHECK_EQ(g->guest_seg[SEG_FS].base, host.fs_base);
	CHECK_EQ(g->guest_seg[SEG_DS].sel, host.sel[HOST_SEL_DS]);
	check_fields(&good.m, g);

	/* Without the preemption timer: asked for but not allowed, or not asked for. */
	struct vmxcap_msrs m = good.m;
	struct vmcs_plan p = plan;
	forbid(&m, PIN, PIN_BASED_VMX_PREEMPTION_TIMER);
	CHECK(!vmcs_config_build(&m, &host, &p, &c));
	CHECK(!(c.pin & PIN_BASED_VMX_PREEMPTION_TIMER) && c.preemption_timer == 0);
	CHECK(!vmcs_check(&m, PHYS_BITS, &c));
	check_fields(&m, &c);
	p.preemption_timer = false;
	CHECK(!vmcs_config_build(&good.m, &host, &p, &c));
	CHECK(!(c.pin & PIN_BASED_VMX_PREEMPTION_TIMER));
	/* Without EFER and PAT switching: the build still works, the fields go. */
	m = good.m;
	forbid(&m, EXIT, VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_IA32_EFER | VM_EXIT_LOAD_IA32_PAT);
	forbid(&m, ENTRY, VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT);
	CHECK(!vmcs_config_build(&m, &host, &plan, &c));
	CHECK(!(c.entry & VM_ENTRY_LOAD_IA32_EFER) && !(c.exit & VM_EXIT_LOAD_IA32_EFER));
	CHECK(!vmcs_check(&m, PHYS_BITS, &c));
	check_fields(&m, &c);

	/* A CPU without a control vmxprobe needs: the build names it (the SDM's
	 * name) and leaves nothing vmcs_check() would pass. */
	static const struct { unsigned msr, true_msr; uint32_t bit; const char *name; } needed[] = {
		{ PROC, CPU_BASED_HLT_EXITING, "HLT exiting" },
		{ EXIT, VM_EXIT_HOST_ADDR_SPACE_SIZE, "Host address-space size" },
		{ ENTRY, VM_ENTRY_IA32E_MODE, "IA-32e mode guest" },
	};
	for (unsigned k = 0; k < 3; k++) {
		m = good.m;
		forbid(&m, needed[k].msr, needed[k].true_msr, needed[k].bit);
		why = vmcs_config_build(&m, &host, &plan, &c);
		CHECK_STR(why ? why : "NULL", needed[k].name);
		CHECK(vmcs_check(&m, PHYS_BITS, &c) != 0);
	}

	rules_controls(&good);
	rules_host(&good);
	rules_guest_registers(&good);
	rules_guest_segments(&good);
	rules_guest_other(&good);
	guest_qualifications(&good);
}

/* vmx_control(): allowed settings, TRUE against plain MSRs, want and optional. */
static void control_choice(void)
{
	struct vmxcap_msrs m;
	uint32_t missing = 0xdead;

	load_model("corei7_skylake_x", &m);
	/* CR3-load exiting (bit 15) is default1: the plain MSR fixes it to 1, only
	 * IA32_VMX_TRUE_PROCBASED_CTLS lets it be 0. */
	uint32_t plain = vmx_control(&m, MSR_IA32_VMX_PROCBASED_CTLS, 0, 0, 0, 0);
	uint32_t tru = vmx_control(&m, PROC, 0, 0, 0);
	CHECK_EQ(plain, 0x0401e172);
	CHECK_EQ(tru, 0x04006172);
	CHECK(plain & CPU_BASED_CR3_LOAD_EXITING);
	CHECK(!(tru & CPU_BASED_CR3_LOAD_EXITING));
	/* Without IA32_VMX_BASIC[55] the TRUE MSR is not used. */
	struct vmxcap_msrs old = m;
	old.value[VMXCAP_INDEX(MSR_IA32_VMX_BASIC)] &= ~(1ull << 55);
	CHECK_EQ(vmx_control(&old, PROC, 0, 0, 0), 0x0401e172);
	/* ... nor a TRUE MSR that was not read. */
	old = m;
	old.present[VMXCAP_INDEX(MSR_IA32_VMX_TRUE_PROCBASED_CTLS)] = false;
	CHECK_EQ(vmx_control(&old, PROC, 0, 0, 0), 0x0401e172);
	/* Wanted bits: set where allowed, else reported missing (and left 0). */
	CHECK_EQ(vmx_control(&m, PROC, CPU_BASED_HLT_EXITING, 0, &missing), 0x04006172 | CPU_BASED_HLT_EXITING);
	CHECK_EQ(missing, 0);
	CHECK_EQ(vmx_control(&m, PROC, 1u << 27, 0, &missing), 0x04006172);     /* monitor trap flag: no */
	CHECK_EQ(missing, 1u << 27);
	/* Optional bits: set where allowed, dropped silently. */
	CHECK_EQ(vmx_control(&m, PROC, 0, (1u << 27) | CPU_BASED_HLT_EXITING, &missing),
		 0x04006172 | CPU_BASED_HLT_EXITING);
	CHECK_EQ(missing, 0);
	/* Secondary controls: no TRUE MSR; all may be 0. */
	CHECK_EQ(vmx_control(&m, MSR_IA32_VMX_PROCBASED_CTLS2, 0, SECONDARY_EXEC_ENABLE_EPT, 0, &missing),
		 SECONDARY_EXEC_ENABLE_EPT);
	/* An MSR that is not there allows nothing. */
	memset(&old, 0, sizeof(old));
	CHECK_EQ(vmx_control(&old, PIN, PIN_BASED_NMI_EXITING, 0, &missing), 0);
	CHECK_EQ(missing, PIN_BASED_NMI_EXITING);
}

int main(void)
{
	find_models();
	for (unsigned k = 0; k < sizeof(known_models) / sizeof(known_models[0]); k++) {
		bool found = false;
		for (unsigned i = 0; i < nmodels; i++)
			found |= !strcmp(models[i], known_models[k]);
		CHECK(found);
	}
	for (unsigned i = 0; i < nmodels; i++)
		one_model(models[i]);
	control_choice();
	printf("  models: %u\n", nmodels);
	return check_report("test_vmcs_config");
}
