/* SPDX-License-Identifier: MIT */
/*
 * The VM-entry checks asked of the CPU: see vmcs_entry_rules.h. Each rule
 * breaks one field of the guest's valid VMCS (or the least that makes one
 * check, and only that one, fail: a control it depends on, a segment made
 * usable) and names the checker's words for the check. The sentences are the
 * SDM's (Vol. 3C, "VM Entries"); KVM's nested_vmx_check_controls(),
 * nested_vmx_check_host_state(), nested_vmx_check_guest_state() and
 * kvm-unit-tests' x86/vmx_tests.c (test_vmx_vmlaunch(), test_guest_state())
 * were read to cross-check which failure each check gives, not copied.
 */
#include "lib/vmcs_entry_rules.h"

#include <stddef.h>

#include "lib/msr-index.h"
#include "lib/processor-flags.h"
#include "lib/string.h"
#include "lib/vmx.h"

/* Not canonical for 48- and 57-bit linear addresses alike. */
#define NONCANON        0x8000000000000000ull
#define CR4_PCIDE       BIT(17)
#define RFLAGS_VM       BIT(17)
#define RFLAGS_IF       BIT(9)
#define EFER_RESERVED   BIT(9)
#define AR_LDT          0x0082          /* LDT (type 2), present */
#define AR_V86          0x00f3
#define V86_SEL         0x0100          /* base 1000H */

/* How a rule breaks the VMCS (entry_rule.kind). */
enum kind {
	K_CTL_MUST1, K_CTL_MUST0, K_CR3_COUNT, K_VNMI_NO_NMI, K_NMIWIN_NO_VNMI, K_UG_NO_EPT,
	K_PROC2_NO_TPR, K_POSTED_NO_VID, K_IO_A_LOW, K_IO_A_HIGH, K_IO_B_LOW, K_IO_B_HIGH,
	K_MSR_LOW, K_MSR_HIGH, K_VPID_ZERO, K_EPTP_TYPE, K_EPTP_WALK, K_EPTP_AD, K_EPTP_RSVD,
	K_EPTP_HIGH, K_SAVE_TIMER, K_ENTRY_SMM,
	K_HOST_CR0_F0, K_HOST_CR0_F1, K_HOST_CR4_F0, K_HOST_CR4_F1, K_HOST_CR3, K_HOST_ESP,
	K_HOST_EIP, K_HOST_PAT, K_HOST_EFER_RSVD, K_HOST_EFER_LMA, K_HOST_SEL, K_HOST_CS_NULL,
	K_HOST_TR_NULL, K_HOST_BASE, K_NEEDS_32BIT_HOST, K_HOST_SIZE_0, K_HOST_PAE, K_HOST_RIP,
	K_GUEST_CR0_F0, K_GUEST_CR0_F1, K_GUEST_PG_NO_PE, K_GUEST_CR4_F0, K_GUEST_CR4_F1,
	K_IA32E_NO_PG, K_IA32E_NO_PAE, K_PCIDE_NO_IA32E, K_DR7, K_GUEST_CR3, K_GUEST_ESP,
	K_GUEST_EIP, K_GUEST_PAT, K_GUEST_EFER_RSVD, K_GUEST_EFER_LMA, K_GUEST_EFER_LME,
	K_TR_TI, K_LDTR_TI, K_SS_RPL, K_SEG_NONCANON, K_SEG_BASE_HIGH, K_V86_BASE, K_V86_LIMIT,
	K_V86_AR, K_CS_TYPE, K_CS_DPL_TYPE3, K_CS_DPL_SS, K_CS_DPL_CONFORMING, K_SS_TYPE,
	K_SS_DPL_RPL, K_SS_DPL_TYPE3, K_SEG_ACCESSED, K_SEG_READABLE, K_SEG_DPL_RPL, K_SEG_S,
	K_SEG_P, K_SEG_RSVD_11_8, K_SEG_G0, K_SEG_G1, K_SEG_RSVD_31_17, K_CS_L_DB, K_TR_UNUSABLE,
	K_TR_TYPE_IA32E, K_TR_TYPE, K_LDTR_TYPE, K_GDTR_BASE, K_IDTR_BASE, K_GDTR_LIMIT,
	K_IDTR_LIMIT, K_RIP_HIGH, K_RIP_NONCANON, K_RFLAGS_RSVD, K_RFLAGS_BIT1, K_RFLAGS_VM,
	K_ACT_RANGE, K_ACT_UNSUPPORTED, K_ACT_HLT_DPL, K_ACT_BLOCKING, K_INTR_RSVD,
	K_INTR_STI_MOVSS, K_INTR_STI_IF, K_INTR_SMI, K_PENDING_DBG, K_LINK_LOW, K_LINK_HIGH,
};

/* The control fields, as lib/vmcs_check.c indexes them. */
enum { CTL_PIN, CTL_PROC, CTL_PROC2, CTL_EXIT, CTL_ENTRY };

/* SDM subsection titles. */
#define S_EXEC  "Checks on VM-Execution Control Fields"
#define S_EXIT  "Checks on VM-Exit Control Fields"
#define S_ENTRY "Checks on VM-Entry Control Fields"
#define S_HREG  "Checks on Host Control Registers, MSRs, and SSP"
#define S_HSEG  "Checks on Host Segment and Descriptor-Table Registers"
#define S_SIZE  "Checks Related to Address-Space Size"
#define S_GREG  "Checks on Guest Control Registers, Debug Registers, and MSRs"
#define S_GSEG  "Checks on Guest Segment Registers"
#define S_GDT   "Checks on Guest Descriptor-Table Registers"
#define S_RIP   "Checks on Guest RIP, RFLAGS, and SSP"
#define S_NONREG "Checks on Guest Non-Register State"

/* A rule: its name, its SDM subsection and sentence (quoted as "<subsection>:
 * <sentence>"), the checker's words for it, how to break it. */
#define RULE(n, s, q, chk, k, a) \
	{ .name = "entry-" n, .section = s, .quote = s ": " q, .checker = { chk, 0 }, .kind = k, .arg = a }

/* The allowed 0- and 1-settings of one control field, named after the plain or the TRUE MSR. */
#define CTL_RULES(n, what, msr, tmsr, ctl, s, q)                                                \
	{ .name = "entry-" n "-must-be-1", .section = s, .quote = s ": " q,                       \
	  .checker = { what ": a bit is 0 that " msr " requires to be 1",                          \
		       what ": a bit is 0 that " tmsr " requires to be 1" },                        \
	  .kind = K_CTL_MUST1, .arg = ctl },                                                      \
	{ .name = "entry-" n "-must-be-0", .section = s, .quote = s ": " q,                       \
	  .checker = { what ": a bit is 1 that " msr " allows only as 0",                          \
		       what ": a bit is 1 that " tmsr " allows only as 0" },                        \
	  .kind = K_CTL_MUST0, .arg = ctl }

/* Host selectors and bases. */
#define HOST_SEL_RULE(n, N, i) RULE("host-" n "-selector-rpl-ti", S_HSEG, Q_HOST_SEL, \
	"host " N " selector: RPL and TI must be 0", K_HOST_SEL, i)
#define HOST_BASE_RULE(n, N, i) RULE("host-" n "-base-not-canonical", S_HSEG, Q_HOST_BASE, \
	"host " N " base: not canonical", K_HOST_BASE, i)

/* A guest-segment rule of one family, for one segment. */
#define SEG_RULE(n, N, i, fam, words, q, k) \
	RULE("guest-" n "-" fam, S_GSEG, q, "guest " N words, k, i)
#define SEG6(fam, words, q, k)                                                                  \
	SEG_RULE("es", "ES", SEG_ES, fam, words, q, k), SEG_RULE("cs", "CS", SEG_CS, fam, words, q, k), \
	SEG_RULE("ss", "SS", SEG_SS, fam, words, q, k), SEG_RULE("ds", "DS", SEG_DS, fam, words, q, k), \
	SEG_RULE("fs", "FS", SEG_FS, fam, words, q, k), SEG_RULE("gs", "GS", SEG_GS, fam, words, q, k)
#define SEG_DATA4(fam, words, q, k)                                                             \
	SEG_RULE("es", "ES", SEG_ES, fam, words, q, k), SEG_RULE("ds", "DS", SEG_DS, fam, words, q, k), \
	SEG_RULE("fs", "FS", SEG_FS, fam, words, q, k), SEG_RULE("gs", "GS", SEG_GS, fam, words, q, k)
#define SEG8(fam, words, q, k) SEG6(fam, words, q, k),                                          \
	SEG_RULE("ldtr", "LDTR", SEG_LDTR, fam, words, q, k), SEG_RULE("tr", "TR", SEG_TR, fam, words, q, k)

/* The SDM's sentences. */
#define Q_CTL(f) "Reserved bits in the " f " must be set properly. Software may consult the VMX " \
	"capability MSRs to determine the proper settings"
#define Q_HOST_SEL "In the selector field for each of CS, SS, DS, ES, FS, GS and TR, the RPL " \
	"(bits 1:0) and the TI flag (bit 2) must be 0"
#define Q_HOST_BASE "On processors that support Intel 64 architecture, the base-address fields " \
	"for FS, GS, GDTR, IDTR, and TR must contain canonical addresses"
#define Q_CR_FIXED(who, cr) "The " cr " field must not set any bit to a value not supported in " \
	"VMX operation (" who "; IA32_VMX_" cr "_FIXED0 and IA32_VMX_" cr "_FIXED1)"
#define Q_CR3 "The CR3 field must be such that bits 63:52 and bits in the range 51:32 beyond " \
	"the processor's physical-address width must be 0"
#define Q_SYSENTER "The IA32_SYSENTER_ESP field and the IA32_SYSENTER_EIP field must each " \
	"contain a canonical address"
