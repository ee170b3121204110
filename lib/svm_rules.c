/* SPDX-License-Identifier: MIT */
/* The SVM conformance rules: see svm_rules.h. */
#include "lib/svm_rules.h"

#include "lib/fmt.h"
#include "lib/npt.h"
#include "lib/vmcb.h"

/* The #NPF error code (EXITINFO1) bits: "Nested Page Faults", as the page-fault
 * error code: P, RW, US (always 1: nested accesses are user accesses), RSV, ID. */
#define NPF_P   1
#define NPF_RW  2
#define NPF_US  4
#define NPF_RSV 8
#define NPF_ID  16
#define NPF_MASK 0x1f

static const struct svm_rule extra[SR_RULES - SR_EXITCODE_64] = {
	[SR_EXITCODE_64 - SR_EXITCODE_64] = { "exitcode-invalid-64",
		"VMEXIT_INVALID: EXITCODE -1 (appendix C: a 64-bit field; -1 is FFFF_FFFF_FFFF_FFFFh)",
		SR_EXPECT_EXIT64, 0 },
	[SR_VMRUN_UNALIGNED - SR_EXITCODE_64] = { "vmrun-unaligned",
		"VMRUN: #GP if rAX is not aligned on a 4-Kbyte boundary", SR_EXPECT_GP, 0 },
	[SR_VMRUN_BEYOND - SR_EXITCODE_64] = { "vmrun-beyond-maxphyaddr",
		"VMRUN: #GP if rAX references a physical address beyond the maximum supported", SR_EXPECT_GP, 0 },
	[SR_VMRUN_NO_SVME - SR_EXITCODE_64] = { "vmrun-no-svme",
		"VMRUN: #UD if EFER.SVME is 0", SR_EXPECT_UD, 0 },
	[SR_UD_INTERCEPT - SR_EXITCODE_64] = { "intercept-ud",
		"Exception intercepts: a #UD with its intercept bit set causes #VMEXIT with EXITCODE 40h + 6",
		SR_EXPECT_EXIT, SVM_EXIT_EXCP_BASE + 6, .stub = STUB_UD },
	[SR_BP_INTERCEPT - SR_EXITCODE_64] = { "intercept-bp",
		"Exception intercepts: INT3 (#BP) with its intercept bit set causes #VMEXIT with EXITCODE 40h + 3",
		SR_EXPECT_EXIT, SVM_EXIT_EXCP_BASE + 3, .stub = STUB_BP },
	[SR_NRIP - SR_EXITCODE_64] = { "nrip-save",
		"NRIP save: on an intercepted CPUID, nRIP holds the address of the next sequential instruction",
		SR_EXPECT_NRIP, SVM_EXIT_CPUID, .stub = STUB_CPUID, .need = NEED_NRIPS },
	[SR_RDTSC_INTERCEPT - SR_EXITCODE_64] = { "intercept-rdtsc",
		"Instruction intercepts: RDTSC with its intercept set causes #VMEXIT (EXITCODE 6Eh)",
		SR_EXPECT_EXIT, SVM_EXIT_RDTSC, .stub = STUB_RDTSC, .misc3 = 1u << SVM_INTERCEPT_RDTSC },
	[SR_PAUSE_INTERCEPT - SR_EXITCODE_64] = { "intercept-pause",
		"Instruction intercepts: PAUSE with its intercept set (pause filter count 0) causes #VMEXIT (EXITCODE 77h)",
		SR_EXPECT_EXIT, SVM_EXIT_PAUSE, .stub = STUB_PAUSE, .misc3 = 1u << SVM_INTERCEPT_PAUSE },
	[SR_CR0_WRITE_INTERCEPT - SR_EXITCODE_64] = { "intercept-cr0-write",
		"CR intercepts: a MOV to CR0 with the CR0 write intercept set causes #VMEXIT (EXITCODE 10h)",
		SR_EXPECT_EXIT, SVM_EXIT_WRITE_CR0, .stub = STUB_CR0_WRITE, .cr = 1u << SVM_INTERCEPT_CR0_WRITE },
	[SR_CR3_READ_INTERCEPT - SR_EXITCODE_64] = { "intercept-cr3-read",
		"CR intercepts: a MOV from CR3 with the CR3 read intercept set causes #VMEXIT (EXITCODE 03h)",
		SR_EXPECT_EXIT, SVM_EXIT_READ_CR3, .stub = STUB_CR3_READ, .cr = 1u << SVM_INTERCEPT_CR3_READ },
	[SR_CR0_SELECTIVE_WRITE - SR_EXITCODE_64] = { "intercept-cr0-selective",
		"Selective CR0 write intercept: a MOV to CR0 that changes a bit other than TS and MP causes #VMEXIT (EXITCODE 65h)",
		SR_EXPECT_EXIT, SVM_EXIT_CR0_SEL_WRITE, .stub = STUB_CR0_CD,
		.misc3 = 1u << SVM_INTERCEPT_SELECTIVE_CR0 },
	[SR_MSRPM_READ - SR_EXITCODE_64] = { "msrpm-read",
		"MSR intercepts: RDMSR of an MSR whose read bit is set in the MSRPM causes #VMEXIT (EXITCODE 7Ch, EXITINFO1 0)",
		SR_EXPECT_EXIT, SVM_EXIT_MSR, .stub = STUB_RDMSR, .msr_prot = true,
		.rcx = SR_MSR_READ_MARKED, .info1 = 0, .info1_mask = 1 },
	[SR_MSRPM_WRITE - SR_EXITCODE_64] = { "msrpm-write",
		"MSR intercepts: WRMSR of an MSR whose write bit is set in the MSRPM causes #VMEXIT (EXITCODE 7Ch, EXITINFO1 1)",
		SR_EXPECT_EXIT, SVM_EXIT_MSR, .stub = STUB_WRMSR, .msr_prot = true,
		.rcx = SR_MSR_WRITE_MARKED, .info1 = 1, .info1_mask = 1 },
	[SR_MSRPM_CLEAR - SR_EXITCODE_64] = { "msrpm-clear",
		"MSR intercepts: RDMSR of an MSR whose bits are clear in the MSRPM runs in the guest (here: then HLT, EXITCODE 78h)",
		SR_EXPECT_EXIT, SVM_EXIT_HLT, .stub = STUB_RDMSR, .msr_prot = true, .rcx = SR_MSR_PASSED },
	[SR_IOPM_OUT - SR_EXITCODE_64] = { "iopm-out",
		"IOIO intercepts: OUT to a port whose IOPM bit is set causes #VMEXIT (EXITCODE 7Bh, EXITINFO1 TYPE 0 and the port in bits 31:16)",
		SR_EXPECT_EXIT, SVM_EXIT_IOIO, .stub = STUB_OUT, .io_prot = true,
		.info1 = (uint64_t)SR_PORT_INTERCEPTED << 16, .info1_mask = 0xffff0001 },
	[SR_IOPM_IN - SR_EXITCODE_64] = { "iopm-in",
		"IOIO intercepts: IN from a port whose IOPM bit is set causes #VMEXIT (EXITCODE 7Bh, EXITINFO1 TYPE 1)",
		SR_EXPECT_EXIT, SVM_EXIT_IOIO, .stub = STUB_IN, .io_prot = true,
		.info1 = ((uint64_t)SR_PORT_INTERCEPTED << 16) | 1, .info1_mask = 0xffff0001 },
	[SR_VMLOAD_INTERCEPT - SR_EXITCODE_64] = { "intercept-vmload",
		"Instruction intercepts: VMLOAD with its intercept set causes #VMEXIT (EXITCODE 82h)",
		SR_EXPECT_EXIT, SVM_EXIT_VMLOAD, .stub = STUB_VMLOAD, .misc4 = 1u << SVM_INTERCEPT_VMLOAD },
	[SR_VMSAVE_INTERCEPT - SR_EXITCODE_64] = { "intercept-vmsave",
		"Instruction intercepts: VMSAVE with its intercept set causes #VMEXIT (EXITCODE 83h)",
		SR_EXPECT_EXIT, SVM_EXIT_VMSAVE, .stub = STUB_VMSAVE, .misc4 = 1u << SVM_INTERCEPT_VMSAVE },
	[SR_STGI_INTERCEPT - SR_EXITCODE_64] = { "intercept-stgi",
		"Instruction intercepts: STGI with its intercept set causes #VMEXIT (EXITCODE 84h)",
		SR_EXPECT_EXIT, SVM_EXIT_STGI, .stub = STUB_STGI, .misc4 = 1u << SVM_INTERCEPT_STGI },
	[SR_CLGI_INTERCEPT - SR_EXITCODE_64] = { "intercept-clgi",
		"Instruction intercepts: CLGI with its intercept set causes #VMEXIT (EXITCODE 85h)",
		SR_EXPECT_EXIT, SVM_EXIT_CLGI, .stub = STUB_CLGI, .misc4 = 1u << SVM_INTERCEPT_CLGI },
	[SR_VMMCALL_UD - SR_EXITCODE_64] = { "vmmcall-ud",
		"VMMCALL: #UD when the VMMCALL intercept is clear (here intercepted: EXITCODE 46h)",
		SR_EXPECT_EXIT, SVM_EXIT_EXCP_BASE + 6, .stub = STUB_VMMCALL,
		.misc4 = 1u << SVM_INTERCEPT_VMMCALL },
	[SR_EVENTINJ_RUNS - SR_EXITCODE_64] = { "eventinj-delivered",
		"Event injection: an injected exception (#UD) is delivered through the guest's IDT and is not subject to exception intercepts (here vector 6's handler, a HLT: EXITCODE 78h)",
		SR_EXPECT_EVENT, SVM_EXIT_HLT, .stub = STUB_HLT,
		.event = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXEPT | 6, .vector = 6 },
	[SR_NPF_NOT_PRESENT - SR_EXITCODE_64] = { "npf-not-present",
		"Nested paging: a read of a guest-physical page that is not present in the nested tables causes #NPF (EXITCODE 400h), EXITINFO1 P=0 US=1, EXITINFO2 the address",
		SR_EXPECT_EXIT, SVM_EXIT_NPF, .stub = STUB_LOAD, .rdi = NPT_GPA_NOT_PRESENT, .npt = true,
		.info1 = NPF_US, .info1_mask = NPF_MASK, .check_info2 = true, .info2 = NPT_GPA_NOT_PRESENT },
	[SR_NPF_READ_ONLY - SR_EXITCODE_64] = { "npf-read-only",
		"Nested paging: a write to a page the nested tables map read-only causes #NPF, EXITINFO1 P=1 RW=1 US=1",
		SR_EXPECT_EXIT, SVM_EXIT_NPF, .stub = STUB_STORE, .rdi = NPT_GPA_READ_ONLY, .npt = true,
		.info1 = NPF_P | NPF_RW | NPF_US, .info1_mask = NPF_MASK, .check_info2 = true,
		.info2 = NPT_GPA_READ_ONLY },
	[SR_NPF_NO_EXEC - SR_EXITCODE_64] = { "npf-no-exec",
		"Nested paging: an instruction fetch from a page the nested tables mark NX causes #NPF, EXITINFO1 P=1 US=1 ID=1",
		SR_EXPECT_EXIT, SVM_EXIT_NPF, .stub = STUB_JUMP, .rdi = NPT_GPA_NO_EXEC, .npt = true,
		.info1 = NPF_P | NPF_US | NPF_ID, .info1_mask = NPF_MASK, .check_info2 = true,
		.info2 = NPT_GPA_NO_EXEC },
	[SR_NPF_RESERVED - SR_EXITCODE_64] = { "npf-reserved",
		"Nested paging: a nested page table entry with a reserved bit set causes #NPF, EXITINFO1 P=1 RSV=1 US=1",
		SR_EXPECT_EXIT, SVM_EXIT_NPF, .stub = STUB_LOAD, .rdi = NPT_GPA_RESERVED, .npt = true,
		.info1 = NPF_P | NPF_US | NPF_RSV, .info1_mask = NPF_MASK, .check_info2 = true,
		.info2 = NPT_GPA_RESERVED },
#define INTERCEPT(name_, quote_, code_, stub_, ...) \
	{ name_, quote_, SR_EXPECT_EXIT, code_, .stub = stub_, __VA_ARGS__ }
	[SR_INVLPG_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-invlpg",
		"Instruction intercepts: INVLPG with its intercept set causes #VMEXIT (EXITCODE 79h)",
		SVM_EXIT_INVLPG, STUB_INVLPG, .misc3 = 1u << SVM_INTERCEPT_INVLPG),
	[SR_INVD_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-invd",
		"Instruction intercepts: INVD with its intercept set causes #VMEXIT (EXITCODE 76h)",
		SVM_EXIT_INVD, STUB_INVD, .misc3 = 1u << SVM_INTERCEPT_INVD),
	[SR_WBINVD_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-wbinvd",
		"Instruction intercepts: WBINVD with its intercept set causes #VMEXIT (EXITCODE 89h)",
		SVM_EXIT_WBINVD, STUB_WBINVD, .misc4 = 1u << SVM_INTERCEPT_WBINVD),
	[SR_RDPMC_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-rdpmc",
		"Instruction intercepts: RDPMC with its intercept set causes #VMEXIT (EXITCODE 6Fh)",
		SVM_EXIT_RDPMC, STUB_RDPMC, .misc3 = 1u << SVM_INTERCEPT_RDPMC),
	[SR_PUSHF_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-pushf",
		"Instruction intercepts: PUSHF with its intercept set causes #VMEXIT (EXITCODE 70h)",
		SVM_EXIT_PUSHF, STUB_PUSHF, .misc3 = 1u << SVM_INTERCEPT_PUSHF),
	[SR_POPF_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-popf",
		"Instruction intercepts: POPF with its intercept set causes #VMEXIT (EXITCODE 71h); the PUSHF before it, not intercepted, runs",
		SVM_EXIT_POPF, STUB_POPF, .misc3 = 1u << SVM_INTERCEPT_POPF),
	[SR_INTN_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-intn",
		"Instruction intercepts: INT n with its intercept set causes #VMEXIT (EXITCODE 75h) before the interrupt is delivered",
		SVM_EXIT_SWINT, STUB_INTN, .misc3 = 1u << SVM_INTERCEPT_INTN),
	[SR_SIDT_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-sidt",
		"Instruction intercepts: SIDT with the IDTR read intercept set causes #VMEXIT (EXITCODE 66h)",
		SVM_EXIT_IDTR_READ, STUB_SIDT, .misc3 = 1u << SVM_INTERCEPT_STORE_IDTR),
	[SR_SGDT_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-sgdt",
		"Instruction intercepts: SGDT with the GDTR read intercept set causes #VMEXIT (EXITCODE 67h)",
		SVM_EXIT_GDTR_READ, STUB_SGDT, .misc3 = 1u << SVM_INTERCEPT_STORE_GDTR),
	[SR_DR7_READ_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-dr7-read",
		"Debug register intercepts: a MOV from DR7 with its read intercept set causes #VMEXIT (EXITCODE 27h)",
		SVM_EXIT_READ_DR7, STUB_DR7_READ, .dr = 1u << SVM_INTERCEPT_DR7_READ),
	[SR_DR7_WRITE_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-dr7-write",
		"Debug register intercepts: a MOV to DR7 with its write intercept set causes #VMEXIT (EXITCODE 37h); the read before it, not intercepted, runs",
		SVM_EXIT_WRITE_DR7, STUB_DR7_WRITE, .dr = 1u << SVM_INTERCEPT_DR7_WRITE),
	[SR_CR4_WRITE_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-cr4-write",
		"CR intercepts: a MOV to CR4 with the CR4 write intercept set causes #VMEXIT (EXITCODE 14h)",
		SVM_EXIT_WRITE_CR4, STUB_CR4_WRITE, .cr = 1u << SVM_INTERCEPT_CR4_WRITE),
	[SR_RDTSCP_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-rdtscp",
		"Instruction intercepts: RDTSCP with its intercept set causes #VMEXIT (EXITCODE 87h)",
		SVM_EXIT_RDTSCP, STUB_RDTSCP, .misc4 = 1u << SVM_INTERCEPT_RDTSCP, .need = NEED_RDTSCP),
	[SR_DE_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-de",
		"Exception intercepts: a divide by zero (#DE) with its intercept bit set causes #VMEXIT with EXITCODE 40h + 0",
		SVM_EXIT_EXCP_BASE + 0, STUB_DIVIDE),
	[SR_GP_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-gp",
		"Exception intercepts: a #GP (a load from a non-canonical address) causes #VMEXIT with EXITCODE 40h + 13 and its error code, 0, in EXITINFO1",
		SVM_EXIT_EXCP_BASE + 13, STUB_LOAD, .rdi = SR_GVA_NONCANONICAL, .info1 = 0,
		.info1_mask = 0xffffffff),
	[SR_PF_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-pf",
		"Exception intercepts: a #PF causes #VMEXIT with EXITCODE 40h + 14, the error code in EXITINFO1 (here P=0 read supervisor: 0) and the faulting address in EXITINFO2",
		SVM_EXIT_EXCP_BASE + 14, STUB_LOAD, .rdi = SR_GVA_UNMAPPED, .info1 = 0,
		.info1_mask = 0x1f, .check_info2 = true, .info2 = SR_GVA_UNMAPPED),
	[SR_SHUTDOWN_INTERCEPT - SR_EXITCODE_64] = INTERCEPT("intercept-shutdown",
		"SHUTDOWN intercept: a triple fault in the guest (a #UD with an empty IDT: #GP, then #DF, then shutdown) causes #VMEXIT (EXITCODE 7Fh)",
		SVM_EXIT_SHUTDOWN, STUB_UD, .shutdown = true),
	[SR_MSRPM_READ_NOT_WRITE - SR_EXITCODE_64] = INTERCEPT("msrpm-read-not-write",
		"MSR intercepts: RDMSR of an MSR whose write bit alone is set in the MSRPM runs in the guest (here: then HLT, EXITCODE 78h)",
		SVM_EXIT_HLT, STUB_RDMSR, .msr_prot = true, .rcx = SR_MSR_WRITE_MARKED),
	[SR_MSRPM_WRITE_NOT_READ - SR_EXITCODE_64] = INTERCEPT("msrpm-write-not-read",
		"MSR intercepts: WRMSR of an MSR whose read bit alone is set in the MSRPM runs in the guest (here: then HLT, EXITCODE 78h)",
		SVM_EXIT_HLT, STUB_WRMSR, .msr_prot = true, .rcx = SR_MSR_READ_MARKED),
	[SR_MSRPM_HIGH - SR_EXITCODE_64] = INTERCEPT("msrpm-high",
		"MSR intercepts: the MSRPM's third range (C001_0000h-C001_1FFFh at byte 1000h): RDMSR of an MSR whose read bit is set causes #VMEXIT (EXITCODE 7Ch, EXITINFO1 0)",
		SVM_EXIT_MSR, STUB_RDMSR, .msr_prot = true, .rcx = SR_MSR_HIGH_MARKED, .info1 = 0,
		.info1_mask = 1),
	[SR_MSRPM_OUTSIDE - SR_EXITCODE_64] = INTERCEPT("msrpm-outside",
		"MSR intercepts: RDMSR of an MSR outside the three ranges the MSRPM covers is intercepted (EXITCODE 7Ch, EXITINFO1 0), as Linux's nested_svm_exit_handled_msr() and QEMU's svm_helper.c treat it",
		SVM_EXIT_MSR, STUB_RDMSR, .msr_prot = true, .rcx = SR_MSR_OUTSIDE, .info1 = 0,
		.info1_mask = 1),
	[SR_IOPM_OUTSB - SR_EXITCODE_64] = INTERCEPT("iopm-outsb",
		"IOIO intercepts: OUTSB to a port whose IOPM bit is set causes #VMEXIT, EXITINFO1 the port, SZ8 (bit 4) and STR (bit 2), TYPE 0",
		SVM_EXIT_IOIO, STUB_OUTSB, .io_prot = true,
		.info1 = ((uint64_t)SR_PORT_INTERCEPTED << 16) | (1u << 4) | (1u << 2), .info1_mask = 0xffff007d),
	[SR_IOPM_IN_WORD - SR_EXITCODE_64] = INTERCEPT("iopm-in-word",
		"IOIO intercepts: a 16-bit IN from a port whose IOPM bit is set causes #VMEXIT, EXITINFO1 the port, SZ16 (bit 5), TYPE 1",
		SVM_EXIT_IOIO, STUB_IN_WORD, .io_prot = true,
		.info1 = ((uint64_t)SR_PORT_INTERCEPTED << 16) | (1u << 5) | 1, .info1_mask = 0xffff007d),
	[SR_IOPM_STRADDLE - SR_EXITCODE_64] = INTERCEPT("iopm-straddle",
		"I/O Permissions Map: the bits for every port an access touches are checked: a 16-bit OUT to port 7Fh, whose bit is clear, touches 80h, whose bit is set: #VMEXIT, EXITINFO1 port 7Fh, SZ16",
		SVM_EXIT_IOIO, STUB_OUT_WORD_7F, .io_prot = true,
		.info1 = ((uint64_t)(SR_PORT_INTERCEPTED - 1) << 16) | (1u << 5), .info1_mask = 0xffff007d),
	[SR_PAUSE_FILTER_EXITS - SR_EXITCODE_64] = INTERCEPT("pause-filter-exits",
		"Pause intercept filtering: with a pause filter count of 9, the 9th PAUSE of 10 in a row causes #VMEXIT (EXITCODE 77h)",
		SVM_EXIT_PAUSE, STUB_PAUSE_LOOP, .misc3 = 1u << SVM_INTERCEPT_PAUSE, .pause_count = 9,
		.rcx = 10, .need = NEED_PAUSEFILTER),
	[SR_PAUSE_FILTER_HOLDS - SR_EXITCODE_64] = INTERCEPT("pause-filter-holds",
		"Pause intercept filtering: with a pause filter count of 21, 20 PAUSEs in a row do not cause #VMEXIT (the HLT after them does: EXITCODE 78h)",
		SVM_EXIT_HLT, STUB_PAUSE_LOOP, .misc3 = 1u << SVM_INTERCEPT_PAUSE, .pause_count = 21,
		.rcx = 20, .need = NEED_PAUSEFILTER),
	[SR_TLB_FLUSH_ALL - SR_EXITCODE_64] = INTERCEPT("tlb-flush-all",
		"TLB control: TLB_CONTROL 01h flushes the entire TLB on VMRUN: a nested page made not present after a first VMRUN read it faults on the next (#NPF, EXITCODE 400h, P=0)",
		SVM_EXIT_NPF, STUB_LOAD, .npt = true, .tlb_ctl = TLB_CONTROL_FLUSH_ALL_ASID,
		.info1 = 4, .info1_mask = 0x1f),
	[SR_TLB_FLUSH_ASID - SR_EXITCODE_64] = INTERCEPT("tlb-flush-asid",
		"TLB control: TLB_CONTROL 03h flushes this guest's TLB entries on VMRUN: a nested page made not present after a first VMRUN read it faults on the next (#NPF, EXITCODE 400h, P=0)",
		SVM_EXIT_NPF, STUB_LOAD, .npt = true, .tlb_ctl = TLB_CONTROL_FLUSH_ASID,
		.info1 = 4, .info1_mask = 0x1f, .need = NEED_FLUSHBYASID),
	[SR_VGIF_CLGI - SR_EXITCODE_64] = { "vgif-clgi",
		"Virtual GIF: with V_GIF_ENABLE set, CLGI in the guest (not intercepted) clears V_GIF in the VMCB (here read at the HLT exit after it)",
		SR_EXPECT_VALUE, SVM_EXIT_HLT, .stub = STUB_CLGI, .int_ctl = V_GIF_ENABLE_MASK | V_GIF_MASK,
		.want = 0, .need = NEED_VGIF },
	[SR_VGIF_STGI - SR_EXITCODE_64] = { "vgif-stgi",
		"Virtual GIF: with V_GIF_ENABLE set, STGI in the guest (not intercepted) sets V_GIF in the VMCB (here read at the HLT exit after it)",
		SR_EXPECT_VALUE, SVM_EXIT_HLT, .stub = STUB_STGI, .int_ctl = V_GIF_ENABLE_MASK,
		.want = V_GIF_MASK, .need = NEED_VGIF },
	[SR_TSC_OFFSET - SR_EXITCODE_64] = { "tsc-offset",
		"TSC offset: RDTSC in the guest (not intercepted) returns the host's TSC plus TSC_OFFSET (here 2^50, between the host's TSC before VMRUN and after #VMEXIT)",
		SR_EXPECT_RANGE, SVM_EXIT_HLT, .stub = STUB_RDTSC, .tsc_offset = 1ULL << 50 },
	[SR_EVENTINJ_ERROR_CODE - SR_EXITCODE_64] = { "eventinj-error-code",
		"Event injection: an injected #GP with EV set and error code 1234h is delivered through IDT vector 13 and pushes that error code, then the guest's RIP",
		SR_EXPECT_EVENT, SVM_EXIT_HLT, .stub = STUB_HLT,
		.event = SVM_EVTINJ_VALID | SVM_EVTINJ_VALID_ERR | SVM_EVTINJ_TYPE_EXEPT | 13 | (0x1234ULL << 32),
		.vector = 13, .error_code = true },
	[SR_EVENTINJ_NMI - SR_EXITCODE_64] = { "eventinj-nmi",
		"Event injection: an injected NMI (TYPE 2) is delivered through IDT vector 2 before the guest's first instruction",
		SR_EXPECT_EVENT, SVM_EXIT_HLT, .stub = STUB_HLT,
		.event = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_NMI | 2, .vector = 2 },
	[SR_EVENTINJ_INTR - SR_EXITCODE_64] = { "eventinj-intr",
		"Event injection: an injected external interrupt (TYPE 0, vector 30h) is delivered through IDT vector 30h before the guest's first instruction",
		SR_EXPECT_EVENT, SVM_EXIT_HLT, .stub = STUB_HLT, .guest_if = true,
		.misc3 = 1u << SVM_INTERCEPT_INTR, .event = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_INTR | 0x30,
		.vector = 0x30 },
	[SR_VMSAVE_STATE - SR_EXITCODE_64] = { "vmsave-state",
		"VMSAVE stores STAR, LSTAR, CSTAR, SFMASK, KernelGSbase and SYSENTER_CS/ESP/EIP into the VMCB's save area (the host's values, set to a pattern first)",
		SR_EXPECT_HOST, 0 },
	[SR_VMLOAD_STATE - SR_EXITCODE_64] = { "vmload-state",
		"VMLOAD loads STAR, LSTAR, CSTAR, SFMASK, KernelGSbase and SYSENTER_CS/ESP/EIP from the VMCB's save area (a pattern; the MSRs read back)",
		SR_EXPECT_HOST, 0 },
#undef INTERCEPT
};

