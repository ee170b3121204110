/* TSC frequency from CPUID: see tsc.h. */
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

int tsc_khz_agree(uint64_t a, uint64_t b, unsigned pct)
{
	uint64_t hi = a > b ? a : b, lo = a > b ? b : a;

	if (!lo)
		return 0;
	return (hi - lo) * 100 <= hi * pct;
}
