/* SPDX-License-Identifier: MIT */
/* Time from the TSC: see tsc.h. */
#include "arch/tsc.h"

#include "arch/x86.h"

static uint64_t khz = TSC_GUESS_KHZ;

void tsc_set_khz(uint64_t k)
{
	if (k)
		khz = k;
}

uint64_t tsc_khz(void)
{
	return khz;
}

uint64_t tsc_to_us(uint64_t cycles)
{
	return cycles * 1000 / khz;
}

uint64_t time_deadline_us(uint64_t us)
{
	return rdtsc() + us * khz / 1000;
}

bool time_passed(uint64_t deadline)
{
	return (int64_t)(rdtsc() - deadline) >= 0;
}

void udelay(uint64_t us)
{
	uint64_t deadline = time_deadline_us(us);

	while (!time_passed(deadline))
		cpu_relax();
}
