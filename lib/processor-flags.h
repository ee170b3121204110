/* SPDX-License-Identifier: MIT */
/*
 * Control-register and EFER bits, named as in Linux's asm/processor-flags.h and
 * msr-index.h. SDM Vol. 3A, section "Control Registers"; Vol. 4, IA32_EFER.
 */
#ifndef VMXPROBE_LIB_PROCESSOR_FLAGS_H
#define VMXPROBE_LIB_PROCESSOR_FLAGS_H

#include "lib/const.h"

#define X86_CR0_PE_BIT          0
#define X86_CR0_PE              BIT(X86_CR0_PE_BIT)
#define X86_CR0_TS_BIT          3
#define X86_CR0_TS              BIT(X86_CR0_TS_BIT)
#define X86_CR0_NE_BIT          5
#define X86_CR0_NE              BIT(X86_CR0_NE_BIT)
#define X86_CR0_NW_BIT          29
#define X86_CR0_NW              BIT(X86_CR0_NW_BIT)
#define X86_CR0_CD_BIT          30
#define X86_CR0_CD              BIT(X86_CR0_CD_BIT)
#define X86_CR0_PG_BIT          31
#define X86_CR0_PG              BIT(X86_CR0_PG_BIT)

#define X86_CR4_TSD_BIT         2
#define X86_CR4_TSD             BIT(X86_CR4_TSD_BIT)
#define X86_CR4_PAE_BIT         5
#define X86_CR4_PAE             BIT(X86_CR4_PAE_BIT)
#define X86_CR4_LA57_BIT        12
#define X86_CR4_LA57            BIT(X86_CR4_LA57_BIT)
#define X86_CR4_VMXE_BIT        13
#define X86_CR4_VMXE            BIT(X86_CR4_VMXE_BIT)

#define X86_EFLAGS_FIXED_BIT    1       /* reserved, always 1 */
#define X86_EFLAGS_FIXED        BIT(X86_EFLAGS_FIXED_BIT)
#define X86_EFLAGS_CF_BIT       0
#define X86_EFLAGS_CF           BIT(X86_EFLAGS_CF_BIT)
#define X86_EFLAGS_ZF_BIT       6
#define X86_EFLAGS_ZF           BIT(X86_EFLAGS_ZF_BIT)
#define X86_EFLAGS_TF_BIT       8       /* trap flag (single-step) */
#define X86_EFLAGS_TF           BIT(X86_EFLAGS_TF_BIT)
#define X86_EFLAGS_IF_BIT       9       /* interrupt flag */
#define X86_EFLAGS_IF           BIT(X86_EFLAGS_IF_BIT)
#define X86_EFLAGS_ID_BIT       21
#define X86_EFLAGS_ID           BIT(X86_EFLAGS_ID_BIT)

#define EFER_LME_BIT            8
#define EFER_LME                BIT(EFER_LME_BIT)
#define EFER_LMA_BIT            10
#define EFER_LMA                BIT(EFER_LMA_BIT)
#define EFER_NX_BIT             11
#define EFER_NX                 BIT(EFER_NX_BIT)

/* Page-table entry bits: SDM Vol. 3A, "Paging", "Format of a PDE that maps a 2-MByte page". */
#define _PAGE_PRESENT           BIT(0)
#define _PAGE_RW                BIT(1)
#define _PAGE_USER              BIT(2)
#define _PAGE_PWT               BIT(3)
#define _PAGE_PCD               BIT(4)
#define _PAGE_PSE               BIT(7)

#endif