/* 15.11 "MSR Intercepts": MSR n of a range at its byte offset, bit 2n read, 2n+1 write. */
static void msrpm_mark(uint8_t *msrpm, unsigned offset, uint32_t n, unsigned write)
{
	msrpm[offset + (2 * n) / 8] |= (uint8_t)(1u << ((2 * n) % 8 + write));
}

void svm_rules_msrpm(uint8_t *msrpm)
{
	for (unsigned i = 0; i < 2 * 4096; i++)
		msrpm[i] = 0;
	msrpm_mark(msrpm, 0, SR_MSR_READ_MARKED, 0);
	msrpm_mark(msrpm, 0, SR_MSR_WRITE_MARKED, 1);
	msrpm_mark(msrpm, 0x1000, SR_MSR_HIGH_MARKED - 0xc0010000u, 0);
}

int svm_rules_handler_vector(uint64_t rip, uint64_t base)
{
	if (rip < base || rip >= base + 256 * SR_HANDLER_SIZE || (rip - base) % SR_HANDLER_SIZE)
		return -1;
	return (int)((rip - base) / SR_HANDLER_SIZE);
}

const uint32_t svm_state_msr[SR_STATE_MSRS] = {
	0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,        /* STAR, LSTAR, CSTAR, SYSCALL_MASK */
	0xc0000102, 0x174, 0x175, 0x176,                        /* KERNEL_GS_BASE, SYSENTER_CS/ESP/EIP */
};

