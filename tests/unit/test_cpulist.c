/* SPDX-License-Identifier: MIT */
/* From the firmware's CPU list to the CPUs to start (lib/cpulist.c). */
#include <string.h>

#include "check.h"
#include "lib/cpulist.h"

static struct madt_cpu entries[16];
static uint32_t apic[8];
static unsigned notes[2], last_note_id;

static void note(void *ctx, enum cpu_plan_note why, const struct madt_cpu *e)
{
	(void)ctx;
	notes[why]++;
	last_note_id = e->apic_id;
}

/* A list of n entries: IDs ids[i], enabled unless flags says otherwise. */
static struct madt_info list(unsigned n, const uint32_t *ids, const uint32_t *flags)
{
	struct madt_info mi;
	struct diag d = { 0 };

	memset(&mi, 0, sizeof(mi));
	mi.cpus = entries;
	mi.cap = 16;
	for (unsigned i = 0; i < n; i++)
		cpu_list_add(&mi, ids[i], i, flags ? flags[i] : MADT_ENABLED, false, &d);
	return mi;
}

static struct cpu_plan plan(const struct madt_info *fw, uint32_t bsp, unsigned cap)
{
	struct cpu_plan p = { apic, cap, 0, 0, 0, false, 0 };

	notes[0] = notes[1] = 0;
	cpu_plan_build(&p, fw, bsp, note, 0);
	return p;
}

int main(void)
{
	/* Four enabled CPUs, the boot CPU first: three APs to start. */
	uint32_t ids4[] = { 0, 1, 2, 3 };
	struct madt_info fw = list(4, ids4, 0);
	struct cpu_plan p = plan(&fw, 0, 8);
	CHECK_EQ(p.n, 4);
	CHECK_EQ(p.enumerated, 4);
	CHECK(p.bsp_listed);
	CHECK_EQ(apic[0], 0);
	CHECK_EQ(apic[3], 3);
	CHECK_EQ(notes[0] + notes[1], 0);

	/* The boot CPU is not the first entry; its ID is skipped, not started. */
	p = plan(&fw, 2, 8);
	CHECK_EQ(p.n, 4);
	CHECK_EQ(apic[0], 2);
	CHECK(apic[1] == 0 && apic[2] == 1 && apic[3] == 3);

	/* Present but not enabled (and online capable): counted, noted, not started. */
	uint32_t fl[] = { MADT_ENABLED, MADT_ENABLED, 0, MADT_ONLINE_CAPABLE };
	fw = list(4, ids4, fl);
	p = plan(&fw, 0, 8);
	CHECK_EQ(p.n, 2);
	CHECK_EQ(p.enumerated, 2);
	CHECK_EQ(p.disabled, 2);
	CHECK_EQ(notes[CPU_PLAN_DISABLED], 2);

	/* The boot CPU missing from the list: enumerated anyway, said so. */
	uint32_t ids3[] = { 1, 2, 3 };
	fw = list(3, ids3, 0);
	p = plan(&fw, 0, 8);
	CHECK(!p.bsp_listed);
	CHECK_EQ(p.enumerated, 4);
	CHECK_EQ(p.n, 4);

	/* More enabled CPUs than this build has room for: noted, still enumerated. */
	uint32_t ids6[] = { 0, 1, 2, 3, 4, 5 };
	fw = list(6, ids6, 0);
	p = plan(&fw, 0, 4);
	CHECK_EQ(p.n, 4);
	CHECK_EQ(p.enumerated, 6);
	CHECK_EQ(notes[CPU_PLAN_BEYOND_MAX], 2);
	CHECK_EQ(last_note_id, 5);

	/* IDs beyond xAPIC's reach without x2APIC: dropped, still enumerated. */
	uint32_t idsx[] = { 0, 1, 300, 2, 255 };
	fw = list(5, idsx, 0);
	p = plan(&fw, 0, 8);
	CHECK_EQ(p.n, 5);
	cpu_plan_limit_ids(&p, 0xfe);
	CHECK_EQ(p.n, 3);
	CHECK_EQ(p.unreachable, 2);
	CHECK(apic[0] == 0 && apic[1] == 1 && apic[2] == 2);
	CHECK_EQ(p.enumerated, 5);

	/* An empty list (a MADT without CPU entries): the boot CPU alone, enumerated. */
	fw = list(0, ids4, 0);
	p = plan(&fw, 7, 8);
	CHECK_EQ(p.n, 1);
	CHECK_EQ(p.enumerated, 1);
	CHECK(!p.bsp_listed);
	return check_report("cpulist");
}
