/* SPDX-License-Identifier: MIT */
/*
 * VMCS field encodings, control bits, exit reasons: named as in Linux's
 * arch/x86/include/asm/vmx.h (enum vmcs_field, PIN_BASED_*, CPU_BASED_*,
 * SECONDARY_EXEC_*, VM_EXIT_*, VM_ENTRY_*) and uapi/asm/vmx.h (EXIT_REASON_*).
 * Intel SDM Vol. 3D, appendix B "Field Encoding in VMCS"; Vol. 3C, chapter
 * "Virtual Machine Control Structures" ("VM-Execution Control Fields", "VM-Exit
 * Control Fields", "VM-Entry Control Fields"); appendix C "VMX Basic Exit Reasons".
 * Pure constants.
 */
#ifndef VMXPROBE_LIB_VMCS_H
#define VMXPROBE_LIB_VMCS_H

#include "lib/const.h"

/* 16-bit fields. */
#define VIRTUAL_PROCESSOR_ID            0x00000000
#define GUEST_ES_SELECTOR               0x00000800
#define GUEST_CS_SELECTOR               0x00000802
#define GUEST_SS_SELECTOR               0x00000804
#define GUEST_DS_SELECTOR               0x00000806
#define GUEST_FS_SELECTOR               0x00000808
#define GUEST_GS_SELECTOR               0x0000080a
#define GUEST_LDTR_SELECTOR             0x0000080c
#define GUEST_TR_SELECTOR               0x0000080e
#define POSTED_INTR_NV                  0x00000002      /* posted-interrupt notification vector */
#define GUEST_INTR_STATUS               0x00000810      /* RVI in bits 7:0, SVI in 15:8 */
#define HOST_ES_SELECTOR                0x00000c00
#define HOST_CS_SELECTOR                0x00000c02
#define HOST_SS_SELECTOR                0x00000c04
#define HOST_DS_SELECTOR                0x00000c06
#define HOST_FS_SELECTOR                0x00000c08
#define HOST_GS_SELECTOR                0x00000c0a
#define HOST_TR_SELECTOR                0x00000c0c

/* 64-bit fields. */
#define IO_BITMAP_A                     0x00002000
#define IO_BITMAP_B                     0x00002002
#define MSR_BITMAP                      0x00002004
#define VM_EXIT_MSR_STORE_ADDR          0x00002006
#define VM_EXIT_MSR_LOAD_ADDR           0x00002008
#define VM_ENTRY_MSR_LOAD_ADDR          0x0000200a
#define TSC_OFFSET                      0x00002010
#define VIRTUAL_APIC_PAGE_ADDR          0x00002012
#define APIC_ACCESS_ADDR                0x00002014
#define POSTED_INTR_DESC_ADDR           0x00002016
#define EOI_EXIT_BITMAP0                0x0000201c      /* then 1, 2, 3: vectors 64n-64n+63 */
#define EOI_EXIT_BITMAP1                0x0000201e
#define EOI_EXIT_BITMAP2                0x00002020
#define EOI_EXIT_BITMAP3                0x00002022
#define EPT_POINTER                     0x0000201a
#define VMREAD_BITMAP                   0x00002026
#define VMWRITE_BITMAP                  0x00002028
#define GUEST_PHYSICAL_ADDRESS          0x00002400
#define VMCS_LINK_POINTER               0x00002800
#define GUEST_IA32_DEBUGCTL             0x00002802
#define GUEST_IA32_PAT                  0x00002804
#define GUEST_IA32_EFER                 0x00002806
#define HOST_IA32_PAT                   0x00002c00
#define HOST_IA32_EFER                  0x00002c02

