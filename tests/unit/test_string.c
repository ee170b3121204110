/* SPDX-License-Identifier: MIT */
/* The kernel's memory and string functions (named vp_memcpy and so on on the host). */
#include "check.h"
#include "lib/string.h"

int main(void)
{
	char a[32], b[32];

	vp_memset(a, 'x', sizeof(a));
	CHECK(a[0] == 'x' && a[31] == 'x');
	vp_memcpy(b, "hello", 6);
	CHECK_EQ(vp_strlen(b), 5);
	CHECK(vp_memcmp(b, "hello", 6) == 0);
	CHECK(vp_memcmp("abc", "abd", 3) < 0);
	CHECK(vp_memcmp("abd", "abc", 3) > 0);
	CHECK(vp_memcmp("\xff", "\x01", 1) > 0);        /* unsigned comparison */
	CHECK(vp_memcmp("a", "b", 0) == 0);

	/* memmove, both directions of overlap. */
	char m[] = "0123456789";
	vp_memmove(m + 2, m, 5);
	CHECK(vp_memcmp(m, "0101234789", 10) == 0);
	char n[] = "0123456789";
	vp_memmove(n, n + 3, 5);
	CHECK(vp_memcmp(n, "3456756789", 10) == 0);

	CHECK(vp_strcmp("abc", "abc") == 0);
	CHECK(vp_strcmp("abc", "abd") < 0);
	CHECK(vp_strcmp("ab", "abc") < 0);
	CHECK(vp_strcmp("b", "abc") > 0);
	CHECK(vp_strncmp("abcx", "abcy", 3) == 0);
	CHECK(vp_strncmp("abcx", "abcy", 4) < 0);
	CHECK(vp_strlen("") == 0);
	return check_report("string");
}
