/* SPDX-License-Identifier: MIT */
/*
 * A bump allocator over a statically reserved pool: hands out aligned blocks,
 * never frees. Safe when several CPUs allocate at once (one compare-and-swap
 * loop on the cursor). Exhaustion returns 0.
 */
#ifndef VMXPROBE_LIB_BUMP_H
#define VMXPROBE_LIB_BUMP_H

#include <stddef.h>
#include <stdint.h>

struct bump {
	uintptr_t start, end;   /* the pool: [start, end) */
	uintptr_t next;         /* cursor; only touched atomically */
};

void bump_init(struct bump *b, void *start, size_t size);

/* A block of size bytes aligned to align (a power of two), or 0 when the pool is spent. */
void *bump_alloc(struct bump *b, size_t size, size_t align);

/* Bytes handed out so far (padding included). */
size_t bump_used(const struct bump *b);

#endif