/* 32-bit fields. */
#define PIN_BASED_VM_EXEC_CONTROL       0x00004000
#define CPU_BASED_VM_EXEC_CONTROL       0x00004002
#define EXCEPTION_BITMAP                0x00004004
#define PAGE_FAULT_ERROR_CODE_MASK      0x00004006
#define PAGE_FAULT_ERROR_CODE_MATCH     0x00004008
#define CR3_TARGET_COUNT                0x0000400a
#define VM_EXIT_CONTROLS                0x0000400c
#define VM_EXIT_MSR_STORE_COUNT         0x0000400e
#define VM_EXIT_MSR_LOAD_COUNT          0x00004010
#define VM_ENTRY_CONTROLS               0x00004012
#define VM_ENTRY_MSR_LOAD_COUNT         0x00004014
#define VM_ENTRY_INTR_INFO_FIELD        0x00004016
#define VM_ENTRY_EXCEPTION_ERROR_CODE   0x00004018
#define VM_ENTRY_INSTRUCTION_LEN        0x0000401a
#define TPR_THRESHOLD                   0x0000401c
#define SECONDARY_VM_EXEC_CONTROL       0x0000401e
#define VM_EXIT_REASON                  0x00004402
#define VM_EXIT_INTR_INFO               0x00004404
#define VM_EXIT_INTR_ERROR_CODE         0x00004406
#define IDT_VECTORING_INFO_FIELD        0x00004408
#define IDT_VECTORING_ERROR_CODE        0x0000440a
#define VM_EXIT_INSTRUCTION_LEN         0x0000440c
#define GUEST_ES_LIMIT                  0x00004800
#define GUEST_CS_LIMIT                  0x00004802
#define GUEST_SS_LIMIT                  0x00004804
#define GUEST_DS_LIMIT                  0x00004806
#define GUEST_FS_LIMIT                  0x00004808
#define GUEST_GS_LIMIT                  0x0000480a
#define GUEST_LDTR_LIMIT                0x0000480c
#define GUEST_TR_LIMIT                  0x0000480e
#define GUEST_GDTR_LIMIT                0x00004810
#define GUEST_IDTR_LIMIT                0x00004812
#define GUEST_ES_AR_BYTES               0x00004814
#define GUEST_CS_AR_BYTES               0x00004816
#define GUEST_SS_AR_BYTES               0x00004818
#define GUEST_DS_AR_BYTES               0x0000481a
#define GUEST_FS_AR_BYTES               0x0000481c
#define GUEST_GS_AR_BYTES               0x0000481e
#define GUEST_LDTR_AR_BYTES             0x00004820
#define GUEST_TR_AR_BYTES               0x00004822
#define GUEST_INTERRUPTIBILITY_INFO     0x00004824
#define GUEST_ACTIVITY_STATE            0x00004826
#define GUEST_SYSENTER_CS               0x0000482a
#define VMX_PREEMPTION_TIMER_VALUE      0x0000482e
#define HOST_IA32_SYSENTER_CS           0x00004c00

/* Natural-width fields. */
#define CR0_GUEST_HOST_MASK             0x00006000
#define CR4_GUEST_HOST_MASK             0x00006002
#define CR0_READ_SHADOW                 0x00006004
#define CR4_READ_SHADOW                 0x00006006
#define CR3_TARGET_VALUE0               0x00006008
#define EXIT_QUALIFICATION              0x00006400
#define GUEST_CR0                       0x00006800
#define GUEST_CR3                       0x00006802
#define GUEST_CR4                       0x00006804
#define GUEST_ES_BASE                   0x00006806
#define GUEST_CS_BASE                   0x00006808
#define GUEST_SS_BASE                   0x0000680a
#define GUEST_DS_BASE                   0x0000680c
#define GUEST_FS_BASE                   0x0000680e
#define GUEST_GS_BASE                   0x00006810
#define GUEST_LDTR_BASE                 0x00006812
#define GUEST_TR_BASE                   0x00006814
#define GUEST_GDTR_BASE                 0x00006816
#define GUEST_IDTR_BASE                 0x00006818
#define GUEST_DR7                       0x0000681a
#define GUEST_RSP                       0x0000681c
#define GUEST_RIP                       0x0000681e
#define GUEST_RFLAGS                    0x00006820
#define GUEST_PENDING_DBG_EXCEPTIONS    0x00006822
#define GUEST_SYSENTER_ESP              0x00006824
#define GUEST_SYSENTER_EIP              0x00006826
#define HOST_CR0                        0x00006c00
#define HOST_CR3                        0x00006c02
#define HOST_CR4                        0x00006c04
#define HOST_FS_BASE                    0x00006c06
#define HOST_GS_BASE                    0x00006c08
#define HOST_TR_BASE                    0x00006c0a
#define HOST_GDTR_BASE                  0x00006c0c
#define HOST_IDTR_BASE                  0x00006c0e
#define HOST_IA32_SYSENTER_ESP          0x00006c10
#define HOST_IA32_SYSENTER_EIP          0x00006c12
#define HOST_RSP                        0x00006c14
#define HOST_RIP                        0x00006c16

