/* SPDX-License-Identifier: MIT */
#include "lib/memmap.h"

/* The entry's end, saturated: a length that runs past 2^64 ends there. */
static uint64_t entry_end(const struct mb2_mmap_entry *e)
{
	return e->addr + e->len < e->addr ? UINT64_MAX : e->addr + e->len;
}

static bool covers(const struct mb2_mmap_entry *e, uint64_t at)
{
	return e->len && e->addr <= at && at < entry_end(e);
}

bool memmap_range_available(const struct mb2_mmap_entry *map, unsigned n, uint64_t start,
			    uint64_t end, struct memmap_hole *hole)
{
	uint64_t at = start;

	/* Each turn moves `at` to an entry's start or end past it: at most 2n + 1 turns. */
	while (at < end) {
		const struct mb2_mmap_entry *other = 0;
		uint64_t avail_end = 0, next = end;

		for (unsigned i = 0; i < n; i++) {
			const struct mb2_mmap_entry *e = &map[i];
			if (covers(e, at)) {
				if (e->type != MB2_MEMORY_AVAILABLE)
					other = other ? other : e;
				else if (entry_end(e) > avail_end)
					avail_end = entry_end(e);
			} else if (e->len && e->addr > at && e->addr < next) {
				next = e->addr;         /* the nearest entry that starts after at */
			}
		}
		if (other || !avail_end) {
			hole->start = at;
			hole->type = other ? other->type : 0;
			hole->end = other ? entry_end(other) : next;
			if (hole->end > end)
				hole->end = end;
			return false;
		}
		/* Available up to the end of the available entry, or to where another
		 * entry starts inside it (which may be of another type). */
		at = avail_end < next ? avail_end : next;
	}
	return true;
}

const char *memmap_type_str(uint32_t type)
{
	switch (type) {
	case MB2_MEMORY_AVAILABLE: return "available";
	case MB2_MEMORY_RESERVED:  return "reserved";
	case MB2_MEMORY_ACPI:      return "acpi";
	case MB2_MEMORY_NVS:       return "nvs";
	case MB2_MEMORY_BADRAM:    return "bad";
	}
	return "other";
}
