/* SPDX-License-Identifier: MIT */
/*
 * selftest=vmx, the EPT rules: the identity EPT (lib/ept.c) built once by the
 * boot CPU from the memory map, the violations, misconfigurations, permission
 * matrix, accessed and dirty flags and page sizes under it, the unrestricted
 * (real-mode) guest that needs it, and INVEPT/INVVPID with valid and invalid
 * operands. Intel SDM Vol. 3C: "EPT Translation Mechanism", "EPT Violations",
 * "EPT Misconfigurations", "Accessed and Dirty Flags for EPT", "EPT and Memory
 * Typing", "Unrestricted Guests", "VMX Instruction Reference" (INVEPT,
 * INVVPID).
 */
#include "kernel/vmx_conf.h"

#include "arch/paging.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/guest.h"
#include "lib/ept.h"
#include "lib/msr-index.h"
#include "lib/processor-flags.h"
#include "lib/string.h"
#include "lib/vmx_topics.h"

/* The value the guest reads through the 2 MiB and 1 GiB EPT pages, and each
 * CPU's word the A/D rules read and write (only that CPU touches it). */
static const volatile uint64_t ept_marker = 0x2b1c5a3e9d4f6071ull;
static volatile uint64_t ad_words[512] __attribute__((aligned(4096)));
/* The identity EPT (lib/ept.c), built once by the boot CPU; only read after. */
static struct ept_tables ept;
static uint64_t eptp;
static bool ept_ready, ept_gb_pages, ept_gb_ready;
/* The real-mode guest's page below 1 MiB (lower than the AP trampoline's). */
static uint64_t rm_page;
/* Its code: mov $0x1234, %ax; hlt; jmp back to the hlt. */
static const uint8_t rm_code[] = { 0xb8, 0x34, 0x12, 0xf4, 0xeb, 0xfd };
#define RM_STACK                0xffe
/*
 * "Unrestricted Guests": paging and protection off. CS = the page's segment,
 * IP 0, 64 KiB limits, present accessed code/data segments of DPL 0 (access
 * rights 9BH and 93H), LDTR unusable, TR as the host's (a busy TSS), no IA-32e
 * mode (the entry control and EFER.LMA/LME 0), RFLAGS bit 1 only.
 */
void vmx_conf_real_mode(struct vmcs_config *c)
{
	for (unsigned s = SEG_ES; s <= SEG_GS; s++)
		c->guest_seg[s] = (struct vmcs_seg){ 0, 0, 0xffff, 0x93 };
	c->guest_seg[SEG_CS] = (struct vmcs_seg){ (uint16_t)(rm_page >> 4), rm_page, 0xffff, 0x9b };
	c->guest_cr0 &= ~(X86_CR0_PE | X86_CR0_PG);
	c->guest_efer = 0;
	c->entry &= ~VM_ENTRY_IA32E_MODE;
	c->guest_rip = 0;
	c->guest_rsp = RM_STACK;
	c->guest_rflags = X86_EFLAGS_FIXED;
}

uint64_t vmx_conf_eptp(void)
{
	return eptp;
}

uint64_t vmx_conf_ept_ad_flags(unsigned leaf)
{
	return ((volatile uint64_t *)ept.misconfig_pd)[leaf] & (VMX_EPT_ACCESSED_BIT | VMX_EPT_DIRTY_BIT);
}

void vmx_conf_ept_init(void)
{
	uint64_t cap = 0;

	/* The tables, from the boot CPU's IA32_VMX_EPT_VPID_CAP (an AP whose page
	 * sizes differ skips the EPT rules). The MSR may not exist: no EPT then.
	 * Vol. 3C, "EPT and Memory Typing": write-back over the memory map's RAM,
	 * else uncacheable (lib/ept.h). */
	if (!(cpuid(1).c & (1u << 5)) || rdmsr_safe(MSR_IA32_VMX_EPT_VPID_CAP, &cap) >= 0)
		return;
	ept_gb_pages = cap & VMX_EPT_1GB_PAGE_BIT;
	eptp = ept_build(&ept, (uint64_t)(uintptr_t)&ept, ept_gb_pages, cap & VMX_EPTP_WB_BIT,
			 boot_info.mmap, boot_info.mmap_count);
	ept_map_permissions(&ept, (uint64_t)(uintptr_t)conf_stub_nops, cap & VMX_EPT_EXECUTE_ONLY_BIT);
	/* The guest's linear [4 GiB, 6 GiB) must reach the EPT rules' addresses:
	 * the shared page tables map them (identity), the EPT does not. */
	ept_ready = paging_map_identity(EPT_MISCONFIG_GPA, 2ull << 30);
	/* The topic leaves; the 1 GiB page's guest-linear [6 GiB, 7 GiB) too. */
	ept_map_topics(&ept, (uint64_t)(uintptr_t)&ept, (uint64_t)(uintptr_t)conf_stub_nops,
		       (uint64_t)(uintptr_t)&ept_marker, (uint64_t)(uintptr_t)ad_words, ept_gb_pages);
	ept_gb_ready = ept_gb_pages && (uint64_t)(uintptr_t)&ept_marker < (1ull << 30) &&
		       paging_map_identity(EPT_1GB_GPA, 1ull << 30);
	/* A free page below 1 MiB for the real-mode guest, below the one the AP
	 * trampoline takes (kernel/smp.c takes the highest free one). */
	uint64_t tramp = mb2_pick_page(&boot_info, 0x1000, 0x100000);
	if (tramp && (rm_page = mb2_pick_page(&boot_info, 0x1000, tramp)))
		memcpy(phys_to_virt(rm_page), rm_code, sizeof(rm_code));
}