#define Q_PAT(c) "If the \"load IA32_PAT\" " c " control is 1, the value of the field for the " \
	"IA32_PAT MSR must be one that could be written by WRMSR without fault at CPL 0"
#define Q_EFER(c) "If the \"load IA32_EFER\" " c " control is 1, bits reserved in the " \
	"IA32_EFER MSR must be 0 in the field for that register"
#define Q_BASE_CANON "TR, FS, GS. The base address must be canonical. LDTR. If LDTR is usable, " \
	"the base address must be canonical"
#define Q_BASE_HIGH "CS. Bits 63:32 of the base address must be zero. SS, DS, ES. If the " \
	"register is usable, bits 63:32 of the base address must be zero"
#define Q_V86_BASE "If the guest will be virtual-8086, the address must be the selector field " \
	"shifted left 4 bits"
#define Q_V86_LIMIT "If the guest will be virtual-8086, the field must be 0000FFFFH"
#define Q_V86_AR "If the guest will be virtual-8086, the field must be 000000F3H"
#define Q_ACCESSED "DS, ES, FS, GS. Type: the following checks apply if the register is " \
	"usable: bit 0 of the Type must be 1 (accessed)"
#define Q_READABLE "DS, ES, FS, GS: if bit 3 of the Type is 1 (code segment), then bit 1 of " \
	"the Type must be 1 (readable)"
#define Q_DPL_RPL "DS, ES, FS, GS: if the \"unrestricted guest\" VM-execution control is 0 " \
	"and the register is usable and the Type is in the range 0-11 (data segment or " \
	"non-conforming code segment), the DPL cannot be less than the RPL from the selector field"
#define Q_S_CODE "Bit 4 (S). If the register is CS or if the register is usable, S must be 1"
#define Q_S_SYS "TR, LDTR (if usable): Bit 4 (S). Must be 0"
#define Q_P "Bit 7 (P). If the register is CS or if the register is usable, P must be 1"
#define Q_RSVD_11_8 "Bits 11:8 (reserved). If the register is CS or if the register is " \
	"usable, these bits must all be 0"
#define Q_G "Bit 15 (G). If the register is CS or if the register is usable, G must be set as " \
	"follows: if any bit in the limit field in the range 11:0 is 0, G must be 0; if any bit " \
	"in the limit field in the range 31:20 is 1, G must be 1"
#define Q_RSVD_31_17 "Bits 31:17 (reserved). If the register is CS or if the register is " \
	"usable, these bits must all be 0"
#define Q_ACTIVITY "The activity-state field must contain a value in the range 0-3, indicating " \
	"an activity state supported by the implementation"
#define Q_INTR "Interruptibility-state field"
#define Q_LINK "If the VMCS link pointer field is not FFFFFFFF_FFFFFFFFH: bits 11:0 must be 0; " \
	"bits beyond the processor's physical-address width must be 0"

