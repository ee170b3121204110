/* SPDX-License-Identifier: MIT */
/*
 * A small printf-style formatter for a kernel without libc.
 * Conversions: %d %i %u %x %X %p %s %c %%; flags '-' and '0'; a width (or '*');
 * a precision for %s ('.N' or '.*'); length modifiers h, hh, l, ll, z.
 * Output is always NUL-terminated when size > 0; the return value is the length
 * the whole output would have had (as C99 snprintf), so truncation is detectable.
 */
#ifndef VMXPROBE_LIB_FMT_H
#define VMXPROBE_LIB_FMT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Copy src into buf for a double-quoted log field: '"' and '\\' are escaped with
 * a backslash, bytes outside 0x20..0x7e become \xNN. Truncates on a whole escape.
 */
size_t fmt_quote(char *buf, size_t size, const char *src);

/* The same; true when all of src fit (false: buf holds a shortened quote). */
bool fmt_quote_all(char *buf, size_t size, const char *src);

/* A log line built piece by piece: appends that do not fit are cut, never overrun. */
#define FMT_LINE_MAX    480
struct fmt_line {
	char s[FMT_LINE_MAX];
	size_t n;
};
/* Append printf-style text. */
void fmt_line_add(struct fmt_line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append ` key="<text quoted as fmt_quote() does>"` (nothing when text is NULL). */
void fmt_line_quoted(struct fmt_line *l, const char *key, const char *text);

#endif
