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

size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		p++;
		bool left = false, zero = false;
		for (;; p++) {
			if (*p == '-')
				left = true;
			else if (*p == '0')
				zero = true;
			else
				break;
		}
		int width = 0;
		if (*p == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			p++;
		} else {
			while (*p >= '0' && *p <= '9')
				width = width * 10 + (*p++ - '0');
		}
		int prec = -1;
		if (*p == '.') {
			p++;
			prec = 0;
			if (*p == '*') {
				prec = va_arg(ap, int);
				p++;
			} else {
				while (*p >= '0' && *p <= '9')
					prec = prec * 10 + (*p++ - '0');
			}
		}
		int lng = 0;    /* 0 int, 1 long, 2 long long, 3 size_t */
		while (*p == 'h')
			p++;    /* h and hh: the argument was promoted to int anyway */
		if (*p == 'l') {
			lng = 1;
			p++;
			if (*p == 'l') {
				lng = 2;
				p++;
			}
		} else if (*p == 'z') {
			lng = 3;
			p++;
		}
		if (left)
			zero = false;

		switch (*p) {
		case 'd':
		case 'i': {
			int64_t v;
			if (lng == 1)
				v = va_arg(ap, long);
			else if (lng == 2)
				v = va_arg(ap, long long);
			else if (lng == 3)
				v = (int64_t)va_arg(ap, size_t);
			else
				v = va_arg(ap, int);
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
			put_num(&o, mag, v < 0, 10, false, width, left, zero, 0);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v;
			if (lng == 1)
				v = va_arg(ap, unsigned long);
			else if (lng == 2)
				v = va_arg(ap, unsigned long long);
			else if (lng == 3)
				v = va_arg(ap, size_t);
			else
				v = va_arg(ap, unsigned int);
			put_num(&o, v, false, *p == 'u' ? 10 : 16, *p == 'X', width, left,
				zero, 0);
			break;
		}
		case 'p':
			put_num(&o, (uint64_t)(uintptr_t)va_arg(ap, void *), false, 16, false,
				width, left, zero, "0x");
			break;
		case 's':
			put_str(&o, va_arg(ap, const char *), prec, width, left);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			if (!left)
				pad(&o, ' ', width - 1);
			put(&o, c);
			if (left)
				pad(&o, ' ', width - 1);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			p--;    /* a lone '%' at the end: print it, stop */
			put(&o, '%');
			break;
		default:        /* unknown conversion: print it as is */
			put(&o, '%');
			put(&o, *p);
			break;
		}
	}
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
