/* SPDX-License-Identifier: MIT */
/*
 * The C library's memory and string functions, which the compiler may call on its
 * own in freestanding code (GCC manual, "Standards": memcpy, memmove, memset and
 * memcmp must be provided). Host tests build lib/string.c with VP_HOST_TEST, which
 * renames them so that they do not clash with the host libc.
 */
#ifndef VMXPROBE_LIB_STRING_H
#define VMXPROBE_LIB_STRING_H

#include <stddef.h>

#ifdef VP_HOST_TEST
#define VP_STR(name)    vp_##name
#else
#define VP_STR(name)    name
#endif

void *VP_STR(memcpy)(void *dst, const void *src, size_t n);
void *VP_STR(memmove)(void *dst, const void *src, size_t n);
void *VP_STR(memset)(void *dst, int c, size_t n);
int VP_STR(memcmp)(const void *a, const void *b, size_t n);
size_t VP_STR(strlen)(const char *s);
int VP_STR(strcmp)(const char *a, const char *b);
int VP_STR(strncmp)(const char *a, const char *b, size_t n);

/* Equal NUL-terminated strings: inline, so pure lib/ files need not link string.c. */
static inline int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* t[i] when i < n and t[i] is set (a table of names indexed by an enum or a
 * number), else dflt. */
static inline const char *str_table(const char *const *t, unsigned n, unsigned i,
				    const char *dflt)
{
	return i < n && t[i] ? t[i] : dflt;
}
#define STR_TABLE(t, i, dflt)   str_table((t), sizeof(t) / sizeof((t)[0]), (unsigned)(i), (dflt))

#endif
