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
	/* The rest of the matrix: fetch through R, write through X and R+X, fetch
	 * where nothing is mapped. */
	CHECK_EQ(ept_violation_qualification(4, 1, true, true), st_rule(ST_EPT_R_FETCH)->qual);
	CHECK_EQ(ept_violation_qualification(2, 4, true, true), st_rule(ST_EPT_X_WRITE)->qual);
	CHECK_EQ(ept_violation_qualification(2, 5, true, true), st_rule(ST_EPT_RX_WRITE)->qual);
	CHECK_EQ(ept_violation_qualification(4, 0, true, true), st_rule(ST_EPT_NP_FETCH)->qual);
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
	/* CR4 as CR0; CR3-target values. */
	CHECK_EQ(cr_exit_qualification(4, 0, 3), st_rule(ST_CR4_WRITE_MASKED)->qual);
	CHECK_EQ(cr_exit_qualification(3, 0, 3), st_rule(ST_CR3_TARGET_MISS)->qual);
	uint64_t targets[2] = { 0x5000, 0x7000 };
	CHECK(!cr3_write_exits(0x5000, targets, 1));
	CHECK(cr3_write_exits(0x7000, targets, 1));                     /* beyond the count */
	CHECK(!cr3_write_exits(0x7000, targets, 2));
	CHECK(cr3_write_exits(0x5000, targets, 0));                     /* count 0: always */

	/* MSR bitmaps: low, high (offsets 1024 and 3072), outside both ranges. */
	uint8_t bm[4096] = { 0 };
	bm[1024 + 0x81 / 8] |= 1u << (0x81 % 8);                        /* read high: IA32_STAR */
	bm[3072 + 0x82 / 8] |= 1u << (0x82 % 8);                        /* write high: IA32_LSTAR */
	bm[0x174 / 8] |= 1u << (0x174 % 8);                             /* read low */
	CHECK(msr_access_exits(bm, 0xc0000081, false));
	CHECK(!msr_access_exits(bm, 0xc0000081, true));
	CHECK(msr_access_exits(bm, 0xc0000082, true));
	CHECK(!msr_access_exits(bm, 0xc0000082, false));
	CHECK(!msr_access_exits(bm, 0x81, false));                      /* the low bitmap's bit 81H: 0 */
	CHECK(msr_access_exits(bm, 0x174, false));
	CHECK(!msr_access_exits(bm, 0xc0000174, false));                /* the high MSR of the same bit */
	CHECK(msr_access_exits(bm, 0x2000, false));                     /* outside both ranges */
	CHECK(msr_access_exits(bm, 0xc0002000, true));
	CHECK_EQ(st_rule(ST_MSR_BITMAP_HIGH_READ)->exit, msr_access_exits(bm, 0xc0000081, false) ? 31u : 18u);
	CHECK_EQ(st_rule(ST_MSR_BITMAP_HIGH_READ_CLEAR)->exit, msr_access_exits(bm, 0xc0000082, false) ? 31u : 18u);
	CHECK_EQ(st_rule(ST_MSR_BITMAP_HIGH_WRITE)->exit, msr_access_exits(bm, 0xc0000082, true) ? 32u : 18u);
	CHECK_EQ(st_rule(ST_MSR_BITMAP_HIGH_WRITE_CLEAR)->exit, msr_access_exits(bm, 0xc0000081, true) ? 32u : 18u);
	CHECK_EQ(st_rule(ST_MSR_OUTSIDE_READ)->exit, msr_access_exits(bm, 0x2000, false) ? 31u : 18u);
	CHECK_EQ(st_rule(ST_MSR_OUTSIDE_WRITE)->exit, msr_access_exits(bm, 0xc0002000, true) ? 32u : 18u);

	/* EPT: the topic leaves misconfigured (or not) as the rules say; A/D flags. */
	static struct ept_tables ept;
	ept_build(&ept, 0x100000, false, true, 0, 0);     /* no map: all UC */
	ept_map_permissions(&ept, 0x200000, true);
	ept_map_topics(&ept, 0x100000, 0x200000, 0x300000, 0x400000, true);
	uint64_t nonleaf = ept.misconfig_pd[(EPT_NONLEAF_RESERVED_GPA - EPT_MISCONFIG_GPA) >> 21];
	CHECK(ept_entry_misconfigured(nonleaf, 2, 39, true));
	CHECK(!ept_entry_misconfigured(nonleaf & ~0x8ull, 2, 39, true));         /* the bit is the cause */
	CHECK_EQ(nonleaf & ~0xfffull, 0x100000ull);                              /* the PML4 page */
	CHECK(ept_entry_misconfigured(ept.misconfig_pd[0], 2, 39, true));         /* write-only */
	/* The rest of the permission matrix: R+X and R+W+X fine, W+X not. */
	CHECK(!ept_entry_misconfigured(ept.misconfig_pd[(EPT_RX_GPA - EPT_MISCONFIG_GPA) >> 21], 2, 39, false));
	CHECK_EQ(ept.misconfig_pd[(EPT_RX_GPA - EPT_MISCONFIG_GPA) >> 21] & 7, 5);
	CHECK(!ept_entry_misconfigured(ept.misconfig_pd[(EPT_RWX_GPA - EPT_MISCONFIG_GPA) >> 21], 2, 39, false));
	CHECK_EQ(ept.misconfig_pd[(EPT_RWX_GPA - EPT_MISCONFIG_GPA) >> 21] & 7, 7);
	CHECK(ept_entry_misconfigured(ept.misconfig_pd[(EPT_WX_GPA - EPT_MISCONFIG_GPA) >> 21], 2, 39, true));
	CHECK_EQ(ept.misconfig_pd[(EPT_WX_GPA - EPT_MISCONFIG_GPA) >> 21] & ~0xfffull, 0x200000ull);
	/* None of them collides with a topic leaf. */
	CHECK(EPT_WX_GPA < EPT_AD_GPA(0, 0) && EPT_RX_GPA > EPT_NONLEAF_RESERVED_GPA);
	CHECK(ept_entry_misconfigured(ept.misconfig_pd[(EPT_RESERVED_BIT_GPA - EPT_MISCONFIG_GPA) >> 21], 2, 39, true));
	CHECK(ept_entry_misconfigured(ept.misconfig_pd[(EPT_BAD_MEMTYPE_GPA - EPT_MISCONFIG_GPA) >> 21], 2, 39, true));
	CHECK(!ept_entry_misconfigured(ept.misconfig_pd[(EPT_2MB_GPA - EPT_MISCONFIG_GPA) >> 21], 2, 39, true));
	CHECK_EQ(ept.misconfig_pd[(EPT_2MB_GPA - EPT_MISCONFIG_GPA) >> 21] & ~0xfffull, 0x200000ull);
	CHECK(!ept_entry_misconfigured(ept.misconfig_pd[EPT_AD_INDEX(3, 1)], 2, 39, true));
	CHECK_EQ(ept.misconfig_pd[EPT_AD_INDEX(3, 1)] & ~0xfffull, 0x400000ull);
	CHECK_EQ(EPT_AD_GPA(0, 0), EPT_MISCONFIG_GPA + ((uint64_t)EPT_AD_FIRST << 21));
	CHECK(!ept_entry_misconfigured(ept.pdpt[EPT_1GB_GPA >> 30], 3, 39, true));
	CHECK_EQ(ept.pdpt[EPT_1GB_GPA >> 30] & ~0xfffull, 0ull);
	CHECK(ept_entry_misconfigured(ept.misconfig_pd[2], 2, 39, false));        /* X only, not allowed */
	CHECK(!ept_entry_misconfigured(ept.misconfig_pd[2], 2, 39, true));
	CHECK(ept_entry_misconfigured(ept.pml4[0] | 1ull << 45, 4, 39, true));    /* beyond MAXPHYADDR */
	CHECK(!ept_entry_misconfigured(ept.pml4[0] | 1ull << 45, 4, 46, true));
	CHECK(ept_entry_misconfigured(ept.pml4[0] | 0x8, 4, 39, true));           /* bits 7:3 */
	CHECK(ept_entry_misconfigured(ept.pdpt[EPT_1GB_GPA >> 30] | 1ull << 20, 3, 39, true));
	CHECK(!ept_entry_misconfigured(0, 2, 39, false));                         /* not present */
	CHECK_EQ(ept_leaf_ad_after(false), 0x100ull);
	CHECK_EQ(ept_leaf_ad_after(true), 0x300ull);
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 18, .has_value = true,
				  .value = 0x100, .value_expected = ept_leaf_ad_after(true) };
	CHECK_EQ(st_judge(ST_EPT_DIRTY, &o), ST_FAIL);                  /* the dirty flag not set */
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 49,
				  .gpa = EPT_RESERVED_BIT_GPA };
	CHECK_EQ(st_judge(ST_EPT_MISCONFIG_RESERVED_BIT, &o), ST_PASS);
	o.exit_reason = 18;                                             /* the reserved bit ignored */
	CHECK_EQ(st_judge(ST_EPT_MISCONFIG_RESERVED_BIT, &o), ST_FAIL);
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 49,
				  .gpa = EPT_RESERVED_BIT_GPA };
	CHECK_EQ(st_judge(ST_EPT_MISCONFIG_MEMTYPE, &o), ST_FAIL);      /* the wrong address */
	/* TPR shadow: MOV to CR8 of 1 from VTPR 50H, threshold 3. */
	CHECK_EQ(vtpr_after_mov_cr8(1), 0x10u);
	CHECK_EQ(vtpr_after_mov_cr8(0x1f), 0xf0u);                      /* bits 3:0 only */
	CHECK(tpr_below_threshold(vtpr_after_mov_cr8(1), 3));
	CHECK(!tpr_below_threshold(vtpr_after_mov_cr8(3), 3));          /* equal: no exit */
	CHECK(!tpr_below_threshold(0x50, 3));                           /* the VTPR at entry */
	CHECK_EQ(st_rule(ST_TPR_BELOW_THRESHOLD)->exit, tpr_below_threshold(vtpr_after_mov_cr8(1), 3) ? 43u : 18u);
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 43, .has_value = true,
				  .value = 0x50, .value_expected = vtpr_after_mov_cr8(1) };
	CHECK_EQ(st_judge(ST_TPR_BELOW_THRESHOLD, &o), ST_FAIL);        /* VTPR not written */
	o.value = 0x10;
	CHECK_EQ(st_judge(ST_TPR_BELOW_THRESHOLD, &o), ST_PASS);
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 7, .rip_unchanged = true,
				  .has_value = true, .value = 0, .value_expected = 1 };
	CHECK_EQ(st_judge(ST_INTR_WINDOW_MOV_SS, &o), ST_FAIL);         /* MOV SS blocking ignored */
	/* Acknowledge interrupt on exit: the vector, type 0, valid. */
	CHECK_EQ(ack_exit_intr_info(0x3e), 0x8000003eu);
	CHECK_EQ(st_rule(ST_ACK_INTR_ON_EXIT)->info, ack_exit_intr_info(0x3e));
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 1, .rip_unchanged = true,
				  .info = 0 };
	CHECK_EQ(st_judge(ST_ACK_INTR_ON_EXIT, &o), ST_FAIL);           /* not acknowledged */
	o.info = ack_exit_intr_info(0x3e);
	CHECK_EQ(st_judge(ST_ACK_INTR_ON_EXIT, &o), ST_PASS);
	CHECK_EQ(st_rule(ST_EXT_INTR_EXIT_IF_CLEAR)->info, ack_exit_intr_info(0x3e));
	o = (struct st_observed){ .vector = -1, .has_exit = true, .exit_reason = 18 };
	CHECK_EQ(st_judge(ST_EXT_INTR_EXIT_IF_CLEAR, &o), ST_FAIL);     /* RFLAGS.IF 0 blocked it */
	return check_report("vmx_topics");
}
