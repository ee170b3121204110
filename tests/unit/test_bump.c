/* SPDX-License-Identifier: MIT */
/* Bump allocator: alignment, exhaustion, and concurrent use from threads. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "lib/bump.h"

#define PAGES   64
static uint8_t pool[PAGES][4096] __attribute__((aligned(4096)));

#define THREADS 8
static struct bump shared;
static void *got[THREADS][PAGES];

static void *grab(void *arg)
{
	void **out = arg;

	for (unsigned i = 0; i < PAGES; i++)
		out[i] = bump_alloc(&shared, 4096, 4096);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
	return x < y ? -1 : x > y;
}

int main(void)
{
	struct bump b;

	/* Pages: aligned, distinct, in order, until the pool is spent. */
	bump_init(&b, pool, sizeof(pool));
	for (unsigned i = 0; i < PAGES; i++) {
		uint8_t *p = bump_alloc(&b, 4096, 4096);
		CHECK(p == pool[i]);
	}
	CHECK(bump_alloc(&b, 4096, 4096) == 0);
	CHECK(bump_alloc(&b, 1, 1) == 0);
	CHECK_EQ(bump_used(&b), sizeof(pool));

	/* Alignment padding, and a request bigger than what is left. */
	bump_init(&b, pool, sizeof(pool));
	CHECK(bump_alloc(&b, 10, 1) == pool[0]);
	CHECK(bump_alloc(&b, 4096, 4096) == pool[1]);
	CHECK(bump_alloc(&b, 8, 8) == pool[2]);
	CHECK_EQ(bump_used(&b), 2 * 4096 + 8);
	CHECK(bump_alloc(&b, sizeof(pool), 4096) == 0);
	CHECK_EQ(bump_used(&b), 2 * 4096 + 8);          /* a failed request takes nothing */
	CHECK(bump_alloc(&b, 16, 3) == 0);              /* alignment not a power of two */
	CHECK(bump_alloc(&b, 16, 0) == 0);
	CHECK(bump_alloc(&b, SIZE_MAX, 1) == 0);        /* no wrap-around */

	/* A pool that does not start page-aligned still yields aligned pages. */
	bump_init(&b, (uint8_t *)pool + 100, sizeof(pool) - 100);
	CHECK(bump_alloc(&b, 4096, 4096) == pool[1]);
	bump_init(&b, pool, 0);
	CHECK(bump_alloc(&b, 1, 1) == 0);

	/* Concurrent: 8 threads x 64 requests on a 64-page pool. Exactly 64 succeed,
	 * all distinct; the rest get 0. */
	bump_init(&shared, pool, sizeof(pool));
	pthread_t t[THREADS];
	for (unsigned i = 0; i < THREADS; i++)
		pthread_create(&t[i], 0, grab, got[i]);
	for (unsigned i = 0; i < THREADS; i++)
		pthread_join(t[i], 0);
	uintptr_t all[THREADS * PAGES] = { 0 };
	unsigned n = 0;
	for (unsigned i = 0; i < THREADS; i++)
		for (unsigned k = 0; k < PAGES; k++)
			if (got[i][k])
				all[n++] = (uintptr_t)got[i][k];
	CHECK_EQ(n, PAGES);
	qsort(all, n, sizeof(all[0]), cmp);
	for (unsigned i = 0; i < n; i++)
		CHECK(all[i] == (uintptr_t)pool[i]);
	CHECK_EQ(bump_used(&shared), sizeof(pool));
	return check_report("bump");
}
