/* SPDX-License-Identifier: MIT */
/*
 * The VM-entry rules asked of the CPU (lib/vmcs_entry_rules.c) on the captured
 * capability MSRs of every Bochs model: from vmxprobe's valid VMCS, each rule's
 * break must make the checker name exactly that rule (never the "bug in
 * vmxprobe" SKIP), and what the CPU must do follows the rule's section: error
 * 7 for the controls, 8 for the host state, exit reason 33 for the guest state,
 * with exit qualification 4 for the VMCS link pointer's rules, 0 for the
 * others (0 or 2 for a guest that uses PAE paging, whose PDPTEs VM entry
 * checks too). The names are unique, kebab-case and start with "entry-".
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "lib/processor-flags.h"
#include "lib/vmcs_entry_rules.h"
#include "vmxcap_data.h"

static const char *const models[] = {
	"broadwell_ult", "core2_penryn_t9600", "corei3_cnl", "corei5_arrandale_m520",
	"corei5_lynnfield_750", "corei7_haswell_4770", "corei7_icelake_u",
	"corei7_ivy_bridge_3770k", "corei7_sandy_bridge_2600k", "corei7_skylake_x", "tigerlake",
};

/* A long-mode kernel like vmxprobe (as in test_vmcs_config.c). */
static const struct vmcs_host_facts host = {
	.cr0 = 0x80000033, .cr3 = 0x01000000, .cr4 = 0x20a0, .efer = 0xd01,
	.pat = 0x0007040600070406,
	.sel = { 0x10, 0x08, 0x10, 0x10, 0x10, 0x10, 0x20 },
	.gs_base = 0x01200000, .tr_base = 0x01201000,
	.gdtr_base = 0x01202000, .idtr_base = 0x01203000,
	.gdtr_limit = 0x2f, .idtr_limit = 0xfff, .tr_limit = 0x67,
};
static const struct vmcs_plan plan = {
	.guest_rip = 0x01300000, .guest_rsp = 0x01311000,
	.host_rip = 0x01100000, .host_rsp = 0x01321000,
	.preemption_timer = true, .timer_value = 12345,
};

/* Which failure a section's checks give. */
static unsigned section_expect(const char *section)
{
	if (strstr(section, "Control Fields"))
		return ENTRY_FAIL_CONTROL;
	if (strstr(section, "Host") || strstr(section, "Address-Space Size"))
		return ENTRY_FAIL_HOST;
	return ENTRY_FAIL_GUEST;
}

/* The rules whose VM-entry failure has its own exit qualification (SDM
 * "VM-Entry Failures During or After Loading Guest State": 4, "an invalid VMCS
 * link pointer"), and the one that leaves a guest using PAE paging (CR0.PG,
 * CR4.PAE, not IA-32e mode guest: 0 or 2). */
static const char *const link_pointer_rules[] = {
	"entry-guest-link-pointer-low-bits", "entry-guest-link-pointer-beyond-maxphyaddr",
};
static const char pae_guest_rule[] = "entry-guest-cr4-pcide-without-ia32e";

/* Exactly what a guest-state rule expects. */
static unsigned guest_expect(const char *name)
{
	for (unsigned k = 0; k < sizeof(link_pointer_rules) / sizeof(link_pointer_rules[0]); k++)
		if (!strcmp(name, link_pointer_rules[k]))
			return ENTRY_FAIL_GUEST_LINK_PTR;
	if (!strcmp(name, pae_guest_rule))
		return ENTRY_FAIL_GUEST | ENTRY_FAIL_GUEST_PDPTE;
	return ENTRY_FAIL_GUEST;
}

static bool kebab(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || (*s == '-' && s[1] != '-')))
			return false;
	return true;
}