static const struct entry_rule rules[] = {
	/* Checks on VM-Execution Control Fields (and on the VM-exit and VM-entry controls). */
	CTL_RULES("ctl-pin", "pin-based controls", "IA32_VMX_PINBASED_CTLS",
		  "IA32_VMX_TRUE_PINBASED_CTLS", CTL_PIN, S_EXEC, Q_CTL("pin-based VM-execution controls")),
	CTL_RULES("ctl-proc", "primary processor-based controls", "IA32_VMX_PROCBASED_CTLS",
		  "IA32_VMX_TRUE_PROCBASED_CTLS", CTL_PROC, S_EXEC,
		  Q_CTL("primary processor-based VM-execution controls")),
	CTL_RULES("ctl-proc2", "secondary processor-based controls", "IA32_VMX_PROCBASED_CTLS2",
		  "IA32_VMX_PROCBASED_CTLS2", CTL_PROC2, S_EXEC,
		  Q_CTL("secondary processor-based VM-execution controls")),
	CTL_RULES("ctl-exit", "VM-exit controls", "IA32_VMX_EXIT_CTLS", "IA32_VMX_TRUE_EXIT_CTLS",
		  CTL_EXIT, S_EXIT, Q_CTL("VM-exit controls")),
	CTL_RULES("ctl-entry", "VM-entry controls", "IA32_VMX_ENTRY_CTLS", "IA32_VMX_TRUE_ENTRY_CTLS",
		  CTL_ENTRY, S_ENTRY, Q_CTL("VM-entry controls")),
	RULE("ctl-cr3-target-count", S_EXEC,
	     "The CR3-target count must not be greater than 4 [...] Software should read the VMX "
	     "capability MSR IA32_VMX_MISC to determine the number of values supported",
	     "CR3-target count: greater than IA32_VMX_MISC bits 24:16 allow", K_CR3_COUNT, 0),
	RULE("ctl-io-bitmap-a-low-bits", S_EXEC,
	     "If the \"use I/O bitmaps\" VM-execution control is 1, bits 11:0 of each I/O-bitmap "
	     "address must be 0",
	     "I/O bitmap A address: bits 11:0 must be 0 (use I/O bitmaps)", K_IO_A_LOW, 0),
	RULE("ctl-io-bitmap-a-beyond-maxphyaddr", S_EXEC,
	     "If the \"use I/O bitmaps\" VM-execution control is 1, [...] neither address should "
	     "set any bits beyond the processor's physical-address width",
	     "I/O bitmap A address: bits beyond MAXPHYADDR must be 0 (use I/O bitmaps)", K_IO_A_HIGH, 0),
	RULE("ctl-io-bitmap-b-low-bits", S_EXEC,
	     "If the \"use I/O bitmaps\" VM-execution control is 1, bits 11:0 of each I/O-bitmap "
	     "address must be 0",
	     "I/O bitmap B address: bits 11:0 must be 0 (use I/O bitmaps)", K_IO_B_LOW, 0),
	RULE("ctl-io-bitmap-b-beyond-maxphyaddr", S_EXEC,
	     "If the \"use I/O bitmaps\" VM-execution control is 1, [...] neither address should "
	     "set any bits beyond the processor's physical-address width",
	     "I/O bitmap B address: bits beyond MAXPHYADDR must be 0 (use I/O bitmaps)", K_IO_B_HIGH, 0),
	RULE("ctl-msr-bitmap-low-bits", S_EXEC,
	     "If the \"use MSR bitmaps\" VM-execution control is 1, bits 11:0 of the MSR-bitmap "
	     "address must be 0",
	     "MSR-bitmap address: bits 11:0 must be 0 (use MSR bitmaps)", K_MSR_LOW, 0),
	RULE("ctl-msr-bitmap-beyond-maxphyaddr", S_EXEC,
	     "If the \"use MSR bitmaps\" VM-execution control is 1, [...] the address should not "
	     "set any bits beyond the processor's physical-address width",
	     "MSR-bitmap address: bits beyond MAXPHYADDR must be 0 (use MSR bitmaps)", K_MSR_HIGH, 0),
	RULE("ctl-virtual-nmis-without-nmi-exiting", S_EXEC,
	     "If the \"NMI exiting\" VM-execution control is 0, the \"virtual NMIs\" VM-execution "
	     "control must be 0",
	     "pin-based controls: virtual NMIs requires NMI exiting", K_VNMI_NO_NMI, 0),
	RULE("ctl-nmi-window-without-virtual-nmis", S_EXEC,
	     "If the \"virtual NMIs\" VM-execution control is 0, the \"NMI-window exiting\" "
	     "VM-execution control must be 0",
	     "primary processor-based controls: NMI-window exiting requires virtual NMIs",
	     K_NMIWIN_NO_VNMI, 0),
	RULE("ctl-unrestricted-guest-without-ept", S_EXEC,
	     "If the \"unrestricted guest\" VM-execution control is 1, the \"enable EPT\" "
	     "VM-execution control must also be 1",
	     "secondary processor-based controls: unrestricted guest requires enable EPT", K_UG_NO_EPT, 0),
	RULE("ctl-x2apic-mode-without-tpr-shadow", S_EXEC,
	     "If the \"use TPR shadow\" VM-execution control is 0, the following VM-execution "
	     "controls must also be 0: \"virtualize x2APIC mode\", \"APIC-register virtualization\", "
	     "and \"virtual-interrupt delivery\"",
	     "secondary processor-based controls: virtualize x2APIC mode requires use TPR shadow",
	     K_PROC2_NO_TPR, SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE),
	RULE("ctl-apic-register-virtualization-without-tpr-shadow", S_EXEC,
	     "If the \"use TPR shadow\" VM-execution control is 0, the following VM-execution "
	     "controls must also be 0: \"virtualize x2APIC mode\", \"APIC-register virtualization\", "
	     "and \"virtual-interrupt delivery\"",
	     "secondary processor-based controls: APIC-register virtualization requires use TPR shadow",
	     K_PROC2_NO_TPR, SECONDARY_EXEC_APIC_REGISTER_VIRT),
	RULE("ctl-virtual-interrupt-delivery-without-tpr-shadow", S_EXEC,
	     "If the \"use TPR shadow\" VM-execution control is 0, the following VM-execution "
	     "controls must also be 0: \"virtualize x2APIC mode\", \"APIC-register virtualization\", "
	     "and \"virtual-interrupt delivery\"",
	     "secondary processor-based controls: virtual-interrupt delivery requires use TPR shadow",
	     K_PROC2_NO_TPR, SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY),
	RULE("ctl-posted-interrupts-without-virtual-interrupt-delivery", S_EXEC,
	     "If the \"process posted interrupts\" VM-execution control is 1, the following must "
	     "be true: the \"virtual-interrupt delivery\" VM-execution control is 1 [...]",
	     "pin-based controls: process posted interrupts requires virtual-interrupt delivery",
	     K_POSTED_NO_VID, 0),
	RULE("ctl-vpid-zero", S_EXEC,
	     "If the \"enable VPID\" VM-execution control is 1, the value of the VPID VM-execution "
	     "control field must not be 0000H",
	     "VPID: must not be 0000H (enable VPID)", K_VPID_ZERO, 0),
	RULE("ctl-eptp-memory-type", S_EXEC,
	     "If the \"enable EPT\" VM-execution control is 1, [...] the EPT memory type (bits 2:0) "
	     "must be a value supported by the processor as indicated in the IA32_VMX_EPT_VPID_CAP MSR",
	     "EPTP: memory type (bits 2:0) not supported by IA32_VMX_EPT_VPID_CAP (enable EPT)",
	     K_EPTP_TYPE, 0),
	RULE("ctl-eptp-page-walk-length", S_EXEC,
	     "If the \"enable EPT\" VM-execution control is 1, [...] bits 5:3 (1 less than the EPT "
	     "page-walk length) must indicate a supported EPT page-walk length",
	     "EPTP: page-walk length (bits 5:3) not supported by IA32_VMX_EPT_VPID_CAP (enable EPT)",
	     K_EPTP_WALK, 0),
	RULE("ctl-eptp-accessed-dirty", S_EXEC,
	     "If the \"enable EPT\" VM-execution control is 1, [...] bit 6 (enable bit for accessed "
	     "and dirty flags for EPT) must be 0 if bit 21 of the IA32_VMX_EPT_VPID_CAP MSR is read as 0",
	     "EPTP: accessed and dirty flags (bit 6) without IA32_VMX_EPT_VPID_CAP[21] (enable EPT)",
	     K_EPTP_AD, 0),
	RULE("ctl-eptp-reserved-bits", S_EXEC,
	     "If the \"enable EPT\" VM-execution control is 1, [...] reserved bits 11:7 and 63:N "
	     "(where N is the processor's physical-address width) must all be 0 (here: bit 8)",
	     "EPTP: reserved bits 11:8 must be 0 (enable EPT)", K_EPTP_RSVD, 0),
	RULE("ctl-eptp-beyond-maxphyaddr", S_EXEC,
	     "If the \"enable EPT\" VM-execution control is 1, [...] reserved bits 11:7 and 63:N "
	     "(where N is the processor's physical-address width) must all be 0 (here: bit N)",
	     "EPTP: bits beyond MAXPHYADDR must be 0 (enable EPT)", K_EPTP_HIGH, 0),
	RULE("ctl-save-preemption-timer-without-timer", S_EXIT,
	     "If the \"activate VMX-preemption timer\" VM-execution control is 0, the \"save "
	     "VMX-preemption timer value\" VM-exit control must also be 0",
	     "VM-exit controls: save VMX-preemption timer value requires activate VMX-preemption timer",
	     K_SAVE_TIMER, 0),
	RULE("ctl-entry-to-smm", S_ENTRY,
	     "If the processor is not in SMM, the \"entry to SMM\" and \"deactivate dual-monitor "
	     "treatment\" VM-entry controls must be 0",
	     "VM-entry controls: entry to SMM and deactivate dual-monitor treatment must be 0 outside SMM",
	     K_ENTRY_SMM, 0),

	/* Checks on Host Control Registers, MSRs, and SSP. */
	RULE("host-cr0-fixed0", S_HREG, Q_CR_FIXED("host", "CR0"),
	     "host CR0: VMX-fixed bit not set (IA32_VMX_CR0_FIXED0)", K_HOST_CR0_F0, 0),
	RULE("host-cr0-fixed1", S_HREG, Q_CR_FIXED("host", "CR0"),
	     "host CR0: bit set that VMX fixes to 0 (IA32_VMX_CR0_FIXED1)", K_HOST_CR0_F1, 0),
	RULE("host-cr4-fixed0", S_HREG, Q_CR_FIXED("host", "CR4"),
	     "host CR4: VMX-fixed bit not set (IA32_VMX_CR4_FIXED0)", K_HOST_CR4_F0, 0),
	RULE("host-cr4-fixed1", S_HREG, Q_CR_FIXED("host", "CR4"),
	     "host CR4: bit set that VMX fixes to 0 (IA32_VMX_CR4_FIXED1)", K_HOST_CR4_F1, 0),
	RULE("host-cr3-beyond-maxphyaddr", S_HREG, Q_CR3,
	     "host CR3: bits beyond MAXPHYADDR must be 0", K_HOST_CR3, 0),
	RULE("host-sysenter-esp-not-canonical", S_HREG, Q_SYSENTER,
	     "host IA32_SYSENTER_ESP: not canonical", K_HOST_ESP, 0),
	RULE("host-sysenter-eip-not-canonical", S_HREG, Q_SYSENTER,
	     "host IA32_SYSENTER_EIP: not canonical", K_HOST_EIP, 0),
	RULE("host-pat", S_HREG, Q_PAT("VM-exit"),
	     "host IA32_PAT (load IA32_PAT on exit): a byte is not a memory type (0, 1, 4, 5, 6, 7)",
	     K_HOST_PAT, 0),
	RULE("host-efer-reserved", S_HREG, Q_EFER("VM-exit"),
	     "host IA32_EFER (load IA32_EFER on exit): reserved bit set", K_HOST_EFER_RSVD, 0),
	RULE("host-efer-lma-lme", S_HREG,
	     "If the \"load IA32_EFER\" VM-exit control is 1, [...] the values of the LMA and LME "
	     "bits in the field must each be that of the \"host address-space size\" VM-exit control",
	     "host IA32_EFER (load IA32_EFER on exit): LMA and LME must each equal host address-space size",
	     K_HOST_EFER_LMA, 0),

	/* Checks on Host Segment and Descriptor-Table Registers. */
	HOST_SEL_RULE("es", "ES", HOST_SEL_ES), HOST_SEL_RULE("cs", "CS", HOST_SEL_CS),
	HOST_SEL_RULE("ss", "SS", HOST_SEL_SS), HOST_SEL_RULE("ds", "DS", HOST_SEL_DS),
	HOST_SEL_RULE("fs", "FS", HOST_SEL_FS), HOST_SEL_RULE("gs", "GS", HOST_SEL_GS),
	HOST_SEL_RULE("tr", "TR", HOST_SEL_TR),
	RULE("host-cs-selector-null", S_HSEG, "The selector fields for CS and TR cannot be 0000H",
	     "host CS selector: must not be 0000H", K_HOST_CS_NULL, 0),
	RULE("host-tr-selector-null", S_HSEG, "The selector fields for CS and TR cannot be 0000H",
	     "host TR selector: must not be 0000H", K_HOST_TR_NULL, 0),
	RULE("host-ss-selector-null", S_HSEG,
	     "The selector field for SS cannot be 0000H if the \"host address-space size\" VM-exit "
	     "control is 0",
	     "host SS selector: must not be 0000H when host address-space size is 0",
	     K_NEEDS_32BIT_HOST, 0),
	HOST_BASE_RULE("fs", "FS", 0), HOST_BASE_RULE("gs", "GS", 1),
	HOST_BASE_RULE("gdtr", "GDTR", 2), HOST_BASE_RULE("idtr", "IDTR", 3),
	HOST_BASE_RULE("tr", "TR", 4),

	/* Checks Related to Address-Space Size. */
	RULE("host-ia32e-guest-outside-ia32e", S_SIZE,
	     "If the logical processor is outside IA-32e mode (if IA32_EFER.LMA = 0) at the time "
	     "of VM entry, the \"IA-32e mode guest\" VM-entry control is 0",
	     "IA-32e mode guest: must be 0 outside IA-32e mode (IA32_EFER.LMA = 0)", K_NEEDS_32BIT_HOST, 0),
	RULE("host-address-space-size-outside-ia32e", S_SIZE,
	     "If the logical processor is outside IA-32e mode (if IA32_EFER.LMA = 0) at the time "
	     "of VM entry, the \"host address-space size\" VM-exit control is 0",
	     "host address-space size: must be 0 outside IA-32e mode (IA32_EFER.LMA = 0)",
	     K_NEEDS_32BIT_HOST, 0),
	RULE("host-address-space-size-in-ia32e", S_SIZE,
	     "If the logical processor is in IA-32e mode (if IA32_EFER.LMA = 1) at the time of VM "
	     "entry, the \"host address-space size\" VM-exit control must be 1",
	     "host address-space size: must be 1 in IA-32e mode (IA32_EFER.LMA = 1)", K_HOST_SIZE_0, 0),
	RULE("host-cr4-pcide-without-address-space-size", S_SIZE,
	     "If the \"host address-space size\" VM-exit control is 0, [...] bit 17 of the CR4 "
	     "field (corresponding to CR4.PCIDE) is 0",
	     "host CR4: PCIDE must be 0 when host address-space size is 0", K_NEEDS_32BIT_HOST, 0),
	RULE("host-rip-high-without-address-space-size", S_SIZE,
	     "If the \"host address-space size\" VM-exit control is 0, [...] bits 63:32 in the RIP "
	     "field are 0",
	     "host RIP: bits 63:32 must be 0 when host address-space size is 0", K_NEEDS_32BIT_HOST, 0),
	RULE("host-cr4-pae", S_SIZE,
	     "If the \"host address-space size\" VM-exit control is 1, [...] bit 5 of the CR4 "
	     "field (corresponding to CR4.PAE) is 1",
	     "host CR4: PAE must be 1 when host address-space size is 1", K_HOST_PAE, 0),
	RULE("host-rip-not-canonical", S_SIZE,
	     "If the \"host address-space size\" VM-exit control is 1, [...] the RIP field contains "
	     "a canonical address",
	     "host RIP: not canonical", K_HOST_RIP, 0),

	/* Checks on Guest Control Registers, Debug Registers, and MSRs. */
	RULE("guest-cr0-fixed0", S_GREG, Q_CR_FIXED("guest", "CR0"),
	     "guest CR0: VMX-fixed bit not set (IA32_VMX_CR0_FIXED0)", K_GUEST_CR0_F0, 0),
	RULE("guest-cr0-fixed1", S_GREG, Q_CR_FIXED("guest", "CR0"),
	     "guest CR0: bit set that VMX fixes to 0 (IA32_VMX_CR0_FIXED1)", K_GUEST_CR0_F1, 0),
	RULE("guest-cr0-pg-without-pe", S_GREG,
	     "If bit 31 in the CR0 field (corresponding to PG) is 1, bit 0 in that field (PE) must "
	     "also be 1",
	     "guest CR0: PG requires PE", K_GUEST_PG_NO_PE, 0),
	RULE("guest-cr4-fixed0", S_GREG, Q_CR_FIXED("guest", "CR4"),
	     "guest CR4: VMX-fixed bit not set (IA32_VMX_CR4_FIXED0)", K_GUEST_CR4_F0, 0),
	RULE("guest-cr4-fixed1", S_GREG, Q_CR_FIXED("guest", "CR4"),
	     "guest CR4: bit set that VMX fixes to 0 (IA32_VMX_CR4_FIXED1)", K_GUEST_CR4_F1, 0),
	RULE("guest-ia32e-without-pg", S_GREG,
	     "If the \"IA-32e mode guest\" VM-entry control is 1, bit 31 in the CR0 field "
	     "(corresponding to CR0.PG) and bit 5 in the CR4 field (corresponding to CR4.PAE) must "
	     "each be 1",
	     "IA-32e mode guest: requires guest CR0.PG", K_IA32E_NO_PG, 0),
	RULE("guest-ia32e-without-pae", S_GREG,
	     "If the \"IA-32e mode guest\" VM-entry control is 1, bit 31 in the CR0 field "
	     "(corresponding to CR0.PG) and bit 5 in the CR4 field (corresponding to CR4.PAE) must "
	     "each be 1",
	     "IA-32e mode guest: requires guest CR4.PAE", K_IA32E_NO_PAE, 0),
	RULE("guest-cr4-pcide-without-ia32e", S_GREG,
	     "If the \"IA-32e mode guest\" VM-entry control is 0, bit 17 in the CR4 field "
	     "(corresponding to CR4.PCIDE) must be 0",
	     "guest CR4: PCIDE must be 0 unless IA-32e mode guest", K_PCIDE_NO_IA32E, 0),
	RULE("guest-dr7-high", S_GREG,
	     "If the \"load debug controls\" VM-entry control is 1, bits 63:32 in the DR7 field "
	     "must be 0",
	     "guest DR7 (load debug controls): bits 63:32 must be 0", K_DR7, 0),
	RULE("guest-cr3-beyond-maxphyaddr", S_GREG, Q_CR3,
	     "guest CR3: bits beyond MAXPHYADDR must be 0", K_GUEST_CR3, 0),
	RULE("guest-sysenter-esp-not-canonical", S_GREG, Q_SYSENTER,
	     "guest IA32_SYSENTER_ESP: not canonical", K_GUEST_ESP, 0),
	RULE("guest-sysenter-eip-not-canonical", S_GREG, Q_SYSENTER,
	     "guest IA32_SYSENTER_EIP: not canonical", K_GUEST_EIP, 0),
	RULE("guest-pat", S_GREG, Q_PAT("VM-entry"),
	     "guest IA32_PAT (load IA32_PAT on entry): a byte is not a memory type (0, 1, 4, 5, 6, 7)",
	     K_GUEST_PAT, 0),
	RULE("guest-efer-reserved", S_GREG, Q_EFER("VM-entry"),
	     "guest IA32_EFER (load IA32_EFER on entry): reserved bit set", K_GUEST_EFER_RSVD, 0),
	RULE("guest-efer-lma", S_GREG,
	     "If the \"load IA32_EFER\" VM-entry control is 1, [...] bit 10 (corresponding to "
	     "IA32_EFER.LMA) must equal the value of the \"IA-32e mode guest\" VM-entry control",
	     "guest IA32_EFER (load IA32_EFER on entry): LMA must equal IA-32e mode guest",
	     K_GUEST_EFER_LMA, 0),
	RULE("guest-efer-lme", S_GREG,
	     "If the \"load IA32_EFER\" VM-entry control is 1, [...] it must also be identical to "
	     "bit 8 (LME) if bit 31 in the CR0 field (corresponding to CR0.PG) is 1",
	     "guest IA32_EFER (load IA32_EFER on entry): LME must equal LMA when CR0.PG = 1",
	     K_GUEST_EFER_LME, 0),

	/* Checks on Guest Segment Registers: selectors and bases. */
	RULE("guest-tr-selector-ti", S_GSEG, "Selector fields. TR. The TI flag (bit 2) must be 0",
	     "guest TR selector: TI must be 0", K_TR_TI, 0),
	RULE("guest-ldtr-selector-ti", S_GSEG,
	     "Selector fields. LDTR. If LDTR is usable, the TI flag (bit 2) must be 0",
	     "guest LDTR selector: TI must be 0 when usable", K_LDTR_TI, 0),
	RULE("guest-ss-selector-rpl", S_GSEG,
	     "Selector fields. SS. If the guest will not be virtual-8086 and the \"unrestricted "
	     "guest\" VM-execution control is 0, the RPL (bits 1:0) must equal the RPL of the "
	     "selector field for CS",
	     "guest SS selector: RPL must equal CS RPL", K_SS_RPL, 0),
	SEG_RULE("fs", "FS", SEG_FS, "base-not-canonical", " base: not canonical", Q_BASE_CANON, K_SEG_NONCANON),
	SEG_RULE("gs", "GS", SEG_GS, "base-not-canonical", " base: not canonical", Q_BASE_CANON, K_SEG_NONCANON),
	SEG_RULE("ldtr", "LDTR", SEG_LDTR, "base-not-canonical", " base: not canonical", Q_BASE_CANON,
		 K_SEG_NONCANON),
	SEG_RULE("tr", "TR", SEG_TR, "base-not-canonical", " base: not canonical", Q_BASE_CANON, K_SEG_NONCANON),
	SEG_RULE("es", "ES", SEG_ES, "base-high", " base: bits 63:32 must be 0", Q_BASE_HIGH, K_SEG_BASE_HIGH),
	SEG_RULE("cs", "CS", SEG_CS, "base-high", " base: bits 63:32 must be 0", Q_BASE_HIGH, K_SEG_BASE_HIGH),
	SEG_RULE("ss", "SS", SEG_SS, "base-high", " base: bits 63:32 must be 0", Q_BASE_HIGH, K_SEG_BASE_HIGH),
	SEG_RULE("ds", "DS", SEG_DS, "base-high", " base: bits 63:32 must be 0", Q_BASE_HIGH, K_SEG_BASE_HIGH),
	/* Virtual-8086 guests (unrestricted guest lets CR0.PG be 0, where EFLAGS.VM may be 1). */
	SEG6("v86-base", " base: must be the selector shifted left 4 bits (virtual-8086)", Q_V86_BASE,
	     K_V86_BASE),
	SEG6("v86-limit", " limit: must be 0000FFFFH (virtual-8086)", Q_V86_LIMIT, K_V86_LIMIT),
	SEG6("v86-access-rights", " access rights: must be 000000F3H (virtual-8086)", Q_V86_AR, K_V86_AR),
	/* Access rights. */
	RULE("guest-cs-type", S_GSEG,
	     "CS. Type: must be 9, 11, 13, or 15 (accessed code segment), or 3 (read/write accessed "
	     "data) if the \"unrestricted guest\" VM-execution control is 1",
	     "guest CS type: must be 9, 11, 13 or 15 (accessed code), or 3 with unrestricted guest",
	     K_CS_TYPE, 0),
	RULE("guest-cs-dpl-type-3", S_GSEG,
	     "CS. DPL: if the Type is 3 (read/write accessed expand-up data segment), the DPL must be 0",
	     "guest CS DPL: must be 0 for type 3 (unrestricted guest)", K_CS_DPL_TYPE3, 0),
	RULE("guest-cs-dpl-non-conforming", S_GSEG,
	     "CS. DPL: if the Type is 9 or 11 (non-conforming code segment), the DPL must equal the "
	     "DPL in the access-rights field for SS",
	     "guest CS DPL: must equal SS DPL (non-conforming code)", K_CS_DPL_SS, 0),
	RULE("guest-cs-dpl-conforming", S_GSEG,
	     "CS. DPL: if the Type is 13 or 15 (conforming code segment), the DPL cannot be greater "
	     "than the DPL in the access-rights field for SS",
	     "guest CS DPL: must not be greater than SS DPL (conforming code)", K_CS_DPL_CONFORMING, 0),
	RULE("guest-ss-type", S_GSEG, "SS. Type: if SS is usable, the Type must be 3 or 7 (read/write, "
	     "accessed data segment)",
	     "guest SS type: must be 3 or 7 (read/write accessed data)", K_SS_TYPE, 0),
	RULE("guest-ss-dpl-rpl", S_GSEG,
	     "SS. DPL: if the \"unrestricted guest\" VM-execution control is 0, the DPL must equal "
	     "the RPL from the selector field",
	     "guest SS DPL: must equal the selector's RPL", K_SS_DPL_RPL, 0),
	RULE("guest-ss-dpl-cs-type-3", S_GSEG,
	     "SS. DPL: the DPL must be 0 either if the Type in the access-rights field for CS is 3 "
	     "(read/write accessed expand-up data segment) or if bit 0 in the CR0 field "
	     "(corresponding to CR0.PE) is 0",
	     "guest SS DPL: must be 0 when CS type is 3 or CR0.PE is 0", K_SS_DPL_TYPE3, 0),
	SEG_DATA4("type-accessed", " type: must be accessed (bit 0 = 1)", Q_ACCESSED, K_SEG_ACCESSED),
	SEG_DATA4("type-code-readable", " type: a code segment must be readable (bit 1 = 1)", Q_READABLE,
		  K_SEG_READABLE),
	SEG_DATA4("dpl-below-rpl", " DPL: must not be less than the selector's RPL (data or "
		  "non-conforming code)", Q_DPL_RPL, K_SEG_DPL_RPL),
	SEG6("s-bit", ": S (bit 4) must be 1 (code or data segment)", Q_S_CODE, K_SEG_S),
	SEG_RULE("ldtr", "LDTR", SEG_LDTR, "s-bit", ": S (bit 4) must be 0 (system segment)", Q_S_SYS,
		 K_SEG_S),
	SEG_RULE("tr", "TR", SEG_TR, "s-bit", ": S (bit 4) must be 0 (system segment)", Q_S_SYS, K_SEG_S),
	SEG8("present", ": P (bit 7) must be 1", Q_P, K_SEG_P),
	SEG8("reserved-11-8", " access rights: reserved bits 11:8 must be 0", Q_RSVD_11_8, K_SEG_RSVD_11_8),
	SEG8("g-limit-low", " access rights: G must be 0 when limit bits 11:0 are not all 1", Q_G, K_SEG_G0),
	SEG8("g-limit-high", " access rights: G must be 1 when limit bits 31:20 are not all 0", Q_G, K_SEG_G1),
	SEG8("reserved-31-17", " access rights: reserved bits 31:17 must be 0", Q_RSVD_31_17,
	     K_SEG_RSVD_31_17),
	RULE("guest-cs-l-db", S_GSEG,
	     "CS. Bit 14 (D/B): D/B must be 0 if the guest will be IA-32e mode and the L bit (bit "
	     "13) in the access-rights field is 1",
	     "guest CS: D/B must be 0 for an IA-32e mode guest with L = 1", K_CS_L_DB, 0),
	RULE("guest-tr-unusable", S_GSEG, "TR. Bit 16 (Unusable). The unusable bit must be 0",
	     "guest TR: must be usable", K_TR_UNUSABLE, 0),
	RULE("guest-tr-type-ia32e", S_GSEG,
	     "TR. Bits 3:0 (Type): if the guest will be IA-32e mode, the Type must be 11 (64-bit "
	     "busy TSS)",
	     "guest TR type: must be 11 (busy 64-bit TSS) for an IA-32e mode guest", K_TR_TYPE_IA32E, 0),
	RULE("guest-tr-type", S_GSEG,
	     "TR. Bits 3:0 (Type): if the guest will not be IA-32e mode, the Type must be 3 (16-bit "
	     "busy TSS) or 11 (32-bit busy TSS)",
	     "guest TR type: must be 3 or 11 (busy TSS)", K_TR_TYPE, 0),
	RULE("guest-ldtr-type", S_GSEG, "LDTR. The following checks on the different sub-fields "
	     "apply only if LDTR is usable: bits 3:0 (Type) must be 2 (LDT)",
	     "guest LDTR type: must be 2 (LDT) when usable", K_LDTR_TYPE, 0),

	/* Checks on Guest Descriptor-Table Registers. */
	RULE("guest-gdtr-base-not-canonical", S_GDT,
	     "On processors that support Intel 64 architecture, the base-address fields must "
	     "contain canonical addresses",
	     "guest GDTR base: not canonical", K_GDTR_BASE, 0),
	RULE("guest-idtr-base-not-canonical", S_GDT,
	     "On processors that support Intel 64 architecture, the base-address fields must "
	     "contain canonical addresses",
	     "guest IDTR base: not canonical", K_IDTR_BASE, 0),
	RULE("guest-gdtr-limit-high", S_GDT, "Bits 31:16 of each limit field must be 0",
	     "guest GDTR limit: bits 31:16 must be 0", K_GDTR_LIMIT, 0),
	RULE("guest-idtr-limit-high", S_GDT, "Bits 31:16 of each limit field must be 0",
	     "guest IDTR limit: bits 31:16 must be 0", K_IDTR_LIMIT, 0),

	/* Checks on Guest RIP, RFLAGS, and SSP. */
	RULE("guest-rip-high", S_RIP,
	     "RIP. Bits 63:32 must be 0 if the \"IA-32e mode guest\" VM-entry control is 0 or if "
	     "the L bit (bit 13) in the access-rights field for CS is 0",
	     "guest RIP: bits 63:32 must be 0 unless IA-32e mode guest with CS.L = 1", K_RIP_HIGH, 0),
	RULE("guest-rip-not-canonical", S_RIP,
	     "RIP. If the processor supports N < 64 linear-address bits, bits 63:N must be identical "
	     "if the \"IA-32e mode guest\" VM-entry control is 1 and the L bit in the access-rights "
	     "field for CS is 1",
	     "guest RIP: not canonical (64-bit mode)", K_RIP_NONCANON, 0),
	RULE("guest-rflags-reserved", S_RIP,
	     "RFLAGS. Reserved bits 63:22 (bits 31:22 on processors that do not support Intel 64 "
	     "architecture), bit 15, bit 5 and bit 3 must be 0 in the field (here: bit 3)",
	     "guest RFLAGS: reserved bits 63:22, 15, 5 and 3 must be 0", K_RFLAGS_RSVD, 0),
	RULE("guest-rflags-bit-1", S_RIP, "RFLAGS. [...] reserved bit 1 must be 1",
	     "guest RFLAGS: reserved bit 1 must be 1", K_RFLAGS_BIT1, 0),
	RULE("guest-rflags-vm", S_RIP,
	     "RFLAGS. The VM flag (bit 17) must be 0 either if the \"IA-32e mode guest\" VM-entry "
	     "control is 1 or if bit 0 in the CR0 field (corresponding to CR0.PE) is 0 (here: PE 0)",
	     "guest RFLAGS: VM (bit 17) must be 0 for an IA-32e mode guest or when CR0.PE is 0",
	     K_RFLAGS_VM, 0),

	/* Checks on Guest Non-Register State. */
	RULE("guest-activity-state-range", S_NONREG, Q_ACTIVITY,
	     "guest activity state: must be 0 to 3", K_ACT_RANGE, 0),
	RULE("guest-activity-state-unsupported", S_NONREG, Q_ACTIVITY,
	     "guest activity state: not supported (IA32_VMX_MISC bits 8:6)", K_ACT_UNSUPPORTED, 0),
	RULE("guest-activity-hlt-ss-dpl", S_NONREG,
	     "The activity-state field must not indicate the HLT state if the DPL (bits 6:5) in the "
	     "access-rights field for SS is not 0",
	     "guest activity state: HLT requires SS DPL 0", K_ACT_HLT_DPL, 0),
	RULE("guest-activity-blocking", S_NONREG,
	     "The activity-state field must indicate the active state if the interruptibility-state "
	     "field indicates blocking by either MOV-SS or by STI (bit 0 or bit 1 in that field is 1)",
	     "guest activity state: must be active with blocking by STI or MOV SS", K_ACT_BLOCKING, 0),
	RULE("guest-interruptibility-reserved", S_NONREG,
	     Q_INTR ": reserved bits, bits 31:5, must be 0",
	     "guest interruptibility state: reserved bits 31:5 must be 0", K_INTR_RSVD, 0),
	RULE("guest-interruptibility-sti-mov-ss", S_NONREG,
	     Q_INTR ": bits 0 (blocking by STI) and 1 (blocking by MOV-SS) must not both be 1",
	     "guest interruptibility state: blocking by STI and by MOV SS cannot both be 1",
	     K_INTR_STI_MOVSS, 0),
	RULE("guest-interruptibility-sti-if", S_NONREG,
	     Q_INTR ": bit 0 (blocking by STI) must be 0 if the IF flag (bit 9) is 0 in the RFLAGS field",
	     "guest interruptibility state: blocking by STI requires RFLAGS.IF = 1", K_INTR_STI_IF, 0),
	RULE("guest-interruptibility-smi", S_NONREG,
	     Q_INTR ": bit 2 (blocking by SMI) must be 0 if the processor is not in SMM",
	     "guest interruptibility state: blocking by SMI must be 0 outside SMM", K_INTR_SMI, 0),
	RULE("guest-pending-debug-reserved", S_NONREG,
	     "Pending debug exceptions: bits 11:4, bit 13, bit 15, and bits 63:17 must be 0 (here: bit 4)",
	     "guest pending debug exceptions: only bits 3:0, 12 and 14 may be 1", K_PENDING_DBG, 0),
	RULE("guest-link-pointer-low-bits", S_NONREG, Q_LINK,
	     "VMCS link pointer: bits 11:0 must be 0 unless it is FFFFFFFF_FFFFFFFFH", K_LINK_LOW, 0),
	RULE("guest-link-pointer-beyond-maxphyaddr", S_NONREG, Q_LINK,
	     "VMCS link pointer: bits beyond MAXPHYADDR must be 0 unless it is FFFFFFFF_FFFFFFFFH",
	     K_LINK_HIGH, 0),
};

