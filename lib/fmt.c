/* SPDX-License-Identifier: MIT */
/* Formatter: see fmt.h. Pure C, compiled for the kernel and for host tests. */
#include "lib/fmt.h"

#include <stdbool.h>
#include <stdint.h>

struct out {
	char *buf;
	size_t size;
	size_t len;     /* length the output would have */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_str(struct out *o, const char *s, int prec, int width, bool left)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while ((prec < 0 || n < prec) && s[n])
		n++;
	if (!left)
		pad(o, ' ', width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (left)
		pad(o, ' ', width - n);
}

static void put_num(struct out *o, uint64_t v, bool neg, unsigned base, bool upper,
		    int width, bool left, bool zero, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		plen++;
	for (const char *q = prefix; q && *q; q++)
		plen++;
	int fill = width - n - plen;
	if (!left && !zero)
		pad(o, ' ', fill);
	if (neg)
		put(o, '-');
	for (const char *p = prefix; p && *p; p++)
		put(o, *p);
	if (!left && zero)
		pad(o, '0', fill);
	while (n)
		put(o, tmp[--n]);
	if (left)
		pad(o, ' ', fill);
}

/* One conversion specification: %[flags][width][.precision][length]conversion. */
struct spec {
	bool left, zero;
	int width, prec;        /* prec -1: none */
	int lng;                /* 0 int, 1 long, 2 long long, 3 size_t */
	char conv;
};

static int digits(const char **pp)
{
	int n = 0;

	while (**pp >= '0' && **pp <= '9')
		n = n * 10 + (*(*pp)++ - '0');
	return n;
}

/* Parse the specification after a '%'; *pp ends on the conversion letter. */
static struct spec parse_spec(const char **pp, va_list *ap)
{
	struct spec s = { false, false, 0, -1, 0, 0 };
	const char *p = *pp;

	for (;; p++) {
		if (*p == '-')
			s.left = true;
		else if (*p == '0')
			s.zero = true;
		else
			break;
	}
	if (*p == '*') {
		s.width = va_arg(*ap, int);
		if (s.width < 0) {
			s.left = true;
			s.width = -s.width;
		}
		p++;
	} else {
		s.width = digits(&p);
	}
	if (*p == '.') {
		p++;
		if (*p == '*') {
			s.prec = va_arg(*ap, int);
			p++;
		} else {
			s.prec = digits(&p);
		}
	}
	while (*p == 'h')
		p++;    /* h and hh: the argument was promoted to int anyway */
	if (*p == 'l') {
		s.lng = *++p == 'l' ? (p++, 2) : 1;
	} else if (*p == 'z') {
		s.lng = 3;
		p++;
	}
	if (s.left)
		s.zero = false;
	s.conv = *p;
	*pp = p;
	return s;
}

static int64_t signed_arg(int lng, va_list *ap)
{
	switch (lng) {
	case 1:  return va_arg(*ap, long);
	case 2:  return va_arg(*ap, long long);
	case 3:  return (int64_t)va_arg(*ap, size_t);
	default: return va_arg(*ap, int);
	}
}

static uint64_t unsigned_arg(int lng, va_list *ap)
{
	switch (lng) {
	case 1:  return va_arg(*ap, unsigned long);
	case 2:  return va_arg(*ap, unsigned long long);
	case 3:  return va_arg(*ap, size_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static void convert(struct out *o, const struct spec *s, va_list *ap)
{
	switch (s->conv) {
	case 'd':
	case 'i': {
		int64_t v = signed_arg(s->lng, ap);
		uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		put_num(o, mag, v < 0, 10, false, s->width, s->left, s->zero, 0);
		break;
	}
	case 'u':
	case 'x':
	case 'X':
		put_num(o, unsigned_arg(s->lng, ap), false, s->conv == 'u' ? 10 : 16, s->conv == 'X',
			s->width, s->left, s->zero, 0);
		break;
	case 'p':
		put_num(o, (uint64_t)(uintptr_t)va_arg(*ap, void *), false, 16, false, s->width,
			s->left, s->zero, "0x");
		break;
	case 's':
		put_str(o, va_arg(*ap, const char *), s->prec, s->width, s->left);
		break;
	case 'c': {
		char c = (char)va_arg(*ap, int);
		if (!s->left)
			pad(o, ' ', s->width - 1);
		put(o, c);
		if (s->left)
			pad(o, ' ', s->width - 1);
		break;
	}
	case '%':
		put(o, '%');
		break;
	default:        /* unknown conversion: print it as is */
		put(o, '%');
		put(o, s->conv);
		break;
	}
}

size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list aq;

	va_copy(aq, ap);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		p++;
		struct spec s = parse_spec(&p, &aq);
		if (s.conv == '\0') {
			put(&o, '%');   /* a lone '%' at the end: print it, stop */
			break;
		}
		convert(&o, &s, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

size_t fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	size_t n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static size_t quote(char *buf, size_t size, const char **srcp)
{
	static const char hex[] = "0123456789abcdef";
	const char *src = *srcp;
	size_t n = 0;

	if (!size)
		return 0;
	for (; *src; src++) {
		unsigned char c = (unsigned char)*src;
		char esc[4];
		size_t k = 0;

		if (c == '"' || c == '\\') {
			esc[k++] = '\\';
			esc[k++] = (char)c;
		} else if (c < 0x20 || c > 0x7e) {
			esc[k++] = '\\';
			esc[k++] = 'x';
			esc[k++] = hex[c >> 4];
			esc[k++] = hex[c & 15];
		} else {
			esc[k++] = (char)c;
		}
		if (n + k + 1 > size)
			break;
		for (size_t i = 0; i < k; i++)
			buf[n++] = esc[i];
	}
	buf[n] = '\0';
	*srcp = src;
	return n;
}

size_t fmt_quote(char *buf, size_t size, const char *src)
{
	return quote(buf, size, &src);
}

bool fmt_quote_all(char *buf, size_t size, const char *src)
{
	quote(buf, size, &src);
	return size && !*src;
}

void fmt_line_add(struct fmt_line *l, const char *fmt, ...)
{
	va_list ap;

	if (l->n >= sizeof(l->s) - 1)
		return;
	va_start(ap, fmt);
	size_t k = fmt_vsnprintf(l->s + l->n, sizeof(l->s) - l->n, fmt, ap);
	va_end(ap);
	l->n += k < sizeof(l->s) - l->n ? k : sizeof(l->s) - l->n - 1;
}

void fmt_line_quoted(struct fmt_line *l, const char *key, const char *text)
{
	char q[FMT_LINE_MAX / 2];

	if (!text)
		return;
	fmt_quote(q, sizeof(q), text);
	fmt_line_add(l, " %s=\"%s\"", key, q);
}
