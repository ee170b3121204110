/* SPDX-License-Identifier: MIT */
/*
 * MSR numbers, named as in Linux's asm/msr-index.h; SDM Vol. 4, "Model-Specific
 * Registers". Pure constants, usable from C (kernel and host tests) and assembly.
 */
#ifndef VMXPROBE_LIB_MSR_INDEX_H
#define VMXPROBE_LIB_MSR_INDEX_H

#include "lib/const.h"

#define MSR_EFER                0xc0000080
#define MSR_STAR                0xc0000081
#define MSR_LSTAR               0xc0000082
#define MSR_FS_BASE             0xc0000100
#define MSR_GS_BASE             0xc0000101

#define MSR_IA32_SYSENTER_CS            0x00000174
#define MSR_IA32_SYSENTER_ESP           0x00000175
#define MSR_IA32_SYSENTER_EIP           0x00000176
#define MSR_IA32_CR_PAT                 0x00000277

#define MSR_IA32_APICBASE               0x0000001b
#define MSR_IA32_APICBASE_EXTD          BIT(10)
#define MSR_IA32_APICBASE_ENABLE        BIT(11)

/* SDM name: IA32_FEATURE_CONTROL. */
#define MSR_IA32_FEAT_CTL                       0x0000003a
#define FEAT_CTL_LOCKED                         BIT(0)
#define FEAT_CTL_VMX_ENABLED_INSIDE_SMX         BIT(1)
#define FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX        BIT(2)

#define MSR_IA32_VMX_BASIC              0x00000480
#define MSR_IA32_VMX_PINBASED_CTLS      0x00000481
#define MSR_IA32_VMX_PROCBASED_CTLS     0x00000482
#define MSR_IA32_VMX_EXIT_CTLS          0x00000483
#define MSR_IA32_VMX_ENTRY_CTLS         0x00000484
#define MSR_IA32_VMX_MISC               0x00000485
#define MSR_IA32_VMX_CR0_FIXED0         0x00000486
#define MSR_IA32_VMX_CR0_FIXED1         0x00000487
#define MSR_IA32_VMX_CR4_FIXED0         0x00000488
#define MSR_IA32_VMX_CR4_FIXED1         0x00000489
#define MSR_IA32_VMX_VMCS_ENUM          0x0000048a
#define MSR_IA32_VMX_PROCBASED_CTLS2    0x0000048b
#define MSR_IA32_VMX_EPT_VPID_CAP       0x0000048c
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS  0x0000048d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x0000048e
#define MSR_IA32_VMX_TRUE_EXIT_CTLS      0x0000048f
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS     0x00000490
#define MSR_IA32_VMX_VMFUNC             0x00000491
#define MSR_IA32_VMX_PROCBASED_CTLS3    0x00000492

#endif