_Static_assert(sizeof(rules) / sizeof(rules[0]) == ENTRY_RULES, "ENTRY_RULES");

const char entry_rule_checker_bug[] =
	"checker does not see the change as this rule (a bug in vmxprobe)";

const struct entry_rule *entry_rule(unsigned i)
{
	return i < ENTRY_RULES ? &rules[i] : 0;
}

/* ------------------------------------------------------------------------- */
/* The controls                                                              */

static const unsigned ctl_msr[5][2] = {
	[CTL_PIN] = { MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS },
	[CTL_PROC] = { MSR_IA32_VMX_PROCBASED_CTLS, MSR_IA32_VMX_TRUE_PROCBASED_CTLS },
	[CTL_PROC2] = { MSR_IA32_VMX_PROCBASED_CTLS2, 0 },
	[CTL_EXIT] = { MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS },
	[CTL_ENTRY] = { MSR_IA32_VMX_ENTRY_CTLS, MSR_IA32_VMX_TRUE_ENTRY_CTLS },
};

/* The bits a control field must have (allowed 0-settings) and may have (allowed 1-settings). */
static uint32_t must(const struct entry_env *e, unsigned ctl)
{
	return vmx_control(e->m, ctl_msr[ctl][0], ctl_msr[ctl][1], 0, 0, 0);
}

