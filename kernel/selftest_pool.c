/* SPDX-License-Identifier: MIT */
/* The conformance rules' per-CPU records: see selftest_pool.h. */
#include "kernel/selftest_pool.h"

#include <stdint.h>

#include "kernel/config.h"
#include "kernel/pool.h"

static uint8_t records[MAX_CPUS][SELFTEST_RECORD_BYTES] __pool __attribute__((aligned(16)));

void *selftest_record(unsigned cpu)
{
	return cpu < MAX_CPUS ? records[cpu] : 0;
}