/* The EPT rules, where "enable EPT", a 4-level walk and 2 MiB (or 1 GiB) pages
 * are advertised ("the largest page size the CPU allows"). */
/* Why this CPU cannot use the identity EPT, or NULL. */
const char *vmx_conf_ept_problem(const struct vmx_result *r, bool secondary)
{
	uint64_t cap = vmxcap_get(&r->caps, MSR_IA32_VMX_EPT_VPID_CAP);

	return !secondary || !conf_allowed(&r->caps, MSR_IA32_VMX_PROCBASED_CTLS2, 0,
						 SECONDARY_EXEC_ENABLE_EPT) ?
			  "no EPT (secondary processor-based control bit 1)" :
			  !(cap & VMX_EPT_PAGE_WALK_4_BIT) ? "no 4-level EPT walk (IA32_VMX_EPT_VPID_CAP[6])" :
			  !(cap & (VMX_EPT_2MB_PAGE_BIT | VMX_EPT_1GB_PAGE_BIT)) ?
			  "no 2-MByte or 1-GByte EPT pages (IA32_VMX_EPT_VPID_CAP[16], [17])" :
			  !(cap & (VMX_EPTP_WB_BIT | VMX_EPTP_UC_BIT)) ?
			  "no EPT paging-structure memory type (IA32_VMX_EPT_VPID_CAP[8], [14])" :
			  !ept_ready ? "no EPT tables (the boot CPU's capability, or mapping 4-6 GiB, failed)" :
			  !(cap & VMX_EPT_1GB_PAGE_BIT) != !ept_gb_pages ?
			  "this CPU's EPT page sizes differ from the boot CPU's" : 0;
}

/* Misconfigurations by a reserved bit and a reserved memory type, the A/D
 * flags, 2 MiB and 1 GiB pages (lib/ept.h's topic leaves). */