uint64_t svm_state_pattern(unsigned i)
{
	static const uint64_t pattern[SR_STATE_MSRS] = {
		0x0023001000000000ULL,          /* STAR: SYSRET and SYSCALL CS bases */
		0x00007f1234567000ULL, 0x00007f1234568000ULL,
		0x0000000000047700ULL,          /* SFMASK: bits 63:32 are reserved */
		0x00007f1234569000ULL,
		0x0000000000000010ULL, 0x0000000012345000ULL, 0x0000000012346000ULL,
	};
	return i < SR_STATE_MSRS ? pattern[i] : 0;
}

/* The save area's fields for svm_state_msr[], in its order. */
static const uint16_t state_offset[SR_STATE_MSRS] = {
	offsetof(struct vmcb_save_area, star), offsetof(struct vmcb_save_area, lstar),
	offsetof(struct vmcb_save_area, cstar), offsetof(struct vmcb_save_area, sfmask),
	offsetof(struct vmcb_save_area, kernel_gs_base), offsetof(struct vmcb_save_area, sysenter_cs),
	offsetof(struct vmcb_save_area, sysenter_esp), offsetof(struct vmcb_save_area, sysenter_eip),
};

uint64_t *svm_state_field(struct vmcb_save_area *save, unsigned i)
{
	return (uint64_t *)((uint8_t *)save + state_offset[i]);
}

