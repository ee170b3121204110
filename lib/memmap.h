/* SPDX-License-Identifier: MIT */
/*
 * Does a range of physical memory lie in available RAM? The memory map is the one
 * the loader handed over (Multiboot2 "Memory map" tag, type 1 = available RAM;
 * the PVH start info's memory map, converted to the same types: lib/pvh.h). A
 * byte is usable only where an available entry covers it and no other entry
 * does: where a firmware's entries overlap, the stricter type wins.
 */
#ifndef VMXPROBE_LIB_MEMMAP_H
#define VMXPROBE_LIB_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/mb2.h"

/* The first stretch of a range that is not available RAM. */
struct memmap_hole {
	uint64_t start, end;    /* [start, end): inside the range checked */
	uint32_t type;          /* the entry's type there; 0: no entry describes it */
};

/*
 * True when every byte of [start, end) is available RAM in the n entries of map;
 * else false, with *hole the first stretch that is not (the part of it inside
 * [start, end), of one type). An empty range (end <= start) is true.
 */
bool memmap_range_available(const struct mb2_mmap_entry *map, unsigned n, uint64_t start,
			    uint64_t end, struct memmap_hole *hole);

/* A memory map type's name in the log: "available", "reserved", "acpi", "nvs",
 * "bad" or "other". */
const char *memmap_type_str(uint32_t type);

#endif