static void rules_ept_topics(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s)
{
	uint64_t cap = vmxcap_get(&r->caps, MSR_IA32_VMX_EPT_VPID_CAP);
	uint64_t marker = (uint64_t)(uintptr_t)&ept_marker;
	struct tweak t = { .proc2 = SECONDARY_EXEC_ENABLE_EPT };

	conf_run_rule(cpu, r, s, ST_EPT_MISCONFIG_RESERVED_BIT, &t, OP_READ, EPT_RESERVED_BIT_GPA, 0);
	conf_run_rule(cpu, r, s, ST_EPT_MISCONFIG_MEMTYPE, &t, OP_READ, EPT_BAD_MEMTYPE_GPA, 0);
	conf_run_rule(cpu, r, s, ST_EPT_MISCONFIG_NONLEAF, &t, OP_READ, EPT_NONLEAF_RESERVED_GPA, 0);
	for (unsigned k = 0; k < 2; k++) {
		enum st_rule_id id = k ? ST_EPT_DIRTY : ST_EPT_ACCESSED;
		if (!(cap & VMX_EPT_AD_BIT)) {
			s->skip(s->ctx, id, "no accessed and dirty flags for EPT (IA32_VMX_EPT_VPID_CAP[21])");
			continue;
		}
		if (cpu >= EPT_AD_CPUS) {
			s->skip(s->ctx, id, "no A/D leaf for this CPU number (lib/ept.h: EPT_AD_CPUS)");
			continue;
		}
		/* This CPU's leaf, its flags cleared (only this CPU uses it). */
		unsigned idx = EPT_AD_INDEX(cpu, k);
		__atomic_and_fetch(&ept.misconfig_pd[idx], ~(VMX_EPT_ACCESSED_BIT | VMX_EPT_DIRTY_BIT),
				   __ATOMIC_SEQ_CST);
		uint64_t gpa = EPT_AD_GPA(cpu, k) + ((uint64_t)(uintptr_t)&ad_words[cpu % 512] & ((2ull << 20) - 1));
		t = (struct tweak){ .proc2 = SECONDARY_EXEC_ENABLE_EPT, .eptp_ad = true, .value = V_EPT_AD,
				    .ad_index = idx, .expected = ept_leaf_ad_after(k) };
		conf_run_rule(cpu, r, s, id, &t, k ? OP_WRITE : OP_READ, gpa, cpu);
	}
	t = (struct tweak){ .proc2 = SECONDARY_EXEC_ENABLE_EPT, .value = V_RAX, .expected = ept_marker };
	conf_run_rule(cpu, r, s, ST_EPT_2MB_PAGE, &t, OP_READ, EPT_2MB_GPA + (marker & ((2ull << 20) - 1)), 0);
	if (!(cap & VMX_EPT_1GB_PAGE_BIT) || !ept_gb_pages)
		s->skip(s->ctx, ST_EPT_1GB_PAGE, "no 1-GByte EPT pages (IA32_VMX_EPT_VPID_CAP[17]), here or "
			"on the boot CPU");
	else if (!ept_gb_ready)
		s->skip(s->ctx, ST_EPT_1GB_PAGE, "its value is not below 1 GiB, or mapping 6-7 GiB failed");
	else
		conf_run_rule(cpu, r, s, ST_EPT_1GB_PAGE, &t, OP_READ, EPT_1GB_GPA + marker, 0);
}

/*
 * The permission matrix (lib/ept.h): each leaf maps the 2 MiB region of
 * conf_stub_nops, and the guest touches that code's own bytes (a write stores
 * them back unchanged; the rewrite stores what it read). A leaf, an access,
 * and the SDM's answer in the rule (lib/vmx_rules.c): a violation (48) or a
 * misconfiguration (49) with the address, or none (the guest's VMCALL; a read
 * returns the code's bytes).
 */
static void rules_matrix(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s)
{
	static const struct {
		enum st_rule_id id;
		uint64_t gpa;
		enum conf_op op;
		bool exec_only;         /* the leaf is execute-only */
	} m[] = {
		{ ST_EPT_READ_ONLY_WRITE, EPT_READ_ONLY_GPA, OP_REWRITE, false },
		{ ST_EPT_EXEC_ONLY_READ, EPT_EXEC_ONLY_GPA, OP_READ, true },
		{ ST_EPT_NO_EXEC_FETCH, EPT_NO_EXEC_GPA, OP_FETCH, false },
		{ ST_EPT_R_READ, EPT_READ_ONLY_GPA, OP_READ, false },
		{ ST_EPT_R_FETCH, EPT_READ_ONLY_GPA, OP_FETCH, false },
		{ ST_EPT_RW_WRITE, EPT_NO_EXEC_GPA, OP_WRITE, false },
		{ ST_EPT_X_FETCH, EPT_EXEC_ONLY_GPA, OP_FETCH, true },
		{ ST_EPT_X_WRITE, EPT_EXEC_ONLY_GPA, OP_WRITE, true },
		{ ST_EPT_RX_READ, EPT_RX_GPA, OP_READ, false },
		{ ST_EPT_RX_WRITE, EPT_RX_GPA, OP_WRITE, false },
		{ ST_EPT_RX_FETCH, EPT_RX_GPA, OP_FETCH, false },
		{ ST_EPT_RWX_WRITE, EPT_RWX_GPA, OP_WRITE, false },
		{ ST_EPT_NP_FETCH, EPT_UNMAPPED_GPA, OP_FETCH, false },
		{ ST_EPT_WX_MISCONFIG, EPT_WX_GPA, OP_READ, false },
		{ ST_EPT_W_MISCONFIG_WRITE, EPT_MISCONFIG_GPA, OP_WRITE, false },
	};
	uint64_t off = (uint64_t)(uintptr_t)conf_stub_nops & ((2ull << 20) - 1);
	uint64_t code = *(const uint64_t *)(const void *)conf_stub_nops;
	bool exec_only = (vmxcap_get(&r->caps, MSR_IA32_VMX_EPT_VPID_CAP) & VMX_EPT_EXECUTE_ONLY_BIT) &&
			 (ept.misconfig_pd[2] & VMX_EPT_EXECUTABLE_MASK);

	for (unsigned i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		uint32_t exit = st_rule(m[i].id)->exit;
		struct tweak t = { .proc2 = SECONDARY_EXEC_ENABLE_EPT };
		if (m[i].exec_only && !exec_only) {
			s->skip(s->ctx, m[i].id, "no execute-only EPT entries (IA32_VMX_EPT_VPID_CAP[0]), here "
				"or on the boot CPU");
			continue;
		}
		if (exit == EXIT_REASON_EPT_VIOLATION || exit == EXIT_REASON_EPT_MISCONFIG)
			t = (struct tweak){ .proc2 = SECONDARY_EXEC_ENABLE_EPT, .value = V_GPA,
					    .expected = m[i].gpa + off };
		else if (m[i].op == OP_READ)
			t = (struct tweak){ .proc2 = SECONDARY_EXEC_ENABLE_EPT, .value = V_RAX, .expected = code };
		conf_run_rule(cpu, r, s, m[i].id, &t, m[i].op, m[i].gpa + off, code);
	}
}

