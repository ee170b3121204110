/* SPDX-License-Identifier: MIT */
/* The exception fix-up table: see extable.h. */
#include "lib/extable.h"

const struct extable_entry *extable_find(const struct extable_entry *table, size_t n,
					 uint64_t rip, unsigned vector)
{
	if (vector >= 32)
		return 0;       /* an interrupt, never an instruction's exception */
	for (size_t i = 0; i < n; i++)
		if (table[i].insn == rip)
			return (table[i].vectors >> vector & 1) ? &table[i] : 0;
	return 0;
}