/* Pin-based VM-execution controls. */
#define PIN_BASED_EXT_INTR_MASK                 BIT(0)
#define PIN_BASED_NMI_EXITING                   BIT(3)
#define PIN_BASED_VIRTUAL_NMIS                  BIT(5)
#define PIN_BASED_VMX_PREEMPTION_TIMER          BIT(6)
#define PIN_BASED_POSTED_INTR                   BIT(7)

/* Primary processor-based VM-execution controls. */
#define CPU_BASED_INTR_WINDOW_EXITING           BIT(2)
#define CPU_BASED_HLT_EXITING                   BIT(7)
#define CPU_BASED_CR3_LOAD_EXITING              BIT(15)
#define CPU_BASED_CR3_STORE_EXITING             BIT(16)
#define CPU_BASED_TPR_SHADOW                    BIT(21)
#define CPU_BASED_NMI_WINDOW_EXITING            BIT(22)
#define CPU_BASED_UNCOND_IO_EXITING             BIT(24)
#define CPU_BASED_USE_IO_BITMAPS                BIT(25)
#define CPU_BASED_MONITOR_TRAP_FLAG             BIT(27)
#define CPU_BASED_USE_MSR_BITMAPS               BIT(28)
#define CPU_BASED_ACTIVATE_SECONDARY_CONTROLS   BIT(31)

/* Secondary processor-based VM-execution controls. */
#define SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES BIT(0)
#define SECONDARY_EXEC_ENABLE_EPT               BIT(1)
#define SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE   BIT(4)
#define SECONDARY_EXEC_ENABLE_VPID              BIT(5)
#define SECONDARY_EXEC_UNRESTRICTED_GUEST       BIT(7)
#define SECONDARY_EXEC_APIC_REGISTER_VIRT       BIT(8)
#define SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY    BIT(9)
#define SECONDARY_EXEC_SHADOW_VMCS              BIT(14)

/* VM-exit controls. */
#define VM_EXIT_SAVE_DEBUG_CONTROLS             BIT(2)
#define VM_EXIT_HOST_ADDR_SPACE_SIZE            BIT(9)
#define VM_EXIT_ACK_INTR_ON_EXIT                BIT(15)
#define VM_EXIT_SAVE_IA32_PAT                   BIT(18)
#define VM_EXIT_LOAD_IA32_PAT                   BIT(19)
#define VM_EXIT_SAVE_IA32_EFER                  BIT(20)
#define VM_EXIT_LOAD_IA32_EFER                  BIT(21)
#define VM_EXIT_SAVE_VMX_PREEMPTION_TIMER       BIT(22)

/* VM-entry controls. */
#define VM_ENTRY_LOAD_DEBUG_CONTROLS            BIT(2)
#define VM_ENTRY_IA32E_MODE                     BIT(9)
#define VM_ENTRY_SMM                            BIT(10)
#define VM_ENTRY_DEACT_DUAL_MONITOR             BIT(11)
#define VM_ENTRY_LOAD_IA32_PAT                  BIT(14)
#define VM_ENTRY_LOAD_IA32_EFER                 BIT(15)

/* Basic exit reasons (bits 15:0 of VM_EXIT_REASON); bit 31: VM-entry failure. */
#define EXIT_REASON_EXCEPTION_NMI               0
#define EXIT_REASON_EXTERNAL_INTERRUPT          1
#define EXIT_REASON_TRIPLE_FAULT                2
#define EXIT_REASON_INIT_SIGNAL                 3
#define EXIT_REASON_SIPI_SIGNAL                 4
#define EXIT_REASON_INTERRUPT_WINDOW            7
#define EXIT_REASON_NMI_WINDOW                  8
#define EXIT_REASON_CPUID                       10
#define EXIT_REASON_HLT                         12
#define EXIT_REASON_VMCALL                      18
#define EXIT_REASON_VMREAD                      23
#define EXIT_REASON_VMWRITE                     25
#define EXIT_REASON_INVALID_STATE               33
#define EXIT_REASON_MSR_LOAD_FAIL               34
#define EXIT_REASON_MCE_DURING_VMENTRY          41
#define EXIT_REASON_TPR_BELOW_THRESHOLD         43
#define EXIT_REASON_APIC_ACCESS                 44
#define EXIT_REASON_EOI_INDUCED                 45
#define EXIT_REASON_PREEMPTION_TIMER            52
#define EXIT_REASON_APIC_WRITE                  56
#define VMX_EXIT_REASONS_FAILED_VMENTRY         BIT(31)