static uint32_t may(const struct entry_env *e, unsigned ctl)
{
	uint32_t missing = 0;

	vmx_control(e->m, ctl_msr[ctl][0], ctl_msr[ctl][1], 0xffffffffu, 0, &missing);
	return ~missing;
}

static uint32_t *field(struct vmcs_config *c, unsigned ctl)
{
	uint32_t *f[] = { &c->pin, &c->proc, &c->proc2, &c->exit, &c->entry };

	return f[ctl];
}

static int lowest(uint64_t bits)
{
	for (int i = 0; i < 64; i++)
		if (bits & (1ull << i))
			return i;
	return -1;
}

/* Secondary controls on, with `bits`; a reason when the CPU does not allow them. */
static const char *secondary_on(const struct entry_env *e, struct vmcs_config *c, uint32_t bits)
{
	if (!(may(e, CTL_PROC) & CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ||
	    !vmxcap_has(e->m, MSR_IA32_VMX_PROCBASED_CTLS2))
		return "no secondary processor-based controls (primary control bit 31)";
	if ((may(e, CTL_PROC2) & bits) != bits)
		return bits == SECONDARY_EXEC_ENABLE_EPT ? "no EPT (secondary processor-based control bit 1)" :
		       bits == SECONDARY_EXEC_ENABLE_VPID ? "no VPID (secondary processor-based control bit 5)" :
		       "the CPU does not allow the secondary control this rule needs (IA32_VMX_PROCBASED_CTLS2)";
	c->proc |= CPU_BASED_ACTIVATE_SECONDARY_CONTROLS;
	c->proc2 |= bits;
	return 0;
}

/* Enable EPT with the CPU's valid EPTP. */
static const char *ept_on(const struct entry_env *e, struct vmcs_config *c, uint32_t more)
{
	const char *why = secondary_on(e, c, SECONDARY_EXEC_ENABLE_EPT | more);

	if (why)
		return why;
	if (!e->eptp)
		return "no valid EPTP on this CPU (4-level walk, WB or UC)";
	c->eptp = e->eptp;
	return 0;
}

/* Unrestricted guest (with EPT): CR0.PE and PG may be 0. */
static const char *unrestricted(const struct entry_env *e, struct vmcs_config *c)
{
	const char *why = ept_on(e, c, 0);

	if (why)
		return why;
	return secondary_on(e, c, SECONDARY_EXEC_UNRESTRICTED_GUEST) ?
	       "no unrestricted guest (secondary processor-based control bit 7)" : 0;
}

/* A control this rule needs set: allowed as 1, or why not. */
static const char *need1(const struct entry_env *e, struct vmcs_config *c, unsigned ctl,
			 uint32_t bit, const char *why)
{
	if (!(may(e, ctl) & bit))
		return why;
	*field(c, ctl) |= bit;
	return 0;
}

/* A control this rule needs clear: allowed as 0, or why not. */
static const char *need0(const struct entry_env *e, struct vmcs_config *c, unsigned ctl,
			 uint32_t bit, const char *why)
{
	if (must(e, ctl) & bit)
		return why;
	*field(c, ctl) &= ~bit;
	return 0;
}

/* ------------------------------------------------------------------------- */
/* Guests                                                                    */

/* LDTR usable: an LDT of 64 KiB at 0 (VM entry does not read the GDT). */
static void ldtr_usable(struct vmcs_config *c)
{
	c->guest_seg[SEG_LDTR] = (struct vmcs_seg){ 0x38, 0, 0xffff, AR_LDT };
}

/* A virtual-8086 guest: unrestricted guest lets CR0.PG be 0 (and IA-32e mode
 * guest 0); RFLAGS.VM 1; CS, SS, DS, ES, FS, GS at selector 100H (base 1000H,
 * limit FFFFH, access rights F3H); TR the host's busy TSS; LDTR unusable. */
static const char *v86(const struct entry_env *e, struct vmcs_config *c)
{
	const char *why = unrestricted(e, c);

	if (why)
		return why;
	c->guest_cr0 &= ~X86_CR0_PG;
	c->guest_cr4 &= ~CR4_PCIDE;
	c->entry &= ~VM_ENTRY_IA32E_MODE;
	c->guest_efer &= ~(EFER_LMA | EFER_LME);
	c->guest_rflags = X86_EFLAGS_FIXED | RFLAGS_VM;
	for (unsigned s = SEG_ES; s <= SEG_GS; s++)
		c->guest_seg[s] = (struct vmcs_seg){ V86_SEL, (uint64_t)V86_SEL << 4, 0xffff, AR_V86 };
	return 0;
}

static void set_type(struct vmcs_seg *s, unsigned type)
{
	s->ar = (s->ar & ~VMX_AR_TYPE_MASK) | type;
}

static void set_dpl(struct vmcs_seg *s, unsigned dpl)
{
	s->ar = (s->ar & ~(3u << VMX_AR_DPL_SHIFT)) | (dpl << VMX_AR_DPL_SHIFT);
}

/* A state IA32_VMX_MISC[8:6] offers (1 HLT, 2 shutdown, 3 wait-for-SIPI), or not. */
static bool activity_offered(const struct entry_env *e, unsigned state)
{
	return vmxcap_get(e->m, MSR_IA32_VMX_MISC) & (VMX_MISC_ACTIVITY_HLT << (state - 1));
}

/* The lowest bit a VMX-fixed MSR pair fixes to 0 (FIXED1 clear), outside `except`. */
static int fixed_to_0(const struct entry_env *e, unsigned fixed0_msr, uint64_t except)
{
	return lowest(~vmxcap_get(e->m, fixed0_msr + 1) & ~except);
}

static const char *host64(void)
{
	return "vmxprobe runs in IA-32e mode: this check applies to a 32-bit host only";
}

/* ------------------------------------------------------------------------- */
/* The breaks                                                                */

static const char *break_controls(const struct entry_rule *r, const struct entry_env *e,
				  struct vmcs_config *c)
{
	int bit;
	const char *why;

	switch (r->kind) {
	case K_CTL_MUST1:
		if (r->arg == CTL_PROC2 && (why = secondary_on(e, c, 0)))
			return why;
		if ((bit = lowest(must(e, r->arg))) < 0)
			return "no bit of this control field must be 1 on this CPU (every allowed 0-setting is 0)";
		*field(c, r->arg) &= ~(1u << bit);
		return 0;
	case K_CTL_MUST0:
		if (r->arg == CTL_PROC2 && (why = secondary_on(e, c, 0)))
			return why;
		if ((bit = lowest(~(uint64_t)may(e, r->arg) & 0xffffffffu)) < 0)
			return "every bit of this control field may be 1 on this CPU";
		*field(c, r->arg) |= 1u << bit;
		return 0;
	case K_CR3_COUNT:
		c->cr3_target_count = ((vmxcap_get(e->m, MSR_IA32_VMX_MISC) >> VMX_MISC_CR3_COUNT_SHIFT) &
				       VMX_MISC_CR3_COUNT_MASK) + 1;
		return 0;
	case K_IO_A_LOW: case K_IO_A_HIGH: case K_IO_B_LOW: case K_IO_B_HIGH:
		if ((why = need1(e, c, CTL_PROC, CPU_BASED_USE_IO_BITMAPS,
				 "no I/O bitmaps (primary processor-based control bit 25)")))
			return why;
		c->io_bitmap_a = c->io_bitmap_b = e->page;
		*(r->kind <= K_IO_A_HIGH ? &c->io_bitmap_a : &c->io_bitmap_b) =
			(r->kind == K_IO_A_LOW || r->kind == K_IO_B_LOW) ? e->page | 0x800 : 1ull << e->phys_bits;
		return e->phys_bits >= 52 && (r->kind == K_IO_A_HIGH || r->kind == K_IO_B_HIGH) ?
		       "no address beyond a 52-bit physical-address width" : 0;
	case K_MSR_LOW: case K_MSR_HIGH:
		if ((why = need1(e, c, CTL_PROC, CPU_BASED_USE_MSR_BITMAPS,
				 "no MSR bitmaps (primary processor-based control bit 28)")))
			return why;
		if (r->kind == K_MSR_HIGH && e->phys_bits >= 52)
			return "no address beyond a 52-bit physical-address width";
		c->msr_bitmap = r->kind == K_MSR_LOW ? e->page | 0x800 : 1ull << e->phys_bits;
		return 0;
	case K_VNMI_NO_NMI:
		if ((why = need1(e, c, CTL_PIN, PIN_BASED_VIRTUAL_NMIS, "no virtual NMIs (pin-based control bit 5)")))
			return why;
		return need0(e, c, CTL_PIN, PIN_BASED_NMI_EXITING, "NMI exiting is fixed to 1 on this CPU");
	case K_NMIWIN_NO_VNMI:
		if ((why = need1(e, c, CTL_PROC, CPU_BASED_NMI_WINDOW_EXITING,
				 "no NMI-window exiting (primary processor-based control bit 22)")))
			return why;
		return need0(e, c, CTL_PIN, PIN_BASED_VIRTUAL_NMIS, "virtual NMIs are fixed to 1 on this CPU");
	case K_UG_NO_EPT:
		return secondary_on(e, c, SECONDARY_EXEC_UNRESTRICTED_GUEST);
	case K_PROC2_NO_TPR:
		if ((why = secondary_on(e, c, r->arg)))
			return why;
		return need0(e, c, CTL_PROC, CPU_BASED_TPR_SHADOW, "use TPR shadow is fixed to 1 on this CPU");
	case K_POSTED_NO_VID:
		return need1(e, c, CTL_PIN, PIN_BASED_POSTED_INTR,
			     "no process posted interrupts (pin-based control bit 7)");
	case K_VPID_ZERO:
		if ((why = secondary_on(e, c, SECONDARY_EXEC_ENABLE_VPID)))
			return why;
		c->vpid = 0;
		return 0;
	case K_EPTP_TYPE: case K_EPTP_WALK: case K_EPTP_AD: case K_EPTP_RSVD: case K_EPTP_HIGH:
		if ((why = ept_on(e, c, 0)))
			return why;
		if (r->kind == K_EPTP_TYPE)
			c->eptp = (c->eptp & ~7ull) | 1;                /* WC: never an EPT type */
		else if (r->kind == K_EPTP_WALK)
			c->eptp = (c->eptp & ~0x38ull) | (1 << 3);     /* a 2-level walk */
		else if (r->kind == K_EPTP_AD && (vmxcap_get(e->m, MSR_IA32_VMX_EPT_VPID_CAP) & VMX_EPT_AD_BIT))
			return "IA32_VMX_EPT_VPID_CAP[21] allows accessed and dirty flags";
		else if (r->kind == K_EPTP_AD)
			c->eptp |= BIT(6);
		else if (r->kind == K_EPTP_RSVD)
			c->eptp |= BIT(8);
		else if (e->phys_bits >= 52)
			return "no address beyond a 52-bit physical-address width";
		else
			c->eptp |= 1ull << e->phys_bits;
		return 0;
	case K_SAVE_TIMER:
		if ((why = need1(e, c, CTL_EXIT, VM_EXIT_SAVE_VMX_PREEMPTION_TIMER,
				 "no save VMX-preemption timer value (VM-exit control bit 22)")))
			return why;
		return need0(e, c, CTL_PIN, PIN_BASED_VMX_PREEMPTION_TIMER,
			     "activate VMX-preemption timer is fixed to 1 on this CPU");
	case K_ENTRY_SMM:
		return need1(e, c, CTL_ENTRY, VM_ENTRY_SMM,
			     "the CPU does not allow entry to SMM (VM-entry control bit 10): the "
			     "allowed-settings rule covers it");
	}
	return "not a control rule";
}

static const char *break_host(const struct entry_rule *r, const struct entry_env *e,
			      struct vmcs_config *c)
{
	int bit;
	const char *why;

	switch (r->kind) {
	case K_HOST_CR0_F0:
		c->host_cr0 &= ~X86_CR0_NE;
		return vmxcap_get(e->m, MSR_IA32_VMX_CR0_FIXED0) & X86_CR0_NE ? 0 :
		       "IA32_VMX_CR0_FIXED0 does not fix CR0.NE";
	case K_HOST_CR0_F1:
		if ((bit = fixed_to_0(e, MSR_IA32_VMX_CR0_FIXED0, 0)) < 0)
			return "IA32_VMX_CR0_FIXED1 fixes no bit to 0";
		c->host_cr0 |= 1ull << bit;
		return 0;
	case K_HOST_CR4_F0:
		c->host_cr4 &= ~X86_CR4_VMXE;
		return 0;
	case K_HOST_CR4_F1:
		if ((bit = fixed_to_0(e, MSR_IA32_VMX_CR4_FIXED0, 0)) < 0)
			return "IA32_VMX_CR4_FIXED1 fixes no bit to 0";
		c->host_cr4 |= 1ull << bit;
		return 0;
	case K_HOST_CR3:
		if (e->phys_bits >= 52)
			return "no address beyond a 52-bit physical-address width";
		c->host_cr3 |= 1ull << e->phys_bits;
		return 0;
	case K_HOST_ESP:
		c->host_sysenter_esp = NONCANON;
		return 0;
	case K_HOST_EIP:
		c->host_sysenter_eip = NONCANON;
		return 0;
	case K_HOST_PAT:
		if ((why = need1(e, c, CTL_EXIT, VM_EXIT_LOAD_IA32_PAT, "no load IA32_PAT on exit (VM-exit control bit 19)")))
			return why;
		c->host_pat = (c->host_pat & ~0xffull) | 2;     /* type 2: reserved */
		return 0;
	case K_HOST_EFER_RSVD: case K_HOST_EFER_LMA:
		if ((why = need1(e, c, CTL_EXIT, VM_EXIT_LOAD_IA32_EFER, "no load IA32_EFER on exit (VM-exit control bit 21)")))
			return why;
		if (r->kind == K_HOST_EFER_RSVD)
			c->host_efer |= EFER_RESERVED;
		else
			c->host_efer &= ~EFER_LME;
		return 0;
	case K_HOST_SEL:
		/* RPL for the data segments; TI for CS, SS and TR, whose RPL would
		 * change the privilege level if the CPU wrongly took them. */
		c->host_sel[r->arg] |= (r->arg == HOST_SEL_CS || r->arg == HOST_SEL_SS ||
					r->arg == HOST_SEL_TR) ? 4 : 3;
		return 0;
	case K_HOST_CS_NULL:
		c->host_sel[HOST_SEL_CS] = 0;
		return 0;
	case K_HOST_TR_NULL:
		c->host_sel[HOST_SEL_TR] = 0;
		return 0;
	case K_HOST_BASE: {
		uint64_t *base[] = { &c->host_fs_base, &c->host_gs_base, &c->host_gdtr_base,
				     &c->host_idtr_base, &c->host_tr_base };
		*base[r->arg] = NONCANON;
		return 0;
	}
	case K_NEEDS_32BIT_HOST:
		return host64();
	case K_HOST_SIZE_0:
		if ((why = need0(e, c, CTL_EXIT, VM_EXIT_LOAD_IA32_EFER,
				 "load IA32_EFER on exit is fixed to 1 on this CPU")))
			return why;
		return need0(e, c, CTL_EXIT, VM_EXIT_HOST_ADDR_SPACE_SIZE,
			     "host address-space size is fixed to 1 on this CPU");
	case K_HOST_PAE:
		c->host_cr4 &= ~X86_CR4_PAE;
		return 0;
	case K_HOST_RIP:
		c->host_rip = NONCANON;
		return 0;
	}
	return "not a host-state rule";
}

static const char *break_guest_registers(const struct entry_rule *r, const struct entry_env *e,
					 struct vmcs_config *c)
{
	int bit;
	const char *why;

	switch (r->kind) {
	case K_GUEST_CR0_F0:
		c->guest_cr0 &= ~X86_CR0_NE;
		return vmxcap_get(e->m, MSR_IA32_VMX_CR0_FIXED0) & X86_CR0_NE ? 0 :
		       "IA32_VMX_CR0_FIXED0 does not fix CR0.NE";
	case K_GUEST_CR0_F1:
		/* CD and NW are never checked. */
		if ((bit = fixed_to_0(e, MSR_IA32_VMX_CR0_FIXED0, X86_CR0_CD | X86_CR0_NW)) < 0)
			return "IA32_VMX_CR0_FIXED1 fixes no bit to 0";
		c->guest_cr0 |= 1ull << bit;
		return 0;
	case K_GUEST_PG_NO_PE:
		if ((why = unrestricted(e, c)))
			return why;
		c->guest_cr0 &= ~X86_CR0_PE;
		return 0;
	case K_GUEST_CR4_F0:
		c->guest_cr4 &= ~X86_CR4_VMXE;
		return 0;
	case K_GUEST_CR4_F1:
		if ((bit = fixed_to_0(e, MSR_IA32_VMX_CR4_FIXED0, 0)) < 0)
			return "IA32_VMX_CR4_FIXED1 fixes no bit to 0";
		c->guest_cr4 |= 1ull << bit;
		return 0;
	case K_IA32E_NO_PG:
		if ((why = unrestricted(e, c)))
			return why;
		c->guest_cr0 &= ~X86_CR0_PG;
		return 0;
	case K_IA32E_NO_PAE:
		c->guest_cr4 &= ~X86_CR4_PAE;
		return 0;
	case K_PCIDE_NO_IA32E:
		if (!(vmxcap_get(e->m, MSR_IA32_VMX_CR4_FIXED1) & CR4_PCIDE))
			return "IA32_VMX_CR4_FIXED1 does not allow CR4.PCIDE";
		c->guest_cr4 |= CR4_PCIDE;
		c->entry &= ~VM_ENTRY_IA32E_MODE;
		return 0;
	case K_DR7:
		if ((why = need1(e, c, CTL_ENTRY, VM_ENTRY_LOAD_DEBUG_CONTROLS,
				 "no load debug controls (VM-entry control bit 2)")))
			return why;
		c->guest_dr7 |= 1ull << 32;
		return 0;
	case K_GUEST_CR3:
		if (e->phys_bits >= 52)
			return "no address beyond a 52-bit physical-address width";
		c->guest_cr3 |= 1ull << e->phys_bits;
		return 0;
	case K_GUEST_ESP:
		c->guest_sysenter_esp = NONCANON;
		return 0;
	case K_GUEST_EIP:
		c->guest_sysenter_eip = NONCANON;
		return 0;
	case K_GUEST_PAT:
		if ((why = need1(e, c, CTL_ENTRY, VM_ENTRY_LOAD_IA32_PAT, "no load IA32_PAT on entry (VM-entry control bit 14)")))
			return why;
		c->guest_pat = (c->guest_pat & ~0xffull) | 2;
		return 0;
	case K_GUEST_EFER_RSVD: case K_GUEST_EFER_LMA: case K_GUEST_EFER_LME:
		if ((why = need1(e, c, CTL_ENTRY, VM_ENTRY_LOAD_IA32_EFER, "no load IA32_EFER on entry (VM-entry control bit 15)")))
			return why;
		c->guest_efer = r->kind == K_GUEST_EFER_RSVD ? c->guest_efer | EFER_RESERVED :
				r->kind == K_GUEST_EFER_LMA ? c->guest_efer & ~EFER_LMA :
				c->guest_efer & ~EFER_LME;
		return 0;
	}
	return "not a guest-register rule";
}

static const char *break_segments(const struct entry_rule *r, const struct entry_env *e,
				  struct vmcs_config *c)
{
	struct vmcs_seg *s = &c->guest_seg[r->arg], *cs = &c->guest_seg[SEG_CS], *ss = &c->guest_seg[SEG_SS];
	const char *why;

	switch (r->kind) {
	case K_TR_TI:
		c->guest_seg[SEG_TR].sel |= 4;
		return 0;
	case K_LDTR_TI:
		ldtr_usable(c);
		c->guest_seg[SEG_LDTR].sel |= 4;
		return 0;
	case K_SS_RPL:
		ss->sel |= 3;
		return 0;
	case K_SEG_NONCANON:
		if (r->arg == SEG_LDTR)
			ldtr_usable(c);
		s->base = NONCANON;
		return 0;
	case K_SEG_BASE_HIGH:
		s->base = 1ull << 32;
		return 0;
	case K_V86_BASE: case K_V86_LIMIT: case K_V86_AR:
		if ((why = v86(e, c)))
			return why;
		if (r->kind == K_V86_BASE)
			s->base += 0x10;
		else if (r->kind == K_V86_LIMIT)
			s->limit = 0xfffe;
		else
			s->ar = AR_V86 & ~1u;           /* not accessed */
		return 0;
	case K_CS_TYPE:
		set_type(cs, 1);                        /* read-only accessed data */
		return 0;
	case K_CS_DPL_TYPE3:
		if ((why = unrestricted(e, c)))
			return why;
		set_type(cs, 3);
		set_dpl(cs, 3);
		return 0;
	case K_CS_DPL_SS:
		set_dpl(cs, 3);
		return 0;
	case K_CS_DPL_CONFORMING:
		set_type(cs, 15);
		set_dpl(cs, 3);
		return 0;
	case K_SS_TYPE:
		set_type(ss, 1);                        /* read-only */
		return 0;
	case K_SS_DPL_RPL:
		cs->sel |= 3;                           /* the RPLs stay equal */
		ss->sel |= 3;
		return 0;
	case K_SS_DPL_TYPE3:
		if ((why = unrestricted(e, c)))
			return why;
		set_type(cs, 3);
		set_dpl(ss, 3);
		return 0;
	case K_SEG_ACCESSED:
		s->ar &= ~VMX_AR_TYPE_ACCESSES_MASK;
		return 0;
	case K_SEG_READABLE:
		set_type(s, 9);                         /* execute-only accessed code */
		return 0;
	case K_SEG_DPL_RPL:
		s->sel |= 3;
		return 0;
	}
	if (r->arg == SEG_LDTR)
		ldtr_usable(c);
	switch (r->kind) {
	case K_SEG_S:
		s->ar ^= VMX_AR_S_MASK;
		return 0;
	case K_SEG_P:
		s->ar &= ~VMX_AR_P_MASK;
		return 0;
	case K_SEG_RSVD_11_8:
		s->ar |= BIT(8);
		return 0;
	case K_SEG_G0:
		s->ar |= VMX_AR_G_MASK;
		s->limit &= ~0xfffu;
		return 0;
	case K_SEG_G1:
		s->ar &= ~VMX_AR_G_MASK;
		s->limit |= 0xfff00000u;
		return 0;
	case K_SEG_RSVD_31_17:
		s->ar |= BIT(17);
		return 0;
	case K_CS_L_DB:
		cs->ar |= VMX_AR_DB_MASK;
		return 0;
	case K_TR_UNUSABLE:
		c->guest_seg[SEG_TR].ar |= VMX_AR_UNUSABLE_MASK;
		return 0;
	case K_TR_TYPE_IA32E:
		set_type(&c->guest_seg[SEG_TR], VMX_AR_TYPE_BUSY_16_TSS);
		return 0;
	case K_TR_TYPE:
		if ((why = v86(e, c)))
			return why;
		set_type(&c->guest_seg[SEG_TR], 9);     /* an available TSS, not busy */
		return 0;
	case K_LDTR_TYPE:
		ldtr_usable(c);
		set_type(&c->guest_seg[SEG_LDTR], 3);
		return 0;
	}
	return "not a segment rule";
}

static const char *break_rest(const struct entry_rule *r, const struct entry_env *e,
			      struct vmcs_config *c)
{
	const char *why;

	switch (r->kind) {
	case K_GDTR_BASE:
		c->guest_gdtr_base = NONCANON;
		return 0;
	case K_IDTR_BASE:
		c->guest_idtr_base = NONCANON;
		return 0;
	case K_GDTR_LIMIT:
		c->guest_gdtr_limit |= 1u << 16;
		return 0;
	case K_IDTR_LIMIT:
		c->guest_idtr_limit |= 1u << 16;
		return 0;
	case K_RIP_HIGH:
		c->guest_seg[SEG_CS].ar &= ~VMX_AR_L_MASK;      /* compatibility mode */
		c->guest_rip |= 1ull << 32;
		return 0;
	case K_RIP_NONCANON:
		c->guest_rip = NONCANON;
		return 0;
	case K_RFLAGS_RSVD:
		c->guest_rflags |= BIT(3);
		return 0;
	case K_RFLAGS_BIT1:
		c->guest_rflags &= ~X86_EFLAGS_FIXED;
		return 0;
	case K_RFLAGS_VM:
		if ((why = v86(e, c)))
			return why;
		c->guest_cr0 &= ~X86_CR0_PE;
		return 0;
	case K_ACT_RANGE:
		c->activity = 4;
		return 0;
	case K_ACT_UNSUPPORTED:
		for (unsigned state = GUEST_ACTIVITY_HLT; state <= GUEST_ACTIVITY_WAIT_SIPI; state++)
			if (!activity_offered(e, state)) {
				c->activity = state;
				return 0;
			}
		return "IA32_VMX_MISC[8:6] offers every activity state (HLT, shutdown, wait-for-SIPI)";
	case K_ACT_HLT_DPL:
		if (!activity_offered(e, GUEST_ACTIVITY_HLT))
			return "no HLT activity state (IA32_VMX_MISC[6])";
		if ((why = unrestricted(e, c)))        /* SS DPL apart from its RPL */
			return why;
		set_type(&c->guest_seg[SEG_CS], 15);    /* conforming: DPL 0 below SS's */
		set_dpl(&c->guest_seg[SEG_SS], 3);
		c->activity = GUEST_ACTIVITY_HLT;
		return 0;
	case K_ACT_BLOCKING:
		if (!activity_offered(e, GUEST_ACTIVITY_HLT))
			return "no HLT activity state (IA32_VMX_MISC[6])";
		c->activity = GUEST_ACTIVITY_HLT;
		c->interruptibility = GUEST_INTR_STATE_MOV_SS;
		return 0;
	case K_INTR_RSVD:
		c->interruptibility = BIT(5);
		return 0;
	case K_INTR_STI_MOVSS:
		c->interruptibility = GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS;
		return 0;
	case K_INTR_STI_IF:
		c->guest_rflags &= ~RFLAGS_IF;
		c->interruptibility = GUEST_INTR_STATE_STI;
		return 0;
	case K_INTR_SMI:
		c->interruptibility = GUEST_INTR_STATE_SMI;
		return 0;
	case K_PENDING_DBG:
		c->pending_dbg |= BIT(4);
		return 0;
	case K_LINK_LOW:
		c->link_pointer = e->page | 0x800;
		return 0;
	case K_LINK_HIGH:
		if (e->phys_bits >= 52)
			return "no address beyond a 52-bit physical-address width";
		c->link_pointer = 1ull << e->phys_bits;
		return 0;
	}
	return "not a rule of this kind";
}

unsigned entry_expect_of(const struct vmcs_entry_verdict *v)
{
	unsigned expect = 0;

	if (v->control || v->host)
		return (v->control ? ENTRY_FAIL_CONTROL : 0) | (v->host ? ENTRY_FAIL_HOST : 0);
	for (unsigned q = 0; v->guest && q <= ENTRY_FAIL_GUEST_QUAL_MAX; q++)
		if (v->guest_quals & (1u << q))
			expect |= ENTRY_FAIL_GUEST_QUAL(q);
	return expect;
}

const char *entry_rule_prepare(unsigned i, const struct entry_env *e, struct vmcs_config *c,
			       unsigned *expect)
{
	const struct entry_rule *r = entry_rule(i);
	const char *why;

	*expect = 0;
	if (!r)
		return "no such rule";
	if (r->kind <= K_ENTRY_SMM)
		why = break_controls(r, e, c);
	else if (r->kind <= K_HOST_RIP)
		why = break_host(r, e, c);
	else if (r->kind <= K_GUEST_EFER_LME)
		why = break_guest_registers(r, e, c);
	else if (r->kind <= K_LDTR_TYPE)
		why = break_segments(r, e, c);
	else
		why = break_rest(r, e, c);
	if (why)
		return why;
	/* The oracle must name exactly this rule. */
	const char *named = vmcs_check(e->m, e->phys_bits, c);
	if (!named || (!str_eq(named, r->checker[0]) && (!r->checker[1] || !str_eq(named, r->checker[1]))))
		return entry_rule_checker_bug;
	struct vmcs_entry_verdict v = vmcs_check_classes(e->m, e->phys_bits, c);
	*expect = entry_expect_of(&v);
	return 0;
}
