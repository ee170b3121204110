/* SPDX-License-Identifier: MIT */
/*
 * The VM-entry rules asked of the CPU (lib/vmcs_entry_rules.c) on the captured
 * capability MSRs of every Bochs model: from vmxprobe's valid VMCS, each rule's
 * break must make the checker name exactly that rule (never the "bug in
 * vmxprobe" SKIP), and what the CPU must do follows the rule's section: error
 * 7 for the controls, 8 for the host state, exit reason 33 for the guest state.
 * The names are unique, kebab-case and start with "entry-".
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

static bool kebab(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || (*s == '-' && s[1] != '-')))
			return false;
	return true;
}

static void names(void)
{
	for (unsigned i = 0; i < ENTRY_RULES; i++) {
		const struct entry_rule *r = entry_rule(i);
		CHECK(r && !strncmp(r->name, "entry-", 6) && kebab(r->name));
		CHECK(r && r->quote && r->section && r->checker[0]);
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(entry_rule(j)->name, r->name)) {
				printf("  FAIL duplicate rule name %s\n", r->name);
				check_failed++;
			}
	}
	CHECK(entry_rule(ENTRY_RULES) == NULL);
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
		/* The rule's own class is always among the outcomes allowed. */
		if (!(expect & section_expect(r->section))) {
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
	struct vmcs_entry_verdict v = { 0, 0, 0 };

	CHECK_EQ(entry_expect_of(&v), 0);
	v.guest = "g";
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
