/* SPDX-License-Identifier: MIT */
/* The formatter against the host's snprintf, and its own edge cases. */
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "lib/fmt.h"

#define SAME(...)                                                               \
	do {                                                                    \
		char a_[128], b_[128];                                          \
		size_t n_ = fmt_snprintf(a_, sizeof(a_), __VA_ARGS__);          \
		int m_ = snprintf(b_, sizeof(b_), __VA_ARGS__);                 \
		CHECK_STR(a_, b_);                                              \
		CHECK_EQ(n_, m_);                                               \
	} while (0)

/* Deliberately odd formats, passed through a variable so the compiler's format
 * checker does not reject the test itself. */
static const char *odd_unknown = "a%qb", *odd_trailing = "100%";
static const char *volatile odd_null_arg;

int main(void)
{
	SAME("plain text");
	SAME("%d %d %d", 0, -1, 2147483647);
	SAME("%d", (int)-2147483647 - 1);
	SAME("%u %x %X", 4294967295u, 0xdeadbeefu, 0xabcdefu);
	SAME("%lu %lx", 18446744073709551615ul, 0xfedcba9876543210ul);
	SAME("%ld", (long)INT64_MIN);
	SAME("%lld %llx", -5ll, 0x1234567890ull);
	SAME("%zu", (size_t)12345);
	SAME("[%5d] [%-5d] [%05d] [%05x]", 42, 42, 42, 0x2a);
	SAME("[%016lx]", 0x1000ul);
	SAME("[%-8s] [%8s] [%.3s] [%.*s]", "ab", "cd", "abcdef", 2, "xyz");
	SAME("[%c] [%3c] [%-3c]", 'a', 'b', 'c');
	SAME("%%d %s", "x");
	SAME("[%*d] [%-*d]", 4, 7, 4, 7);
	SAME("[%hhu] [%hu]", 200, 60000);
	SAME("%05d", -42);

	/* %p: 0x and lowercase hex (the host's glibc agrees for non-null pointers). */
	char buf[64];
	fmt_snprintf(buf, sizeof(buf), "%p", (void *)0x1000);
	CHECK_STR(buf, "0x1000");
	fmt_snprintf(buf, sizeof(buf), "%p", (void *)0);
	CHECK_STR(buf, "0x0");

	/* NULL string. */
	fmt_snprintf(buf, sizeof(buf), "%s", odd_null_arg);
	CHECK_STR(buf, "(null)");

	/* Truncation: NUL-terminated, returns the full length. */
	char small[6];
	CHECK_EQ(fmt_snprintf(small, sizeof(small), "%s", "hello world"), 11);
	CHECK_STR(small, "hello");
	CHECK_EQ(fmt_snprintf(small, 1, "abc"), 3);
	CHECK_STR(small, "");
	CHECK_EQ(fmt_snprintf(0, 0, "%d", 12345), 5);

	/* Unknown conversion and a lone trailing '%' are printed, not misread. */
	fmt_snprintf(buf, sizeof(buf), odd_unknown);
	CHECK_STR(buf, "a%qb");
	fmt_snprintf(buf, sizeof(buf), odd_trailing);
	CHECK_STR(buf, "100%");

	/* fmt_quote: quotes, backslashes, control bytes, truncation on a whole escape. */
	fmt_quote(buf, sizeof(buf), "a \"b\" c\\d\te\x80");
	CHECK_STR(buf, "a \\\"b\\\" c\\\\d\\x09e\\x80");
	char q[6];
	CHECK_EQ(fmt_quote(q, sizeof(q), "ab\x01"), 2);
	CHECK_STR(q, "ab");
	CHECK_EQ(fmt_quote(q, 0, "x"), 0);
	/* fmt_quote_all: says whether the whole source fit. */
	CHECK(fmt_quote_all(q, sizeof(q), "ab"));
	CHECK(!fmt_quote_all(q, 3, "abc"));
	CHECK_STR(q, "ab");
	CHECK(!fmt_quote_all(q, 4, "a\x01"));          /* the escape does not fit whole */
	CHECK_STR(q, "a");
	CHECK(fmt_quote_all(q, 6, "a\x01"));
	CHECK(fmt_quote_all(q, 1, ""));
	CHECK(!fmt_quote_all(q, 0, ""));
	/* The line builder: pieces appended; quoted fields escaped; never overrun. */
	struct fmt_line l = { "", 0 };
	fmt_line_add(&l, "vmx: cpu=%u", 3u);
	fmt_line_add(&l, " error=%d", 7);
	fmt_line_quoted(&l, "detail", "a \"b\"");
	fmt_line_quoted(&l, "name", 0);
	CHECK_STR(l.s, "vmx: cpu=3 error=7 detail=\"a \\\"b\\\"\"");
	CHECK_EQ(l.n, strlen(l.s));
	for (int k = 0; k < 100; k++)
		fmt_line_add(&l, " %s", "0123456789");
	CHECK_EQ(l.n, FMT_LINE_MAX - 1);
	CHECK_EQ(strlen(l.s), FMT_LINE_MAX - 1);
	fmt_line_add(&l, "more");
	CHECK_EQ(l.n, FMT_LINE_MAX - 1);
	return check_report("fmt");
}
