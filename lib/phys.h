/* SPDX-License-Identifier: MIT */
/*
 * Reaching physical memory from lib/'s readers of firmware and loader
 * structures (ACPI tables, the PVH start info), which cannot map memory
 * themselves: the kernel passes its identity mapping (arch/paging.h:
 * paging_phys_map()), the host tests and fuzz targets a buffer.
 */
#ifndef VMXPROBE_LIB_PHYS_H
#define VMXPROBE_LIB_PHYS_H

#include <stdint.h>

/* A pointer to len bytes at physical address pa, or NULL where they cannot be reached. */
struct phys_map {
	const void *(*map)(void *ctx, uint64_t pa, uint32_t len);
	void *ctx;
};

#endif
