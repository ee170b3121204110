/* SPDX-License-Identifier: MIT */
/*
 * The VMCB (virtual machine control block): AMD64 APM Vol. 2, appendix B
 * "Layout of VMCB" (table B-1 "VMCB Layout, Control Area", table B-2 "VMCB
 * Layout, State Save Area"), with the fields vmxprobe uses named as Linux's
 * asm/svm.h names them (struct vmcb_control_area, struct vmcb_save_area). One
 * 4 KiB page: the control area at 0, the state save area at 0x400.
 */
#ifndef VMXPROBE_LIB_VMCB_H
#define VMXPROBE_LIB_VMCB_H

#include <stddef.h>
#include <stdint.h>

/* Intercept vector 3 (offset 0x0c) and 4 (0x10) bits, table B-1 (Linux: INTERCEPT_*). */
#define SVM_INTERCEPT_INTR              0
#define SVM_INTERCEPT_NMI               1
#define SVM_INTERCEPT_SELECTIVE_CR0     5
#define SVM_INTERCEPT_STORE_IDTR        6
#define SVM_INTERCEPT_STORE_GDTR        7
#define SVM_INTERCEPT_RDTSC             14
#define SVM_INTERCEPT_RDPMC             15
#define SVM_INTERCEPT_PUSHF             16
#define SVM_INTERCEPT_POPF              17
#define SVM_INTERCEPT_CPUID             18
#define SVM_INTERCEPT_INTN              21
#define SVM_INTERCEPT_INVD              22
#define SVM_INTERCEPT_PAUSE             23
#define SVM_INTERCEPT_HLT               24
#define SVM_INTERCEPT_INVLPG            25
#define SVM_INTERCEPT_IOIO_PROT         27
#define SVM_INTERCEPT_MSR_PROT          28
#define SVM_INTERCEPT_SHUTDOWN          31
#define SVM_INTERCEPT_VMRUN             0       /* vector 4 */
#define SVM_INTERCEPT_VMMCALL           1       /* vector 4 */
#define SVM_INTERCEPT_VMLOAD            2       /* vector 4 */
#define SVM_INTERCEPT_VMSAVE            3       /* vector 4 */
#define SVM_INTERCEPT_STGI              4       /* vector 4 */
#define SVM_INTERCEPT_CLGI              5       /* vector 4 */
#define SVM_INTERCEPT_RDTSCP            7       /* vector 4 */
#define SVM_INTERCEPT_WBINVD            9       /* vector 4 */
/* intercept_cr (offset 0): reads of CRn at bit n, writes at bit 16 + n. */
#define SVM_INTERCEPT_CR3_READ          3
#define SVM_INTERCEPT_CR0_WRITE         16
#define SVM_INTERCEPT_CR4_WRITE         20
/* intercept_dr (offset 4): reads of DRn at bit n, writes at bit 16 + n. */
#define SVM_INTERCEPT_DR7_READ          7
#define SVM_INTERCEPT_DR7_WRITE         23

/* TLB_CONTROL (offset 0x5c), "TLB Control". */
#define TLB_CONTROL_DO_NOTHING          0
#define TLB_CONTROL_FLUSH_ALL_ASID      1
#define TLB_CONTROL_FLUSH_ASID          3       /* this guest's entries: FlushByAsid */

/* VINTR control (offset 0x60), "Virtual Interrupt Control" and "Virtual GIF"
 * (Linux: V_GIF_MASK, V_GIF_ENABLE_MASK). */
#define V_GIF_SHIFT                     9
#define V_GIF_MASK                      (1u << V_GIF_SHIFT)
#define V_INTR_MASKING_MASK             (1u << 24)
#define V_GIF_ENABLE_MASK               (1u << 25)

/* EVENTINJ (offset 0xa8), "Event Injection": vector, type, EV, V. */
#define SVM_EVTINJ_VEC_MASK             0xffULL
#define SVM_EVTINJ_TYPE_SHIFT           8
#define SVM_EVTINJ_TYPE_MASK            (7ULL << SVM_EVTINJ_TYPE_SHIFT)
#define SVM_EVTINJ_TYPE_INTR            (0ULL << SVM_EVTINJ_TYPE_SHIFT)
#define SVM_EVTINJ_TYPE_NMI             (2ULL << SVM_EVTINJ_TYPE_SHIFT)
#define SVM_EVTINJ_TYPE_EXEPT           (3ULL << SVM_EVTINJ_TYPE_SHIFT)
#define SVM_EVTINJ_TYPE_SOFT            (4ULL << SVM_EVTINJ_TYPE_SHIFT)
#define SVM_EVTINJ_VALID_ERR            (1ULL << 11)
#define SVM_EVTINJ_VALID                (1ULL << 31)

