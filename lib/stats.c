/* SPDX-License-Identifier: MIT */
/* Minimum and median: see stats.h. */
#include "lib/stats.h"

uint64_t stats_min(const uint64_t *v, unsigned n)
{
	uint64_t min;

	if (!n)
		return 0;
	min = v[0];
	for (unsigned i = 1; i < n; i++)
		if (v[i] < min)
			min = v[i];
	return min;
}

/*
 * Shell sort with Ciura's gaps (extended by x2.25 past 701): in place, no
 * recursion and no allocation, fast enough for the few thousand samples a
 * measurement takes. Knuth, TAOCP Vol. 3, 5.2.1 "Diminishing increment sort".
 */
static void sort(uint64_t *v, unsigned n)
{
	static const unsigned gaps[] = { 1, 4, 10, 23, 57, 132, 301, 701, 1577, 3548, 7983,
					 17961, 40412, 90927, 204585, 460316, 1035711 };
	unsigned k = sizeof(gaps) / sizeof(gaps[0]);

	while (k--) {
		unsigned gap = gaps[k];
		if (gap >= n)
			continue;
		for (unsigned i = gap; i < n; i++) {
			uint64_t x = v[i];
			unsigned j = i;
			for (; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
	}
}

uint64_t stats_median(uint64_t *v, unsigned n)
{
	if (!n)
		return 0;
	sort(v, n);
	return v[(n - 1) / 2];
}
