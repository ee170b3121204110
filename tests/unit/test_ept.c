/* SPDX-License-Identifier: MIT */
/* The identity EPT of selftest=vmx (lib/ept.c). */
#include <stdint.h>

#include "check.h"
#include "lib/ept.h"
#include "lib/vmcs.h"

static struct ept_tables t;

/* Walk the tables (at physical base pa == &t) for gpa: the leaf entry, or 0. */
static uint64_t walk(uint64_t pa, uint64_t gpa, unsigned *level)
{
	uint64_t base = (uint64_t)(uintptr_t)&t;
	const uint64_t *pml4 = t.pml4;
	uint64_t e = pml4[(gpa >> 39) & 511];

	if (!(e & 7))
		return 0;
	const uint64_t *pdpt = (const uint64_t *)(uintptr_t)((e & ~0xfffull) - pa + base);
	e = pdpt[(gpa >> 30) & 511];
	*level = 3;
	if (!(e & 7) || (e & VMX_EPT_LARGE_PAGE))
		return e;
	const uint64_t *pd = (const uint64_t *)(uintptr_t)((e & ~0xfffull) - pa + base);
	*level = 2;
	return pd[(gpa >> 21) & 511];
}

int main(void)
{
	uint64_t pa = (uint64_t)(uintptr_t)&t;
	unsigned level;

	for (int gb = 0; gb < 2; gb++) {
		uint64_t eptp = ept_build(&t, pa, gb, true);
		/* EPTP: the PML4's address, page-walk length 4 (3 in bits 5:3), WB (6). */
		CHECK_EQ(eptp & ~0xfffull, pa);
		CHECK_EQ(eptp & 0x38, 0x18);
		CHECK_EQ(eptp & 7, 6);
		CHECK_EQ(eptp & 0x40, 0);                       /* no accessed/dirty flags */
		/* Identity over [0, 4 GiB): each probe maps to itself, RWX, write-back. */
		static const uint64_t probes[] = { 0, 0x1000000, 0x7fe00000, 0xfee00000, 0xffffffff };
		for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
			uint64_t e = walk(pa, probes[i], &level);
			uint64_t size = gb ? 1ull << 30 : 2ull << 20;
			CHECK_EQ(level, gb ? 3u : 2u);
			CHECK_EQ(e & 7, 7);
			CHECK(e & VMX_EPT_LARGE_PAGE);
			CHECK_EQ((e >> 3) & 7, 6);
			CHECK_EQ(e & ~0xfffull & ~(size - 1), probes[i] & ~(size - 1));
		}
		/* The misconfigured entry: present, write-only. */
		uint64_t m = walk(pa, EPT_MISCONFIG_GPA, &level);
		CHECK_EQ(level, 2);
		CHECK_EQ(m & 7, VMX_EPT_WRITABLE_MASK);
		/* Not present from there on. */
		CHECK_EQ(walk(pa, EPT_MISCONFIG_GPA + (2ull << 20), &level) & 7, 0);
		CHECK_EQ(walk(pa, EPT_UNMAPPED_GPA, &level) & 7, 0);
		CHECK_EQ(walk(pa, 511ull << 30, &level) & 7, 0);
	}
	/* Uncacheable EPTP when write-back is not advertised. */
	CHECK_EQ(ept_build(&t, pa, false, false) & 7, 0);
	return check_report("ept");
}
