/* SPDX-License-Identifier: MIT */
/* The APIC-virtualization and VMCS-shadowing rules' expectations (lib/vmx_apicv.c),
 * each violated once, and the rules' table (lib/vmx_rules.c) held to them. */
#include "check.h"
#include "lib/vmcs.h"
#include "lib/vmx_apicv.h"
#include "lib/vmx_rules.h"

int main(void)
{
	/* Reads: only VTPR without APIC-register virtualization; with it, the
	 * SDM's list, which has neither PPR nor the current count. */
	CHECK(apic_read_virtualized(APIC_TASKPRI, 4, false));
	CHECK(apic_read_virtualized(APIC_TASKPRI + 1, 1, false));
	CHECK(!apic_read_virtualized(APIC_ID, 4, false));
	CHECK(apic_read_virtualized(APIC_ID, 4, true));
	CHECK(!apic_read_virtualized(APIC_PROCPRI, 4, true));
	CHECK(!apic_read_virtualized(0x390, 4, true));                  /* current count */
	CHECK(apic_read_virtualized(APIC_ISR + 0x70, 4, true));
	CHECK(apic_read_virtualized(APIC_IRR + 0x70, 4, true));
	CHECK(apic_read_virtualized(0x280, 4, true));                   /* ESR, after the IRR */
	CHECK(!apic_read_virtualized(0x290, 4, true));                  /* not a register */
	CHECK(!apic_read_virtualized(APIC_TASKPRI, 8, false));          /* more than 32 bits */
	CHECK(!apic_read_virtualized(APIC_TASKPRI + 2, 4, false));      /* past the low 4 bytes */
	CHECK(!apic_read_virtualized(APIC_TASKPRI + 4, 4, true));
	CHECK(!apic_read_virtualized(APIC_TASKPRI, 0, true));

	/* Writes: VTPR always; EOI and ICR low with virtual-interrupt delivery;
	 * the SDM's list with APIC-register virtualization (not the version, the
	 * ISR/TMR/IRR, PPR). */
	CHECK(apic_write_virtualized(APIC_TASKPRI, 4, false, false));
	CHECK(!apic_write_virtualized(APIC_ID, 4, false, false));
	CHECK(!apic_write_virtualized(APIC_EOI, 4, false, false));
	CHECK(apic_write_virtualized(APIC_EOI, 4, false, true));
	CHECK(apic_write_virtualized(0x300, 4, false, true));
	CHECK(!apic_write_virtualized(0x310, 4, false, true));
	CHECK(apic_write_virtualized(APIC_SPIV, 4, true, false));
	CHECK(!apic_write_virtualized(0x030, 4, true, true));
	CHECK(!apic_write_virtualized(APIC_ISR, 4, true, true));
	CHECK(!apic_write_virtualized(APIC_PROCPRI, 4, true, true));
	CHECK(!apic_write_virtualized(APIC_SPIV, 8, true, true));
	CHECK_EQ(apic_write_emulation(APIC_TASKPRI, false), APIC_EMUL_TPR);
	CHECK_EQ(apic_write_emulation(APIC_EOI, true), APIC_EMUL_EOI);
	CHECK_EQ(apic_write_emulation(APIC_EOI, false), APIC_EMUL_EXIT);
	CHECK_EQ(apic_write_emulation(0x300, true), APIC_EMUL_ICR_LOW);
	CHECK_EQ(apic_write_emulation(0x310, true), APIC_EMUL_NONE);
	CHECK_EQ(apic_write_emulation(APIC_SPIV, true), APIC_EMUL_EXIT);
	CHECK_EQ(apic_access_qualification(APIC_ID, APIC_ACCESS_LINEAR_READ), 0x020u);
	CHECK_EQ(apic_access_qualification(0x1020, APIC_ACCESS_LINEAR_WRITE), 0x1020u);  /* offset 11:0 */
	CHECK_EQ(vtpr_after_apic_write(0x12345620), 0x20u);

	/* The rules say what these say. */
	CHECK(!apic_read_virtualized(APIC_ID, 4, false));
	CHECK_EQ(st_rule(ST_APIC_ACCESS_READ_EXIT)->exit, EXIT_REASON_APIC_ACCESS);
	CHECK_EQ(st_rule(ST_APIC_ACCESS_READ_EXIT)->qual,
		 apic_access_qualification(APIC_ID, APIC_ACCESS_LINEAR_READ));
	CHECK(!apic_write_virtualized(APIC_ID, 4, false, false));
	CHECK_EQ(st_rule(ST_APIC_ACCESS_WRITE_EXIT)->qual,
		 apic_access_qualification(APIC_ID, APIC_ACCESS_LINEAR_WRITE));
	CHECK_EQ(st_rule(ST_APIC_ACCESS_VTPR_READ)->exit, EXIT_REASON_VMCALL);
	CHECK(apic_write_virtualized(APIC_TASKPRI, 4, false, false));
	CHECK_EQ(st_rule(ST_APIC_ACCESS_VTPR_WRITE)->exit, EXIT_REASON_TPR_BELOW_THRESHOLD);
	CHECK(apic_read_virtualized(APIC_ID, 4, true));
	CHECK_EQ(st_rule(ST_APIC_REG_VIRT_READ)->exit, EXIT_REASON_VMCALL);
	CHECK(!apic_read_virtualized(APIC_PROCPRI, 4, true));
	CHECK_EQ(st_rule(ST_APIC_REG_VIRT_PPR_EXIT)->qual,
		 apic_access_qualification(APIC_PROCPRI, APIC_ACCESS_LINEAR_READ));
	CHECK(apic_write_virtualized(APIC_SPIV, 4, true, false));
	CHECK_EQ(apic_write_emulation(APIC_SPIV, false), APIC_EMUL_EXIT);
	CHECK_EQ(st_rule(ST_APIC_WRITE_EXIT)->exit, EXIT_REASON_APIC_WRITE);
	CHECK_EQ(st_rule(ST_APIC_WRITE_EXIT)->qual, (uint64_t)APIC_SPIV);

	/* PPR virtualization, delivery, EOI virtualization. */
	CHECK_EQ(vppr_virtualized(0x50, 0x41), 0x50u);
	CHECK_EQ(vppr_virtualized(0x20, 0x41), 0x40u);
	CHECK_EQ(vppr_virtualized(0x47, 0x41), 0x47u);                  /* equal classes: VTPR */
	uint32_t reg[8] = { 0 };
	reg[0x41 / 32] |= 1u << (0x41 % 32);
	reg[0x35 / 32] |= 1u << (0x35 % 32);
	CHECK_EQ(intr_status_after_delivery(0x0041, 0, reg), 0x4135u);
	CHECK_EQ(intr_status_after_delivery(0x0041, 0x40, reg), 0x0041u);       /* VPPR class 4: held */
	CHECK_EQ(intr_status_after_delivery(0x4041, 0, reg), 0x4041u);  /* SVI 40H: VPPR 40H */
	CHECK_EQ(intr_status_after_delivery(0x0041, 0x30, reg), 0x4135u);
	uint32_t one[8] = { 0 };
	one[2] = 1u << 1;                                               /* 41H alone */
	CHECK_EQ(intr_status_after_delivery(0x0041, 0, one), 0x4100u);
	reg[0x35 / 32] = 0;
	reg[0x31 / 32] |= 1u << (0x31 % 32);
	CHECK_EQ(intr_status_after_eoi(0x4100, reg), 0x3100u);
	CHECK_EQ(intr_status_after_eoi(0x4107, reg), 0x3107u);          /* RVI kept */
	CHECK_EQ(intr_status_after_eoi(0x4100, one), 0x0000u);
	uint64_t eoi[4] = { 0, 1ull << 1, 0, 0 };
	CHECK(eoi_exits(eoi, 0x41));
	CHECK(!eoi_exits(eoi, 0x01));
	CHECK(!eoi_exits(eoi, 0x40));
	CHECK_EQ(st_rule(ST_VID_EOI_EXIT)->exit, EXIT_REASON_EOI_INDUCED);
	CHECK_EQ(st_rule(ST_VID_EOI_EXIT)->qual, 0x41u);

	/* VMCS shadowing. */
	uint8_t bitmap[4096] = { 0 };
	bitmap[GUEST_RIP / 8] |= 1u << (GUEST_RIP % 8);
	CHECK(vmcs_shadow_access_exits(bitmap, GUEST_RIP));
	CHECK(!vmcs_shadow_access_exits(bitmap, GUEST_RSP));
	CHECK(vmcs_shadow_access_exits(bitmap, GUEST_RSP | 1ull << 15));        /* bits 63:15 */
	CHECK(vmcs_shadow_access_exits(bitmap, 1ull << 32));
	CHECK_EQ(st_rule(ST_SHADOW_VMWRITE_EXIT)->exit, EXIT_REASON_VMWRITE);

	/* A value rule judges its value. */
	struct st_observed o = { .vector = -1, .has_exit = true, .exit_reason = 45, .qual = 0x41,
				 .has_value = true, .value = 0x4100, .value_expected = 0x3100 };
	CHECK_EQ(st_judge(ST_VID_EOI_EXIT, &o), ST_FAIL);
	o.value = 0x3100;
	CHECK_EQ(st_judge(ST_VID_EOI_EXIT, &o), ST_PASS);
	o.qual = 0x31;
	CHECK_EQ(st_judge(ST_VID_EOI_EXIT, &o), ST_FAIL);
	/* Posted-interrupt processing (kernel/vmx_apicv.c): PIR 41H merged into an
	 * empty VIRR, RVI 41H, then delivered: SVI 41H, RVI 0 (value 4100H). */
	{
		uint32_t virr[8] = { 0 };
		virr[0x41 / 32] = 1u << (0x41 % 32);
		CHECK_EQ(intr_status_after_delivery(0x41, 0, virr), 0x4100);
		CHECK_EQ(intr_status_after_delivery(0x41, 0x50, virr), 0x41);  /* VTPR above: held */
	}

	return check_report("vmx_apicv");
}