void vmx_conf_ept_rules(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
		      bool secondary)
{
	static const enum st_rule_id ids[4] = {
		ST_EPT_RUNS, ST_EPT_VIOLATION_READ, ST_EPT_VIOLATION_WRITE, ST_EPT_MISCONFIG,
	};
	const char *why = vmx_conf_ept_problem(r, secondary);

	if (why) {
		for (unsigned k = 0; k < 4; k++)
			s->skip(s->ctx, ids[k], why);
		for (unsigned k = ST_EPT_READ_ONLY_WRITE; k <= ST_EPT_NO_EXEC_FETCH; k++)
			s->skip(s->ctx, (enum st_rule_id)k, why);
		for (unsigned k = ST_EPT_MISCONFIG_RESERVED_BIT; k <= ST_EPT_1GB_PAGE; k++)
			s->skip(s->ctx, (enum st_rule_id)k, why);
		for (unsigned k = ST_EPT_R_READ; k <= ST_EPT_W_MISCONFIG_WRITE; k++)
			s->skip(s->ctx, (enum st_rule_id)k, why);
		s->skip(s->ctx, ST_UNRESTRICTED_REAL_MODE, why);
		return;
	}
	struct tweak t = { .proc2 = SECONDARY_EXEC_ENABLE_EPT };
	conf_run_rule(cpu, r, s, ST_EPT_RUNS, &t, OP_VMCALL, 0, 0);
	conf_run_rule(cpu, r, s, ST_EPT_VIOLATION_READ, &t, OP_READ, EPT_UNMAPPED_GPA, 0);
	conf_run_rule(cpu, r, s, ST_EPT_VIOLATION_WRITE, &t, OP_WRITE, EPT_UNMAPPED_GPA, 0);
	conf_run_rule(cpu, r, s, ST_EPT_MISCONFIG, &t, OP_READ, EPT_MISCONFIG_GPA, 0);

	rules_matrix(cpu, r, s);

	rules_ept_topics(cpu, r, s);

	/* Unrestricted guest (needs EPT): the real-mode guest. */
	if (!conf_allowed(&r->caps, MSR_IA32_VMX_PROCBASED_CTLS2, 0, SECONDARY_EXEC_UNRESTRICTED_GUEST)) {
		s->skip(s->ctx, ST_UNRESTRICTED_REAL_MODE,
			"no unrestricted guest (secondary processor-based control bit 7)");
	} else if (!rm_page) {
		s->skip(s->ctx, ST_UNRESTRICTED_REAL_MODE, "no free page below 1 MiB for its code");
	} else {
		t = (struct tweak){ .proc2 = SECONDARY_EXEC_ENABLE_EPT |
					     SECONDARY_EXEC_UNRESTRICTED_GUEST, .real_mode = true,
				    .value = V_AX, .expected = 0x1234 };
		conf_run_rule(cpu, r, s, ST_UNRESTRICTED_REAL_MODE, &t, OP_VMCALL, 0, 0);
	}
}

/* INVEPT and INVVPID with operands the SDM's Operation sections reject with
 * VMfail(Invalid operand to INVEPT/INVVPID), each where the instruction (and,
 * for a VPID of 0 or a non-canonical address, the type) is advertised. */
