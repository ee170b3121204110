/* SPDX-License-Identifier: MIT */
/*
 * Minimal host unit-test helpers. Each test binary prints one line per failed
 * check and ends with "<name>: N passed, N failed"; it exits 1 on any failure.
 */
#ifndef VMXPROBE_TESTS_CHECK_H
#define VMXPROBE_TESTS_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                             \
	do {                                                                    \
		if (cond) {                                                     \
			check_passed++;                                         \
		} else {                                                        \
			check_failed++;                                         \
			printf("  FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		}                                                               \
	} while (0)

#define CHECK_STR(got, want)                                                    \
	do {                                                                    \
		const char *g_ = (got), *w_ = (want);                           \
		if (strcmp(g_, w_) == 0) {                                      \
			check_passed++;                                         \
		} else {                                                        \
			check_failed++;                                         \
			printf("  FAIL %s:%d: got \"%s\", want \"%s\"\n",      \
			       __FILE__, __LINE__, g_, w_);                     \
		}                                                               \
	} while (0)

#define CHECK_EQ(got, want)                                                     \
	do {                                                                    \
		unsigned long long g_ = (unsigned long long)(got);              \
		unsigned long long w_ = (unsigned long long)(want);             \
		if (g_ == w_) {                                                 \
			check_passed++;                                         \
		} else {                                                        \
			check_failed++;                                         \
			printf("  FAIL %s:%d: %s = %llu (0x%llx), want %llu (0x%llx)\n", \
			       __FILE__, __LINE__, #got, g_, g_, w_, w_);       \
		}                                                               \
	} while (0)

static inline int check_report(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