unsigned svm_state_differs(const struct vmcb_save_area *save, const uint64_t vals[SR_STATE_MSRS])
{
	unsigned differs = 0;

	for (unsigned i = 0; i < SR_STATE_MSRS; i++)
		if (*(const uint64_t *)((const uint8_t *)save + state_offset[i]) != vals[i])
			differs |= 1u << i;
	return differs;
}

void svm_rules_iopm(uint8_t *iopm)
{
	for (unsigned i = 0; i < 3 * 4096; i++)
		iopm[i] = 0;
	iopm[SR_PORT_INTERCEPTED / 8] |= (uint8_t)(1u << (SR_PORT_INTERCEPTED % 8));
}

/* One rule per consistency check: its name and words are the checker's. */
static struct svm_rule checks[SR_CHECK_LAST - SR_CHECK_FIRST + 1];

enum vmcb_rule svm_rule_check(enum svm_rule_id r)
{
	return (enum vmcb_rule)(VMCB_VMRUN_INTERCEPT + (r - SR_CHECK_FIRST));
}

const struct svm_rule *svm_rule(enum svm_rule_id r)
{
	if ((unsigned)r >= SR_RULES)
		return 0;
	if (r <= SR_CHECK_LAST) {
		struct svm_rule *c = &checks[r - SR_CHECK_FIRST];
		c->id = vmcb_rule_name(svm_rule_check(r));
		c->quote = vmcb_rule_text(svm_rule_check(r));
		c->expect = SR_EXPECT_INVALID;
		return c;
	}
	return &extra[r - SR_EXITCODE_64];
}

