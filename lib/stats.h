/* SPDX-License-Identifier: MIT */
/*
 * Small statistics over samples (TSC deltas, say), pure: the minimum and the
 * median. Both give 0 for no samples.
 */
#ifndef VMXPROBE_LIB_STATS_H
#define VMXPROBE_LIB_STATS_H

#include <stdint.h>

/* The smallest of v[0..n-1]. */
uint64_t stats_min(const uint64_t *v, unsigned n);

/* The median of v[0..n-1]; sorts v in place (ascending). For an even n, the
 * lower of the two middle values: v[(n - 1) / 2] once sorted, always a sample. */
uint64_t stats_median(uint64_t *v, unsigned n);

#endif
