/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the libFuzzer targets (tests/fuzz/fuzz_*.c). Each target's
 * first line names the lib/ files it links, as the unit tests do; run.sh reads it.
 */
#ifndef VMXPROBE_TESTS_FUZZ_H
#define VMXPROBE_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/acpi.h"
#include "tests/unit/bytes.h"       /* fix_checksum() */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An exact-size heap copy (never NULL; one byte when size is 0, and then never
 * read), so that ASan reports a read one byte past the input. */
static inline uint8_t *fuzz_dup(const void *data, size_t size)
{
	uint8_t *p = malloc(size ? size : 1);

	if (!p)
		abort();
	if (size)
		memcpy(p, data, size);
	return p;
}

/* An invariant the code under test promises: abort (a crash libFuzzer keeps) if broken. */
#define FUZZ_ASSERT(cond)                                                       \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",        \
				__FILE__, __LINE__, #cond);                     \
			abort();                                                \
		}                                                               \
	} while (0)

static inline uint32_t fuzz_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* What cpu_list_add() promises about a struct madt_info, whatever the input. */
static inline void fuzz_check_cpus(const struct madt_info *mi)
{
	uint32_t max = 0;

	FUZZ_ASSERT(mi->stored <= mi->cap);
	FUZZ_ASSERT(mi->overflow <= mi->enabled);
	FUZZ_ASSERT(mi->stored + mi->overflow <= mi->enabled + mi->disabled);
	for (unsigned i = 0; i < mi->stored; i++) {
		for (unsigned j = 0; j < i; j++)
			FUZZ_ASSERT(mi->cpus[i].apic_id != mi->cpus[j].apic_id);
		if ((mi->cpus[i].flags & MADT_ENABLED) && mi->cpus[i].apic_id > max)
			max = mi->cpus[i].apic_id;
	}
	FUZZ_ASSERT(mi->max_apic_id == max);
}

#endif