/* The exit qualification of a VM-entry failure due to invalid guest state (exit
 * reason 33), SDM Vol. 3C "VM-Entry Failures During or After Loading Guest
 * State": "In most cases, the exit qualification is cleared to 0", else 2 "a
 * problem loading the PDPTEs", 3 "an attempt to inject a non-maskable interrupt
 * (NMI) into a guest that is blocking events through the STI blocking bit in the
 * interruptibility-state field", 4 "an invalid VMCS link pointer" (1 is not
 * used). Linux's enum vm_entry_failure_code (ENTRY_FAIL_DEFAULT, ENTRY_FAIL_PDPTE,
 * ENTRY_FAIL_NMI, ENTRY_FAIL_VMCS_LINK_PTR), renamed: ENTRY_FAIL_* are
 * lib/vmcs_entry_rules.h's expected outcomes. */
#define ENTRY_QUAL_DEFAULT                      0
#define ENTRY_QUAL_PDPTE                        2
#define ENTRY_QUAL_NMI                          3
#define ENTRY_QUAL_VMCS_LINK_PTR                4

/* VM-entry interruption-information field (SDM "VM-Entry Controls for Event Injection"). */
#define INTR_INFO_VALID_MASK                    BIT(31)
#define INTR_INFO_INTR_TYPE_MASK                0x700   /* bits 10:8 */
#define INTR_TYPE_NMI_INTR                      (2 << 8)
#define INTR_INFO_DELIVER_CODE_MASK             BIT(11)

/* Guest interruptibility state and activity state (SDM "Guest Non-Register State"). */
#define GUEST_INTR_STATE_STI                    BIT(0)
#define GUEST_INTR_STATE_MOV_SS                 BIT(1)
#define GUEST_INTR_STATE_SMI                    BIT(2)
#define GUEST_INTR_STATE_NMI                    BIT(3)
#define GUEST_INTR_STATE_ENCLAVE_INTR           BIT(4)
/* Pending debug exceptions (the guest-state field; the exit qualification of a
 * #DB exit has the same B3-B0, BD and BS bits): Linux's asm/debugreg.h DR_TRAP0
 * and DR_STEP, KVM's DR6_BS; bit 12 "enabled breakpoint" is this field's own. */
#define DR_TRAP0                                BIT(0)
#define DR6_BS                                  BIT(14)
#define PENDING_DBG_ENABLED_BP                  BIT(12)
#define GUEST_ACTIVITY_ACTIVE                   0
#define GUEST_ACTIVITY_HLT                      1
#define GUEST_ACTIVITY_SHUTDOWN                 2
#define GUEST_ACTIVITY_WAIT_SIPI                3

/* IA32_VMX_MISC (SDM Vol. 3D, appendix A.6 "Miscellaneous Data"). */
#define VMX_MISC_ACTIVITY_HLT                   BIT(6)  /* then SHUTDOWN BIT(7), WAIT_SIPI BIT(8) */
#define VMX_MISC_ACTIVITY_WAIT_SIPI             BIT(8)
#define VMX_MISC_CR3_COUNT_SHIFT                16      /* bits 24:16: CR3-target values supported */
#define VMX_MISC_CR3_COUNT_MASK                 0x1ff

/* Segment access rights as the VMCS holds them ("Guest Register State"):
 * the descriptor's bits 47:40 and 55:52 as bits 7:0 and 15:12; bit 16 unusable. */
#define VMX_AR_TYPE_ACCESSES_MASK               BIT(0)
#define VMX_AR_TYPE_READABLE_MASK               BIT(1)
#define VMX_AR_TYPE_WRITEABLE_MASK              BIT(2)
#define VMX_AR_TYPE_CODE_MASK                   BIT(3)
#define VMX_AR_TYPE_MASK                        0x0f
#define VMX_AR_TYPE_BUSY_64_TSS                 11
#define VMX_AR_TYPE_BUSY_32_TSS                 11
#define VMX_AR_TYPE_BUSY_16_TSS                 3
#define VMX_AR_TYPE_LDT                         2
#define VMX_AR_S_MASK                           BIT(4)
#define VMX_AR_DPL_SHIFT                        5
#define VMX_AR_DPL(ar)                          (((ar) >> VMX_AR_DPL_SHIFT) & 3)
#define VMX_AR_P_MASK                           BIT(7)
#define VMX_AR_L_MASK                           BIT(13)
#define VMX_AR_DB_MASK                          BIT(14)
#define VMX_AR_G_MASK                           BIT(15)
#define VMX_AR_UNUSABLE_MASK                    BIT(16)
#define VMX_AR_RESERVD_MASK                     0xfffe0f00      /* bits 31:17 and 11:8 */

