/* TSC frequency from CPUID leaves 15H and 16H. */
#include "check.h"
#include "lib/tsc.h"

int main(void)
{
	/* A 24 MHz crystal with ratio 188/2: 2.256 GHz. */
	CHECK_EQ(tsc_khz_from_leaf15(2, 188, 24000000), 2256000);
	/* A 38.4 MHz crystal (some client parts), ratio 78/1. */
	CHECK_EQ(tsc_khz_from_leaf15(1, 78, 38400000), 2995200);
	/* Not enumerated: any of the three is 0. */
	CHECK_EQ(tsc_khz_from_leaf15(0, 188, 24000000), 0);
	CHECK_EQ(tsc_khz_from_leaf15(2, 0, 24000000), 0);
	CHECK_EQ(tsc_khz_from_leaf15(2, 188, 0), 0);
	/* No overflow with large values. */
	CHECK_EQ(tsc_khz_from_leaf15(1, 0xffffffff, 0xffffffff), 0xffffffffull * 0xffffffffull / 1000);
	CHECK_EQ(tsc_khz_from_leaf16(3000), 3000000);
	CHECK_EQ(tsc_khz_from_leaf16(0xabcd0bb8), 3000000);     /* only bits 15:0 */
	CHECK_EQ(tsc_khz_from_leaf16(0), 0);
	/* Agreement between two sources. */
	CHECK(tsc_khz_agree(2600000, 2600000, 10));
	CHECK(tsc_khz_agree(2600000, 2400000, 10));
	CHECK(!tsc_khz_agree(2600000, 2300000, 10));
	CHECK(!tsc_khz_agree(2600608, 4035, 10));        /* a PIT that never counted */
	CHECK(!tsc_khz_agree(0, 0, 10));
	CHECK(!tsc_khz_agree(1000, 0, 10));
	CHECK(tsc_khz_agree(9999, 10001, 1));
	return check_report("tsc");
}
