/* SPDX-License-Identifier: MIT */
/* IA32_APIC_BASE decoding and the CPUID topology count. */
#include "check.h"
#include "lib/apic.h"

struct fake_leaf {
	unsigned n;
	uint32_t ebx[4], ecx[4];
};

static void leaf(void *ctx, unsigned sub, uint32_t *ebx, uint32_t *ecx)
{
	const struct fake_leaf *f = ctx;

	*ebx = sub < f->n ? f->ebx[sub] : 0;
	*ecx = sub < f->n ? f->ecx[sub] : sub;   /* level type 0 past the end */
}

int main(void)
{
	/* The usual place, with BSP, EXTD and EN set. */
	CHECK_EQ(apic_base_addr(0xfee00d00, 39), 0xfee00000);
	/* Relocated above 4 GiB: kept whole within MAXPHYADDR (not cut to 31:12). */
	CHECK_EQ(apic_base_addr(0x12fee00900ull, 39), 0x12fee00000ull);
	CHECK_EQ(apic_base_addr(0x12fee00900ull, 36), 0x2fee00000ull);
	/* Reserved bits above MAXPHYADDR are not part of the address. */
	CHECK_EQ(apic_base_addr(0xff000000fee00900ull, 46), 0xfee00000);
	CHECK_EQ(apic_base_addr(0xfee00900, 64), 0xfee00000);

	/* 2 threads per core, 4 cores: SMT level 2, core level 8. */
	struct fake_leaf ht = { 2, { 2, 8 }, { 0x100, 0x201 } };
	CHECK_EQ(topology_logical_per_package(leaf, &ht), 8);
	/* One level only. */
	struct fake_leaf one = { 1, { 1 }, { 0x100 } };
	CHECK_EQ(topology_logical_per_package(leaf, &one), 1);
	/* Level type 0 at sub-leaf 0: nothing reported. */
	struct fake_leaf none = { 0, { 0 }, { 0 } };
	CHECK_EQ(topology_logical_per_package(leaf, &none), 0);
	/* Counts are EBX[15:0]: upper bits are reserved. */
	struct fake_leaf wide = { 2, { 0xffff0001, 0xabcd0010 }, { 0x100, 0x200 } };
	CHECK_EQ(topology_logical_per_package(leaf, &wide), 16);
	return check_report("apic");
}