static void rules_invalid_operands(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s,
				   uint64_t cap, bool ept_ok, bool vpid_ok)
{
	static const struct {
		enum st_rule_id id;
		bool vpid;
		uint64_t type, cap_bit;         /* cap_bit 0: the instruction is enough */
		uint16_t vpid_value;
		uint64_t address;
	} k[] = {
		{ ST_INVEPT_BAD_TYPE, false, 3, 0, 0, 0 },
		{ ST_INVVPID_BAD_TYPE, true, 4, 0, 1, 0 },
		{ ST_INVVPID_SINGLE_VPID_ZERO, true, VMX_VPID_EXTENT_SINGLE_CONTEXT,
		  VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT, 0, 0 },
		{ ST_INVVPID_ADDRESS_VPID_ZERO, true, VMX_VPID_EXTENT_INDIVIDUAL_ADDR,
		  VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT, 0, 0x1000 },
		{ ST_INVVPID_ADDRESS_NON_CANONICAL, true, VMX_VPID_EXTENT_INDIVIDUAL_ADDR,
		  VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT, 1, 0x8000000000000000ull },
	};
	/* VMfail is VMfailValid, with its error number, only with a current VMCS. */
	uint64_t vmcs = 0, f = 0;
	const char *why = guest_vmcs_prepare(cpu, r, (uint64_t)(uintptr_t)conf_guest, 0, 0, &vmcs);

	for (unsigned i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		bool have = k[i].vpid ? vpid_ok && (cap & VMX_VPID_INVVPID_BIT) :
					ept_ok && (cap & VMX_EPT_INVEPT_BIT);
		if (why) {
			s->skip(s->ctx, k[i].id, why);
			continue;
		}
		if (!have || (k[i].cap_bit && !(cap & k[i].cap_bit))) {
			s->skip(s->ctx, k[i].id, k[i].vpid ?
				"INVVPID or this type is not advertised (IA32_VMX_EPT_VPID_CAP[32], [40-41])" :
				"INVEPT is not advertised (IA32_VMX_EPT_VPID_CAP[20])");
			continue;
		}
		int v = k[i].vpid ? invvpid_safe(k[i].type, k[i].vpid_value, k[i].address, &f) :
				    invept_safe(k[i].type, eptp, &f);
		s->record(s->ctx, k[i].id, vmx_conformance_observe(v, f));
	}
	if (!why)
		vmclear_safe(vmcs, &f);
}

/* INVEPT and INVVPID, each type where advertised. */
void vmx_conf_invalidate_rules(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s, bool ept_ok,
			     bool vpid_ok)
{
	static const struct {
		enum st_rule_id id;
		bool vpid;
		uint64_t type, cap_bit;
	} k[] = {
		{ ST_INVEPT_SINGLE, false, VMX_EPT_EXTENT_CONTEXT, VMX_EPT_EXTENT_CONTEXT_BIT },
		{ ST_INVEPT_ALL, false, VMX_EPT_EXTENT_GLOBAL, VMX_EPT_EXTENT_GLOBAL_BIT },
		{ ST_INVVPID_ADDRESS, true, VMX_VPID_EXTENT_INDIVIDUAL_ADDR,
		  VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT },
		{ ST_INVVPID_SINGLE, true, VMX_VPID_EXTENT_SINGLE_CONTEXT,
		  VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT },
		{ ST_INVVPID_ALL, true, VMX_VPID_EXTENT_ALL_CONTEXT, VMX_VPID_EXTENT_ALL_CONTEXT_BIT },
	};
	uint64_t cap = vmxcap_get(&r->caps, MSR_IA32_VMX_EPT_VPID_CAP);

	for (unsigned i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		uint64_t f = 0;
		bool have = k[i].vpid ? vpid_ok && (cap & VMX_VPID_INVVPID_BIT) :
					ept_ok && (cap & VMX_EPT_INVEPT_BIT);
		if (!have || !(cap & k[i].cap_bit)) {
			s->skip(s->ctx, k[i].id, k[i].vpid ?
				"this INVVPID type is not advertised (IA32_VMX_EPT_VPID_CAP[32], [40-42])" :
				"this INVEPT type is not advertised (IA32_VMX_EPT_VPID_CAP[20], [25-26])");
			continue;
		}
		int v = k[i].vpid ? invvpid_safe(k[i].type, 1, (uint64_t)(uintptr_t)&ept, &f) :
				    invept_safe(k[i].type, eptp, &f);
		s->record(s->ctx, k[i].id, vmx_conformance_observe(v, f));
	}
	rules_invalid_operands(cpu, r, s, cap, ept_ok, vpid_ok);
}
