/* SPDX-License-Identifier: MIT */
/* Bump allocator: see bump.h. */
#include "lib/bump.h"

#include <stdbool.h>

void bump_init(struct bump *b, void *start, size_t size)
{
	b->start = (uintptr_t)start;
	b->end = b->start + size;
	__atomic_store_n(&b->next, b->start, __ATOMIC_RELAXED);
}

void *bump_alloc(struct bump *b, size_t size, size_t align)
{
	uintptr_t cur = __atomic_load_n(&b->next, __ATOMIC_RELAXED);

	if (!align || (align & (align - 1)))
		return 0;
	for (;;) {
		uintptr_t p = (cur + align - 1) & ~(uintptr_t)(align - 1);
		if (p < cur || p > b->end || size > b->end - p)
			return 0;       /* exhausted (or the arithmetic would wrap) */
		/* On failure cur is reloaded with the value another CPU left. */
		if (__atomic_compare_exchange_n(&b->next, &cur, p + size, false,
						__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return (void *)p;
	}
}

size_t bump_used(const struct bump *b)
{
	return __atomic_load_n(&b->next, __ATOMIC_RELAXED) - b->start;
}
