/* SPDX-License-Identifier: MIT */
/* TSC frequency from CPUID and from kvmclock: see tsc.h. */
#include "lib/tsc.h"

uint64_t tsc_khz_from_leaf15(uint32_t eax, uint32_t ebx, uint32_t ecx)
{
	if (!eax || !ebx || !ecx)
		return 0;
	return (uint64_t)ecx * ebx / eax / 1000;
}

uint64_t tsc_khz_from_leaf16(uint32_t eax)
{
	return (uint64_t)(eax & 0xffff) * 1000;
}

uint64_t tsc_khz_from_pvclock(uint32_t mul, int8_t shift)
{
	if (!mul || shift < -31 || shift > 31)
		return 0;
	uint64_t khz = (1000000ull << 32) / mul;

	if (shift >= 0)
		return khz >> shift;
	if (khz > UINT64_MAX >> -shift)
		return 0;
	return khz << -shift;
}

int tsc_khz_agree(uint64_t a, uint64_t b, unsigned pct)
{
	uint64_t hi = a > b ? a : b, lo = a > b ? b : a;

	if (!lo)
		return 0;
	return (hi - lo) * 100 <= hi * pct;
}