/* Exit codes, appendix C "SVM Intercept Exit Codes" (Linux: SVM_EXIT_*). */
#define SVM_EXIT_READ_CR3               0x003
#define SVM_EXIT_WRITE_CR0              0x010
#define SVM_EXIT_WRITE_CR4              0x014
#define SVM_EXIT_READ_DR7               0x027
#define SVM_EXIT_WRITE_DR7              0x037
#define SVM_EXIT_EXCP_BASE              0x040
#define SVM_EXIT_CR0_SEL_WRITE          0x065
#define SVM_EXIT_IDTR_READ              0x066
#define SVM_EXIT_GDTR_READ              0x067
#define SVM_EXIT_RDTSC                  0x06e
#define SVM_EXIT_RDPMC                  0x06f
#define SVM_EXIT_PUSHF                  0x070
#define SVM_EXIT_POPF                   0x071
#define SVM_EXIT_SWINT                  0x075
#define SVM_EXIT_INVD                   0x076
#define SVM_EXIT_PAUSE                  0x077
#define SVM_EXIT_INTR                   0x060
#define SVM_EXIT_NMI                    0x061
#define SVM_EXIT_CPUID                  0x072
#define SVM_EXIT_HLT                    0x078
#define SVM_EXIT_INVLPG                 0x079
#define SVM_EXIT_IOIO                   0x07b
#define SVM_EXIT_MSR                    0x07c
#define SVM_EXIT_SHUTDOWN               0x07f
#define SVM_EXIT_VMRUN                  0x080
#define SVM_EXIT_VMMCALL                0x081
#define SVM_EXIT_VMLOAD                 0x082
#define SVM_EXIT_VMSAVE                 0x083
#define SVM_EXIT_STGI                   0x084
#define SVM_EXIT_CLGI                   0x085
#define SVM_EXIT_RDTSCP                 0x087
#define SVM_EXIT_WBINVD                 0x089
#define SVM_EXIT_NPF                    0x400
/* VMEXIT_INVALID: -1 as a 64-bit value; some (QEMU's TCG, older nested KVM)
 * write only the low half, 0x00000000ffffffff: both mean "invalid VMCB". */
#define SVM_EXIT_ERR                    (~0ULL)
#define SVM_EXIT_ERR_LOW32              0xffffffffULL

/* Segment attributes in the VMCB ("Segment State in the VMCB"): descriptor bits
 * 47:40 in attrib[7:0] and bits 55:52 in attrib[11:8]. */
#define SVM_SELECTOR_TYPE_MASK          0x00f
#define SVM_SELECTOR_S_MASK             (1 << 4)
#define SVM_SELECTOR_DPL_SHIFT          5
#define SVM_SELECTOR_P_MASK             (1 << 7)
#define SVM_SELECTOR_AVL_MASK           (1 << 8)
#define SVM_SELECTOR_L_MASK             (1 << 9)
#define SVM_SELECTOR_DB_MASK            (1 << 10)
#define SVM_SELECTOR_G_MASK             (1 << 11)

struct vmcb_seg {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
};

