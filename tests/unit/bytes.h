/* SPDX-License-Identifier: MIT */
/* Helpers for tests that build firmware tables byte by byte (ACPI, MP). */
#ifndef VMXPROBE_TESTS_UNIT_BYTES_H
#define VMXPROBE_TESTS_UNIT_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* Set the byte at `at` so that the len bytes from t sum to zero (ACPI and MP checksums). */
static inline void fix_checksum(uint8_t *t, size_t len, unsigned at)
{
	uint8_t sum = 0;

	t[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + t[i]);
	t[at] = (uint8_t)-sum;
}

#endif
