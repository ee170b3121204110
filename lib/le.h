/* SPDX-License-Identifier: MIT */
/*
 * Little-endian reads of firmware and loader structures (ACPI tables, the MP
 * table, the Multiboot2 and PVH boot information): byte by byte, so they hold
 * at any alignment and on any host the tests run on.
 */
#ifndef VMXPROBE_LIB_LE_H
#define VMXPROBE_LIB_LE_H

#include <stdint.h>

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

#endif