/* EPT (SDM Vol. 3C, "EPT Translation Mechanism", "Extended-Page-Table Pointer
 * (EPTP)"; Vol. 3D appendix A.10 "VPID and EPT Capabilities"), Linux's names. */
#define VMX_EPT_READABLE_MASK                   0x1ull
#define VMX_EPT_WRITABLE_MASK                   0x2ull
#define VMX_EPT_EXECUTABLE_MASK                 0x4ull
#define VMX_EPT_RWX_MASK                        0x7ull
#define VMX_EPT_MT_EPTE_SHIFT                   3       /* memory type of a leaf entry */
#define VMX_EPT_IPAT_BIT                        BIT(6)
#define VMX_EPT_LARGE_PAGE                      BIT(7)  /* a 1 GiB or 2 MiB leaf */
#define VMX_EPT_ACCESSED_BIT                    BIT(8)  /* with EPTP bit 6 */
#define VMX_EPT_DIRTY_BIT                       BIT(9)  /* of a leaf, with EPTP bit 6 */
#define VMX_EPTP_AD_ENABLE_BIT                  BIT(6)
#define VMX_EPTP_MT_WB                          0x6ull
#define VMX_EPTP_MT_UC                          0x0ull
#define VMX_EPTP_PWL_4                          0x18ull /* page-walk length 4, minus 1, in 5:3 */
#define MTRR_TYPE_UNCACHABLE                    0       /* EPT memory types (bits 5:3 of a leaf) */
#define MTRR_TYPE_WRBACK                        6
/* IA32_VMX_EPT_VPID_CAP bits. */
#define VMX_EPT_EXECUTE_ONLY_BIT                BIT(0)
#define VMX_EPT_PAGE_WALK_4_BIT                 BIT(6)
#define VMX_EPT_PAGE_WALK_5_BIT                 BIT(7)
#define VMX_EPTP_UC_BIT                         BIT(8)
#define VMX_EPTP_WB_BIT                         BIT(14)
#define VMX_EPT_2MB_PAGE_BIT                    BIT(16)
#define VMX_EPT_1GB_PAGE_BIT                    BIT(17)
#define VMX_EPT_INVEPT_BIT                      BIT(20)
#define VMX_EPT_AD_BIT                          BIT(21)
#define VMX_EPT_EXTENT_CONTEXT_BIT              BIT(25)
#define VMX_EPT_EXTENT_GLOBAL_BIT               BIT(26)
#define VMX_VPID_INVVPID_BIT                    BIT(32)
#define VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT     BIT(40)
#define VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT      BIT(41)
#define VMX_VPID_EXTENT_ALL_CONTEXT_BIT         BIT(42)
/* INVEPT and INVVPID types. */
#define VMX_EPT_EXTENT_CONTEXT                  1
#define VMX_EPT_EXTENT_GLOBAL                   2
#define VMX_VPID_EXTENT_INDIVIDUAL_ADDR         0
#define VMX_VPID_EXTENT_SINGLE_CONTEXT          1
#define VMX_VPID_EXTENT_ALL_CONTEXT             2
#define EXIT_REASON_EPT_VIOLATION               48
#define EXIT_REASON_EPT_MISCONFIG               49

/* "Basic VM-Exit Information", "VM-Exit Interruption Information": an exit
 * for an NMI that arrived while the guest ran (with NMI exiting): basic reason
 * 0, information valid with type NMI. The host counts it and resumes. */
#ifndef __ASSEMBLER__
static inline int vmx_exit_is_nmi(unsigned reason, unsigned info)
{
	return reason == EXIT_REASON_EXCEPTION_NMI && (info & INTR_INFO_VALID_MASK) &&
	       (info & INTR_INFO_INTR_TYPE_MASK) == INTR_TYPE_NMI_INTR;
}
#endif

#endif
