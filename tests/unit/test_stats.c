/* SPDX-License-Identifier: MIT */
/* Minimum and median: empty input, odd and even counts, and the in-place sort
 * against the C library's qsort on random samples of every size up to 4096. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "lib/stats.h"

#define MAX 4096

static uint64_t a[MAX], b[MAX];

static int cmp(const void *x, const void *y)
{
	uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
	return p < q ? -1 : p > q;
}

/* xorshift64: the same samples on every run. */
static uint64_t rnd(void)
{
	static uint64_t s = 0x9e3779b97f4a7c15ull;
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return s;
}

int main(void)
{
	/* No samples: 0, and v is not touched. */
	CHECK_EQ(stats_min(0, 0), 0);
	CHECK_EQ(stats_median(0, 0), 0);

	uint64_t one[] = { 42 };
	CHECK_EQ(stats_min(one, 1), 42);
	CHECK_EQ(stats_median(one, 1), 42);

	/* Odd count: the middle one; v ends up sorted. */
	uint64_t odd[] = { 9, 1, 7, 3, 5 };
	CHECK_EQ(stats_min(odd, 5), 1);
	CHECK_EQ(stats_median(odd, 5), 5);
	for (unsigned i = 0; i < 5; i++)
		CHECK_EQ(odd[i], 2 * i + 1);

	/* Even count: the lower middle, not an average. */
	uint64_t even[] = { 40, 10, 30, 20 };
	CHECK_EQ(stats_median(even, 4), 20);
	uint64_t two[] = { UINT64_MAX, 0 };
	CHECK_EQ(stats_min(two, 2), 0);
	CHECK_EQ(stats_median(two, 2), 0);

	/* Duplicates and extremes. */
	uint64_t dup[] = { 7, UINT64_MAX, 7, 7, 0, UINT64_MAX };
	CHECK_EQ(stats_min(dup, 6), 0);
	CHECK_EQ(stats_median(dup, 6), 7);
	uint64_t big[] = { UINT64_MAX, UINT64_MAX - 1, UINT64_MAX };
	CHECK_EQ(stats_min(big, 3), UINT64_MAX - 1);
	CHECK_EQ(stats_median(big, 3), UINT64_MAX);

	/* Only the first n count. */
	uint64_t part[] = { 5, 3, 1, 0 };
	CHECK_EQ(stats_min(part, 3), 1);
	CHECK_EQ(stats_median(part, 3), 3);
	CHECK_EQ(part[3], 0);

	/* Every size up to MAX: random (narrow and wide ranges), sorted, reversed. */
	int sorted_ok = 1, median_ok = 1, min_ok = 1;
	for (unsigned n = 1; n <= MAX; n += (n < 64 ? 1 : 61)) {
		for (unsigned kind = 0; kind < 4; kind++) {
			for (unsigned i = 0; i < n; i++) {
				uint64_t r = rnd();
				a[i] = kind == 0 ? r : kind == 1 ? r % 16 : kind == 2 ? i : n - i;
				b[i] = a[i];
			}
			qsort(b, n, sizeof(b[0]), cmp);
			min_ok &= stats_min(a, n) == b[0];
			median_ok &= stats_median(a, n) == b[(n - 1) / 2];
			sorted_ok &= memcmp(a, b, n * sizeof(a[0])) == 0;
		}
	}
	CHECK(min_ok);
	CHECK(median_ok);
	CHECK(sorted_ok);

	return check_report("test_stats");
}