static void names(void)
{
	unsigned found_link = 0, found_pae = 0;

	for (unsigned i = 0; i < ENTRY_RULES; i++) {
		const struct entry_rule *r = entry_rule(i);
		CHECK(r && !strncmp(r->name, "entry-", 6) && kebab(r->name));
		CHECK(r && r->quote && r->section && r->checker[0]);
		for (unsigned k = 0; k < sizeof(link_pointer_rules) / sizeof(link_pointer_rules[0]); k++)
			found_link += r && !strcmp(r->name, link_pointer_rules[k]);
		found_pae += r && !strcmp(r->name, pae_guest_rule);
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(entry_rule(j)->name, r->name)) {
				printf("  FAIL duplicate rule name %s\n", r->name);
				check_failed++;
			}
	}
	CHECK(entry_rule(ENTRY_RULES) == NULL);
	CHECK_EQ(found_link, 2);        /* the names above are the table's */
	CHECK_EQ(found_pae, 1);
}

/* Every rule on one model; how many it can show. */
static unsigned one_model(const char *model)
{
	struct vmxcap_msrs m;
	struct vmcs_config good;
	unsigned shown = 0;

	if (!vmxcap_load(model, &m)) {
		check_failed++;
		return 0;
	}
	uint64_t cap = vmxcap_get(&m, MSR_IA32_VMX_EPT_VPID_CAP);
	struct entry_env env = {
		.m = &m, .phys_bits = 39, .page = 0x01500000,
		.eptp = (cap & VMX_EPT_PAGE_WALK_4_BIT) && (cap & VMX_EPTP_WB_BIT) ?
			0x01600000 | VMX_EPTP_MT_WB | VMX_EPTP_PWL_4 : 0,
	};
	CHECK(vmcs_config_build(&m, &host, &plan, &good) == NULL);
	CHECK(vmcs_check(&m, env.phys_bits, &good) == NULL);
	for (unsigned i = 0; i < ENTRY_RULES; i++) {
		const struct entry_rule *r = entry_rule(i);
		struct vmcs_config c = good;
		unsigned expect = 0;
		const char *why = entry_rule_prepare(i, &env, &c, &expect);
		if (why == entry_rule_checker_bug) {
			printf("  FAIL %s %s: checker names \"%s\"\n", model, r->name,
			       vmcs_check(&m, env.phys_bits, &c));
			check_failed++;
			continue;
		}
		if (why)
			continue;
		shown++;
		/* The rule's own class is always among the outcomes allowed; a
		 * guest-state rule's, exactly, with its exit qualifications. */
		unsigned want = section_expect(r->section);
		if (want == ENTRY_FAIL_GUEST ? expect != guest_expect(r->name) : !(expect & want)) {
			printf("  FAIL %s %s: expect %u, section %s\n", model, r->name, expect, r->section);
			check_failed++;
		} else {
			check_passed++;
		}
	}
	printf("  %s: %u of %u rules shown\n", model, shown, ENTRY_RULES);
	return shown;
}

/* The expectation from the checker's classes. */
static void expectations(void)
{
	struct vmcs_entry_verdict v = { 0, 0, 0, 0 };

	CHECK_EQ(entry_expect_of(&v), 0);
	v.guest = "g";
	v.guest_quals = 1u << ENTRY_QUAL_VMCS_LINK_PTR;
	CHECK_EQ(entry_expect_of(&v), ENTRY_FAIL_GUEST_LINK_PTR);
	v.guest_quals = 1u << ENTRY_QUAL_DEFAULT | 1u << ENTRY_QUAL_PDPTE;
	CHECK_EQ(entry_expect_of(&v), ENTRY_FAIL_GUEST | ENTRY_FAIL_GUEST_PDPTE);
	v.guest_quals = 1u << ENTRY_QUAL_DEFAULT;
	CHECK_EQ(entry_expect_of(&v), ENTRY_FAIL_GUEST);
	v.host = "h";
	CHECK_EQ(entry_expect_of(&v), ENTRY_FAIL_HOST);          /* guest checks come after */
	v.control = "c";
	CHECK_EQ(entry_expect_of(&v), ENTRY_FAIL_HOST | ENTRY_FAIL_CONTROL);  /* any order */
}

int main(void)
{
	names();
	expectations();
	for (unsigned i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		unsigned shown = one_model(models[i]);
		if (!strcmp(models[i], "corei7_skylake_x"))
			CHECK(shown >= 180);
		if (!strcmp(models[i], "core2_penryn_t9600"))
			CHECK(shown >= 100);
	}
	return check_report("test_vmcs_entry_rules");
}
