/* SPDX-License-Identifier: MIT */
/* The topic rules' expectations (lib/vmx_topics.c), each violated once. */
#include "check.h"
#include "lib/ept.h"
#include "lib/vmx_rules.h"
#include "lib/vmx_topics.h"

int main(void)
{
	uint64_t lo, hi;
	uint8_t a[4096] = { 0 }, b[4096] = { 0 };

	preemption_timer_bounds(4096, 5, &lo, &hi);
	CHECK_EQ(lo, 4095ull << 5);
	CHECK_EQ(hi, (4096ull << 5) + (4096ull << 5) / 8 + PREEMPTION_SLACK_CYCLES);
	struct st_observed o = { .vector = -1, .has_exit = true, .exit_reason = 52,
				 .cycles = lo - 1, .cycles_min = lo, .cycles_bound = hi };
	CHECK_EQ(st_judge(ST_PREEMPTION_EXPIRES, &o), ST_FAIL);         /* too soon */
	o.cycles = hi + 1;
	CHECK_EQ(st_judge(ST_PREEMPTION_EXPIRES, &o), ST_FAIL);         /* too late */
	o.cycles = lo;
	CHECK_EQ(st_judge(ST_PREEMPTION_EXPIRES, &o), ST_PASS);
	CHECK(preemption_timer_broken(0x000106e5));                     /* Lynnfield */
	CHECK(preemption_timer_broken(0x000106e5 | 3u << 14 | 0xfu << 28));
	CHECK(!preemption_timer_broken(0x00050654));                    /* Skylake-X */

	b[0] = 1;                                                       /* port 8000H */
	CHECK(io_access_exits(a, b, 0x7fff, 2));                        /* straddles into B */
	CHECK(!io_access_exits(a, b, 0x7ffe, 2));
	CHECK(io_access_exits(a, b, 0xffff, 2));                        /* wraps around */
	CHECK(!io_access_exits(a, b, 0xfffe, 2));
	CHECK_EQ(io_exit_qualification(0x7fff, 2, false, false, false, false), 0x7fff0001ull);
	CHECK_EQ(io_exit_qualification(0x81, 1, false, true, false, false), 0x00810010ull);
	CHECK_EQ(st_rule(ST_IO_STRADDLE)->qual, io_exit_qualification(0x7fff, 2, false, false, false, false));
	CHECK_EQ(st_rule(ST_IO_WRAP)->qual, io_exit_qualification(0xffff, 2, false, false, false, false));
	CHECK_EQ(st_rule(ST_IO_OUTSB)->qual, io_exit_qualification(0x81, 1, false, true, false, false));
	CHECK_EQ(st_rule(ST_IO_BITMAP_B)->qual, io_exit_qualification(0x8081, 1, false, false, false, false));

	CHECK(!msr_load_entry_allowed(0x9e));
	CHECK(!msr_load_entry_allowed(0x808));
	CHECK(!msr_load_entry_allowed(0xc0000100));
	CHECK(!msr_load_entry_allowed(1ull << 32 | 0x176));
	CHECK(msr_load_entry_allowed(0x176));

	CHECK_EQ(cr_guest_read(0x80000031, 0x8, 0x80000039), 0x80000039ull);
	CHECK(cr_write_exits(0x80000031, 0x8, 0x80000039));
	CHECK(!cr_write_exits(0x80000039, 0x8, 0x80000039));
	CHECK_EQ(cr_exit_qualification(0, 0, 3), 0x300ull);
	CHECK_EQ(st_rule(ST_CR0_WRITE_MASKED)->qual, cr_exit_qualification(0, 0, 3));

	CHECK_EQ(ept_violation_qualification(1, 0, true, true), st_rule(ST_EPT_VIOLATION_READ)->qual);
	CHECK_EQ(ept_violation_qualification(2, 0, true, true), st_rule(ST_EPT_VIOLATION_WRITE)->qual);
	CHECK_EQ(ept_violation_qualification(2, 1, true, true), st_rule(ST_EPT_READ_ONLY_WRITE)->qual);
	CHECK_EQ(ept_violation_qualification(1, 4, true, true), st_rule(ST_EPT_EXEC_ONLY_READ)->qual);
	CHECK_EQ(ept_violation_qualification(4, 3, true, true), st_rule(ST_EPT_NO_EXEC_FETCH)->qual);
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 48, .qual = 0x181,
				  .gpa = EPT_UNMAPPED_GPA };
	CHECK_EQ(st_judge(ST_EPT_VIOLATION_READ, &o), ST_PASS);
	o.qual = 0x101;                                                 /* GLA-valid bit lost */
	CHECK_EQ(st_judge(ST_EPT_VIOLATION_READ, &o), ST_FAIL);

	CHECK_EQ(injected_frame_value(INTR_TYPE_SOFT_INTR, 2, false, 0), 2ull << 32);
	CHECK_EQ(injected_frame_value(INTR_TYPE_EXT_INTR, 2, false, 0), 0ull);
	CHECK_EQ(injected_frame_value(INTR_TYPE_HARD_EXCEPTION, 0, true, 0x1234), 0x1234ull);
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 18, .has_value = true,
				  .value = 0x1234, .value_expected = 0x1234 };
	CHECK_EQ(st_judge(ST_INJECT_EXCEPTION, &o), ST_PASS);
	o.value = 0;                                                    /* no error code pushed */
	CHECK_EQ(st_judge(ST_INJECT_EXCEPTION, &o), ST_FAIL);
	o.has_value = false;
	CHECK_EQ(st_judge(ST_INJECT_EXCEPTION, &o), ST_FAIL);
	o = (struct st_observed){ .vector = -1, .outcome = VMX_FAIL_VALID, .has_error = true, .error = 28 };
	CHECK_EQ(st_judge(ST_INVVPID_ADDRESS_NON_CANONICAL, &o), ST_PASS);
	o.outcome = VMX_FAIL_INVALID;
	CHECK_EQ(st_judge(ST_INVVPID_ADDRESS_NON_CANONICAL, &o), ST_FAIL);
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 0x80000022, .qual = 1 };
	CHECK_EQ(st_judge(ST_MSR_LOAD_SMBASE, &o), ST_FAIL);            /* the wrong index */
	o.qual = 2;
	CHECK_EQ(st_judge(ST_MSR_LOAD_SMBASE, &o), ST_PASS);
	return check_report("vmx_topics");
}