static bool invalid(uint64_t code)
{
	return code == SVM_EXIT_ERR || code == SVM_EXIT_ERR_LOW32;
}

enum svm_verdict svm_rule_judge(enum svm_rule_id r, const struct svm_observed *o)
{
	const struct svm_rule *rule = svm_rule(r);

	if (!rule)
		return SR_FAIL;
	switch (rule->expect) {
	case SR_EXPECT_INVALID:
		return o->vector < 0 && o->exited && invalid(o->exit_code) ? SR_PASS : SR_FAIL;
	case SR_EXPECT_EXIT64:
		return o->vector < 0 && o->exited && o->exit_code == SVM_EXIT_ERR ? SR_PASS : SR_FAIL;
	case SR_EXPECT_GP:
		return o->vector == 13 ? SR_PASS : SR_FAIL;
	case SR_EXPECT_UD:
		return o->vector == 6 ? SR_PASS : SR_FAIL;
	case SR_EXPECT_EXIT:
		return o->vector < 0 && o->exited && o->exit_code == rule->exit_code &&
		       (o->exit_info_1 & rule->info1_mask) == rule->info1 &&
		       (!rule->check_info2 || o->exit_info_2 == rule->info2) ? SR_PASS : SR_FAIL;
	case SR_EXPECT_NRIP:
		return o->vector < 0 && o->exited && o->exit_code == rule->exit_code &&
		       o->next_rip == o->rip + o->insn_len ? SR_PASS : SR_FAIL;
	case SR_EXPECT_VALUE:
		return o->vector < 0 && o->exited && o->exit_code == rule->exit_code &&
		       o->value == rule->want ? SR_PASS : SR_FAIL;
	case SR_EXPECT_RANGE:
		return o->vector < 0 && o->exited && o->exit_code == rule->exit_code &&
		       o->lo <= o->value && o->value <= o->hi ? SR_PASS : SR_FAIL;
	case SR_EXPECT_EVENT:
		if (o->vector >= 0 || !o->exited || o->exit_code != rule->exit_code ||
		    o->delivered != (int)rule->vector)
			return SR_FAIL;
		if (rule->error_code)
			return o->frame[0] == rule->event >> 32 && o->frame[1] == o->start_rip ?
			       SR_PASS : SR_FAIL;
		return o->frame[0] == o->start_rip ? SR_PASS : SR_FAIL;
	case SR_EXPECT_HOST:
		return o->vector < 0 && o->value == 0 ? SR_PASS : SR_FAIL;
	}
	return SR_FAIL;
}

