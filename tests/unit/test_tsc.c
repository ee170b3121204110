/* SPDX-License-Identifier: MIT */
/* TSC frequency from CPUID leaves 15H and 16H and from kvmclock's factors. */
#include "check.h"
#include "lib/kvm_para.h"
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
	/* kvmclock: the factors KVM's kvm_get_time_scale(NSEC_PER_SEC, khz * 1000)
	 * gives for these rates, back to the rate (less its rounding). */
	CHECK_EQ(tsc_khz_from_pvclock(3303820996u, -1), 2600000);
	CHECK_EQ(tsc_khz_from_pvclock(2863312485u, -1), 2999998);   /* 2999999 kHz */
	CHECK_EQ(tsc_khz_from_pvclock(2147483648u, 1), 1000000);
	CHECK_EQ(tsc_khz_from_pvclock(2684354560u, 2), 400000);
	CHECK_EQ(tsc_khz_from_pvclock(3435973836u, -3), 10000000);
	/* Factors no hypervisor gives: none of them is a rate. */
	CHECK_EQ(tsc_khz_from_pvclock(0, -1), 0);
	CHECK_EQ(tsc_khz_from_pvclock(3303820996u, 32), 0);
	CHECK_EQ(tsc_khz_from_pvclock(3303820996u, -32), 0);
	CHECK_EQ(tsc_khz_from_pvclock(1, -31), 0);                  /* past 64 bits */
	CHECK_EQ(tsc_khz_from_pvclock(1, 31), (1000000ull << 32) >> 31);
	/* The signature leaf's registers, "KVMKVMKVM\0\0\0", and others'. */
	CHECK(kvm_signature_is(0x4b4d564b, 0x564b4d56, 0x4d));
	CHECK(!kvm_signature_is(0x54474354, 0x43544743, 0x47435447)); /* TCGTCGTCGTCG */
	CHECK(!kvm_signature_is(0x4b4d564b, 0x564b4d56, 0x4d4d));
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
