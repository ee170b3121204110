/* SPDX-License-Identifier: MIT */
/* Synthetic physical memory for lib/'s readers that take a struct phys_map
 * (lib/phys.h: the ACPI walk, the PVH start info): size bytes at physical
 * address base; nothing else is reachable. Unit tests and fuzz targets. */
#ifndef VMXPROBE_TESTS_UNIT_PHYSMEM_H
#define VMXPROBE_TESTS_UNIT_PHYSMEM_H

#include <stddef.h>
#include <stdint.h>

#include "lib/phys.h"

struct physmem {
	uint64_t base;
	const uint8_t *bytes;
	size_t size;
};

/* The phys_map callback: ctx is a struct physmem. */
static inline const void *physmem_map(void *ctx, uint64_t pa, uint32_t len)
{
	const struct physmem *m = ctx;

	if (pa < m->base || pa - m->base > m->size || len > m->size - (pa - m->base))
		return 0;
	return m->bytes + (pa - m->base);
}

#endif