struct vmcb_control_area {
	uint32_t intercept_cr;          /* 0x000: CR reads 15:0, CR writes 31:16 */
	uint32_t intercept_dr;          /* 0x004 */
	uint32_t intercept_exceptions;  /* 0x008 */
	uint32_t intercept_misc3;       /* 0x00c: vector 3 (INTR ... SHUTDOWN) */
	uint32_t intercept_misc4;       /* 0x010: vector 4 (VMRUN, VMMCALL, ...) */
	uint32_t intercept_misc5;       /* 0x014 */
	uint8_t reserved_1[0x03c - 0x018];
	uint16_t pause_filter_thresh;   /* 0x03c */
	uint16_t pause_filter_count;    /* 0x03e */
	uint64_t iopm_base_pa;          /* 0x040 */
	uint64_t msrpm_base_pa;         /* 0x048 */
	uint64_t tsc_offset;            /* 0x050 */
	uint32_t asid;                  /* 0x058 */
	uint8_t tlb_ctl;                /* 0x05c */
	uint8_t reserved_2[3];
	uint32_t int_ctl;               /* 0x060: V_TPR, V_IRQ, V_GIF, V_INTR_MASKING, ... */
	uint32_t int_vector;            /* 0x064 */
	uint32_t int_state;             /* 0x068: interrupt shadow */
	uint8_t reserved_3[4];
	uint64_t exit_code;             /* 0x070 */
	uint64_t exit_info_1;           /* 0x078 */
	uint64_t exit_info_2;           /* 0x080 */
	uint64_t exit_int_info;         /* 0x088 */
	uint64_t nested_ctl;            /* 0x090: bit 0 NP_ENABLE */
	uint64_t avic_vapic_bar;        /* 0x098 */
	uint64_t ghcb_gpa;              /* 0x0a0 */
	uint64_t event_inj;             /* 0x0a8 */
	uint64_t nested_cr3;            /* 0x0b0 */
	uint64_t virt_ext;              /* 0x0b8: LBR virtualization, virtual VMSAVE/VMLOAD */
	uint32_t clean;                 /* 0x0c0: VMCB clean bits */
	uint32_t reserved_5;
	uint64_t next_rip;              /* 0x0c8: nRIP, where NRIP save is offered */
	uint8_t insn_len;               /* 0x0d0 */
	uint8_t insn_bytes[15];
	uint8_t reserved_6[0x400 - 0x0e0];
};

struct vmcb_save_area {
	struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;   /* 0x000-0x09f */
	uint8_t reserved_0xa0[0xcb - 0xa0];
	uint8_t cpl;                    /* 0x0cb */
	uint8_t reserved_0xcc[4];
	uint64_t efer;                  /* 0x0d0 */
	uint8_t reserved_0xd8[0x148 - 0xd8];
	uint64_t cr4;                   /* 0x148 */
	uint64_t cr3;                   /* 0x150 */
	uint64_t cr0;                   /* 0x158 */
	uint64_t dr7;                   /* 0x160 */
	uint64_t dr6;                   /* 0x168 */
	uint64_t rflags;                /* 0x170 */
	uint64_t rip;                   /* 0x178 */
	uint8_t reserved_0x180[0x1d8 - 0x180];
	uint64_t rsp;                   /* 0x1d8 */
	uint64_t s_cet, ssp, isst_addr; /* 0x1e0 */
	uint64_t rax;                   /* 0x1f8 */
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base;    /* 0x200 */
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;       /* 0x228 */
	uint64_t cr2;                   /* 0x240 */
	uint8_t reserved_0x248[0x268 - 0x248];
	uint64_t g_pat;                 /* 0x268 */
	uint64_t dbgctl;                /* 0x270 */
	uint8_t reserved_rest[0xc00 - 0x278];
};

struct vmcb {
	struct vmcb_control_area control;
	struct vmcb_save_area save;
};

_Static_assert(offsetof(struct vmcb_control_area, iopm_base_pa) == 0x040, "vmcb iopm");
_Static_assert(offsetof(struct vmcb_control_area, asid) == 0x058, "vmcb asid");
_Static_assert(offsetof(struct vmcb_control_area, exit_code) == 0x070, "vmcb exit_code");
_Static_assert(offsetof(struct vmcb_control_area, event_inj) == 0x0a8, "vmcb event_inj");
_Static_assert(offsetof(struct vmcb_control_area, next_rip) == 0x0c8, "vmcb next_rip");
_Static_assert(sizeof(struct vmcb_control_area) == 0x400, "vmcb control area");
_Static_assert(offsetof(struct vmcb_save_area, cpl) == 0x0cb, "vmcb cpl");
_Static_assert(offsetof(struct vmcb_save_area, efer) == 0x0d0, "vmcb efer");
_Static_assert(offsetof(struct vmcb_save_area, cr4) == 0x148, "vmcb cr4");
_Static_assert(offsetof(struct vmcb_save_area, rip) == 0x178, "vmcb rip");
_Static_assert(offsetof(struct vmcb_save_area, rsp) == 0x1d8, "vmcb rsp");
_Static_assert(offsetof(struct vmcb_save_area, rax) == 0x1f8, "vmcb rax");
_Static_assert(offsetof(struct vmcb_save_area, cr2) == 0x240, "vmcb cr2");
_Static_assert(offsetof(struct vmcb_save_area, g_pat) == 0x268, "vmcb g_pat");
_Static_assert(sizeof(struct vmcb) == 4096, "vmcb is one page");

#endif