static const char *const state_name[SR_STATE_MSRS] = {
	"STAR", "LSTAR", "CSTAR", "SFMASK", "KernelGSbase", "SYSENTER_CS", "SYSENTER_ESP", "SYSENTER_EIP",
};

void svm_rule_describe(char *buf, unsigned size, enum svm_rule_id r, const struct svm_observed *o)
{
	const struct svm_rule *rule = svm_rule(r);
	enum svm_expect e = rule ? rule->expect : SR_EXPECT_EXIT;
	unsigned n;

	if (o->vector >= 0)
		n = fmt_snprintf(buf, size, "%s", o->vector == 13 ? "#GP" : o->vector == 6 ? "#UD" :
				 "an exception");
	else if (e == SR_EXPECT_HOST) {
		n = fmt_snprintf(buf, size, "%s", o->value ? "fields that differ:" : "every field as written");
		for (unsigned i = 0; i < SR_STATE_MSRS; i++)
			if (o->value & (1u << i) && n < size)
				n += fmt_snprintf(buf + n, size - n, " %s", state_name[i]);
		return;
	} else if (!o->exited)
		n = fmt_snprintf(buf, size, "nothing (no exit)");
	else if (o->exit_code == SVM_EXIT_ERR)
		n = fmt_snprintf(buf, size, "VMEXIT_INVALID (0xffffffffffffffff)");
	else if (o->exit_code == SVM_EXIT_ERR_LOW32)
		n = fmt_snprintf(buf, size, "VMEXIT_INVALID written as 0x00000000ffffffff");
	else
		n = fmt_snprintf(buf, size, "exit 0x%lx at rip=0x%lx nrip=0x%lx exitinfo1=0x%lx exitinfo2=0x%lx",
				 o->exit_code, o->rip, o->next_rip, o->exit_info_1, o->exit_info_2);
	if (n >= size || o->vector >= 0 || !o->exited)
		return;
	if (e == SR_EXPECT_VALUE)
		fmt_snprintf(buf + n, size - n, " value=0x%lx", o->value);
	else if (e == SR_EXPECT_RANGE)
		fmt_snprintf(buf + n, size - n, " value=0x%lx (host 0x%lx-0x%lx)", o->value, o->lo, o->hi);
	else if (e == SR_EXPECT_EVENT)
		fmt_snprintf(buf + n, size - n, " vector=%d stack=0x%lx,0x%lx first-rip=0x%lx", o->delivered,
			     o->frame[0], o->frame[1], o->start_rip);
}

const char *svm_verdict_str(enum svm_verdict v)
{
	return v == SR_PASS ? "PASS" : v == SR_SKIP ? "SKIP" : "FAIL";
}
