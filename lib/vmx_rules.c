/* SPDX-License-Identifier: MIT */
/* VMXON conformance rules: see vmx_rules.h. */
#include "lib/vmx_rules.h"

#include "lib/ept.h"
#include "lib/fmt.h"
#include "lib/vmx_topics.h"

static const struct st_rule rules[ST_RULES] = {
	[ST_VMXON_NO_VMXE] = { .id = "vmxon-without-cr4-vmxe",
		.quote = "VMXON: IF (register operand) or (CR0.PE = 0) or (CR4.VMXE = 0) or ... THEN #UD",
		.expect = ST_EXPECT_UD },
	[ST_VMXOFF_OUTSIDE] = { .id = "vmxoff-outside-vmx-operation",
		.quote = "VMXOFF: IF (not in VMX operation) or ... THEN #UD",
		.expect = ST_EXPECT_UD },
	[ST_VMXON_MISALIGNED] = { .id = "vmxon-region-not-4k-aligned",
		.quote = "VMXON: IF addr is not 4KB-aligned or ... THEN VMfailInvalid",
		.expect = ST_EXPECT_FAIL_INVALID },
	[ST_VMXON_BEYOND_MAXPHYADDR] = { .id = "vmxon-region-beyond-maxphyaddr",
		.quote = "VMXON: IF ... addr sets any bits beyond the physical-address width THEN VMfailInvalid",
		.expect = ST_EXPECT_FAIL_INVALID },
	[ST_VMXON_BAD_REVISION] = { .id = "vmxon-wrong-revision",
		.quote = "VMXON: IF bits 30:0 of the VMXON region are not the VMCS revision identifier ... "
			 "THEN VMfailInvalid",
		.expect = ST_EXPECT_FAIL_INVALID },
	[ST_VMXON_IN_ROOT_NO_VMCS] = { .id = "vmxon-in-root-no-current-vmcs",
		.quote = "VMXON in VMX root operation: VMfail(15), which is VMfailInvalid while the "
			 "current-VMCS pointer is not valid",
		.expect = ST_EXPECT_FAIL_INVALID },
	[ST_VMCLEAR_VMXON_PTR] = { .id = "vmclear-vmxon-pointer",
		.quote = "VMCLEAR: ELSIF addr = VMXON pointer THEN VMfail(VMCLEAR with VMXON pointer) (error 3)",
		.expect = ST_EXPECT_FAIL_VALID, .error = 3 },
	[ST_VMPTRLD_VMXON_PTR] = { .id = "vmptrld-vmxon-pointer",
		.quote = "VMPTRLD: ELSIF addr = VMXON pointer THEN VMfail(VMPTRLD with VMXON pointer) "
			 "(error 10)",
		.expect = ST_EXPECT_FAIL_VALID, .error = 10 },
	[ST_VMXON_IN_ROOT] = { .id = "vmxon-in-vmx-root",
		.quote = "VMXON: ELSIF in VMX root operation THEN VMfail(VMXON executed in VMX root "
			 "operation) (error 15)",
		.expect = ST_EXPECT_FAIL_VALID, .error = 15 },
	[ST_CR0_FIXED_CLEAR] = { .id = "cr0-fixed-bit-clear",
		.quote = "In VMX operation, clearing a CR0 bit that IA32_VMX_CR0_FIXED0 fixes to 1 (NE) "
			 "causes #GP",
		.expect = ST_EXPECT_GP },
	[ST_CR4_FIXED_CLEAR] = { .id = "cr4-fixed-bit-clear",
		.quote = "In VMX operation, clearing CR4.VMXE (fixed to 1 by IA32_VMX_CR4_FIXED0) causes #GP",
		.expect = ST_EXPECT_GP },
	/* Vol. 3C, "VMX Instruction Reference": VMREAD, VMWRITE, VMLAUNCH/VMRESUME. */
	[ST_VMWRITE_READ_ONLY] = { .id = "vmwrite-read-only-field",
		.quote = "VMWRITE: ELSIF secondary source operand specifies a VM-exit information field and "
			 "IA32_VMX_MISC[29] is 0 THEN VMfail(VMWRITE to read-only VMCS component) (error 13)",
		.expect = ST_EXPECT_FAIL_VALID, .error = 13 },
	[ST_VMREAD_UNSUPPORTED] = { .id = "vmread-unsupported-field",
		.quote = "VMREAD: ELSIF secondary source operand does not correspond to any VMCS field THEN "
			 "VMfail(VMREAD/VMWRITE from/to unsupported VMCS component) (error 12)",
		.expect = ST_EXPECT_FAIL_VALID, .error = 12 },
	[ST_VMWRITE_UNSUPPORTED] = { .id = "vmwrite-unsupported-field",
		.quote = "VMWRITE: ELSIF secondary source operand does not correspond to any VMCS field THEN "
			 "VMfail(VMREAD/VMWRITE from/to unsupported VMCS component) (error 12)",
		.expect = ST_EXPECT_FAIL_VALID, .error = 12 },
	[ST_VMRESUME_CLEAR] = { .id = "vmresume-clear-vmcs",
		.quote = "VMRESUME: ELSIF VMRESUME and launch state of current VMCS is not \"launched\" THEN "
			 "VMfail(VMRESUME with non-launched VMCS) (error 5)",
		.expect = ST_EXPECT_FAIL_VALID, .error = 5 },
	[ST_VMLAUNCH_LAUNCHED] = { .id = "vmlaunch-launched-vmcs",
		.quote = "VMLAUNCH: ELSIF VMLAUNCH and launch state of current VMCS is not \"clear\" THEN "
			 "VMfail(VMLAUNCH with non-clear VMCS) (error 4)",
		.expect = ST_EXPECT_FAIL_VALID, .error = 4 },
	/* Vol. 3C, "VMX Non-Root Operation", "Instructions That Cause VM Exits Conditionally"
	 * and "Other Causes of VM Exits"; "Exit Qualification for I/O Instructions". */
	[ST_EXCEPTION_BITMAP] = { .id = "exception-bitmap-ud",
		.quote = "Exceptions: a #UD in the guest causes a VM exit if bit 6 of the exception bitmap "
			 "is 1 (exit reason 0, vector 6, type hardware exception in the interruption "
			 "information)",
		.expect = ST_EXPECT_EXIT, .info = 0x80000306, .info_mask = 0x800007ff },
	[ST_PREEMPTION_ZERO] = { .id = "preemption-timer-zero",
		.quote = "VMX-preemption timer: if the value is zero at VM entry, a VM exit occurs before the "
			 "guest executes any instruction (exit reason 52)",
		.expect = ST_EXPECT_EXIT, .exit = 52, .before_guest = true },
	[ST_PREEMPTION_EXPIRES] = { .id = "preemption-timer-expires",
		.quote = "VMX-preemption timer: it counts down by 1 each time bit X (IA32_VMX_MISC[4:0]) of "
			 "the TSC changes and a VM exit occurs when it reaches zero (exit reason 52, no "
			 "sooner than (value - 1) << X TSC cycles, no later than value << X, plus an "
			 "eighth, plus 65536 cycles for the entry and the exit)",
		.expect = ST_EXPECT_EXIT, .exit = 52, .check_cycles = true },
	[ST_PREEMPTION_SAVE] = { .id = "preemption-timer-save",
		.quote = "If the save VMX-preemption timer value VM-exit control is 1, a VM exit saves the "
			 "timer's value, counted down, into the VMCS field (the guest's VMCALL, exit reason 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_timer_saved = true },
	[ST_MSR_BITMAP_READ] = { .id = "msr-bitmap-read-marked",
		.quote = "RDMSR: causes a VM exit if use MSR bitmaps is 1 and the bit for ECX in the read "
			 "bitmap is 1 (exit reason 31)",
		.expect = ST_EXPECT_EXIT, .exit = 31 },
	[ST_MSR_BITMAP_READ_CLEAR] = { .id = "msr-bitmap-read-clear",
		.quote = "RDMSR: with use MSR bitmaps 1 and the bit for ECX 0, RDMSR runs without a VM exit "
			 "(the guest reaches its VMCALL, exit reason 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18 },
	[ST_MSR_BITMAP_WRITE] = { .id = "msr-bitmap-write-marked",
		.quote = "WRMSR: causes a VM exit if use MSR bitmaps is 1 and the bit for ECX in the write "
			 "bitmap is 1 (exit reason 32)",
		.expect = ST_EXPECT_EXIT, .exit = 32 },
	[ST_MSR_BITMAP_WRITE_CLEAR] = { .id = "msr-bitmap-write-clear",
		.quote = "WRMSR: with use MSR bitmaps 1 and the bit for ECX 0, WRMSR runs without a VM exit "
			 "(the guest reaches its VMCALL, exit reason 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18 },
	[ST_IO_BITMAP] = { .id = "io-bitmap-out-marked",
		.quote = "OUT: causes a VM exit if use I/O bitmaps is 1 and the bit for the port is 1 (exit "
			 "reason 30; qualification: size 1 byte, direction out, port in bits 31:16)",
		.expect = ST_EXPECT_EXIT, .exit = 30, .qual = 0x00810000, .qual_mask = 0xffff004f },
	[ST_IO_BITMAP_CLEAR] = { .id = "io-bitmap-out-clear",
		.quote = "OUT: with use I/O bitmaps 1 and the bit for the port 0, OUT runs without a VM exit "
			 "(the guest reaches its VMCALL, exit reason 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18 },
	/* Vol. 3C, "Checks on VM-Execution Control Fields". */
	[ST_VPID_NONZERO] = { .id = "vpid-nonzero",
		.quote = "VPID: with enable VPID 1 and a VPID other than 0000H, VM entry succeeds (the guest "
			 "reaches its VMCALL, exit reason 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18 },
	[ST_VPID_ZERO] = { .id = "vpid-zero",
		.quote = "If the enable VPID VM-execution control is 1, the value of the VPID VM-execution "
			 "control field must not be 0000H (VMfail(VM entry with invalid control field(s)), "
			 "error 7)",
		.expect = ST_EXPECT_FAIL_VALID, .error = 7 },
	/* Vol. 3C, "EPT Translation Mechanism", "EPT Violations", "EPT Misconfigurations",
	 * "Exit Qualification for EPT Violations"; "VMX Instruction Reference": INVEPT, INVVPID. */
	[ST_EPT_RUNS] = { .id = "ept-identity",
		.quote = "With enable EPT 1, guest-physical addresses are translated through the EPT paging "
			 "structures: the guest runs under an identity EPT (its VMCALL, exit reason 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18 },
	[ST_EPT_VIOLATION_READ] = { .id = "ept-violation-read",
		.quote = "A read of a guest-physical address that the EPT does not map causes an EPT "
			 "violation (exit reason 48; qualification: bit 0 read, bits 1-2 not write or "
			 "fetch, bits 3-5 the entry's permissions 000b, bit 7 linear address valid, bit 8 a "
			 "translation, bit 12 0; the guest-physical address)",
		.expect = ST_EXPECT_EXIT, .exit = 48, .qual = 0x181, .qual_mask = EPT_QUAL_CHECKED,
		.check_gpa = true, .gpa = EPT_UNMAPPED_GPA },
	[ST_EPT_VIOLATION_WRITE] = { .id = "ept-violation-write",
		.quote = "A write to a guest-physical address that the EPT does not map causes an EPT "
			 "violation (exit reason 48; qualification: bit 1 write, bits 0 and 2 not read or "
			 "fetch, bits 3-5 000b, bit 7 linear address valid, bit 8 a translation, bit 12 0; "
			 "the guest-physical address)",
		.expect = ST_EXPECT_EXIT, .exit = 48, .qual = 0x182, .qual_mask = EPT_QUAL_CHECKED,
		.check_gpa = true, .gpa = EPT_UNMAPPED_GPA },
	[ST_EPT_MISCONFIG] = { .id = "ept-misconfiguration",
		.quote = "An EPT entry with bit 0 (read) clear and bit 1 (write) set is misconfigured: an "
			 "access through it causes an EPT misconfiguration (exit reason 49; the "
			 "guest-physical address)",
		.expect = ST_EXPECT_EXIT, .exit = 49, .check_gpa = true, .gpa = EPT_MISCONFIG_GPA },
	[ST_INVEPT_SINGLE] = { .id = "invept-single-context",
		.quote = "INVEPT type 1 (single-context), advertised by IA32_VMX_EPT_VPID_CAP[25], with a "
			 "valid EPTP: VMsucceed",
		.expect = ST_EXPECT_SUCCEED },
	[ST_INVEPT_ALL] = { .id = "invept-all-context",
		.quote = "INVEPT type 2 (all-context), advertised by IA32_VMX_EPT_VPID_CAP[26]: VMsucceed",
		.expect = ST_EXPECT_SUCCEED },
	[ST_INVVPID_ADDRESS] = { .id = "invvpid-individual-address",
		.quote = "INVVPID type 0 (individual-address), advertised by IA32_VMX_EPT_VPID_CAP[40], "
			 "VPID 1 and a canonical address: VMsucceed",
		.expect = ST_EXPECT_SUCCEED },
	[ST_INVVPID_SINGLE] = { .id = "invvpid-single-context",
		.quote = "INVVPID type 1 (single-context), advertised by IA32_VMX_EPT_VPID_CAP[41], VPID 1: "
			 "VMsucceed",
		.expect = ST_EXPECT_SUCCEED },
	[ST_INVVPID_ALL] = { .id = "invvpid-all-context",
		.quote = "INVVPID type 2 (all-context), advertised by IA32_VMX_EPT_VPID_CAP[42]: VMsucceed",
		.expect = ST_EXPECT_SUCCEED },
	/* Vol. 3C, "Unrestricted Guests"; "Checks on Guest Control Registers". */
	[ST_UNRESTRICTED_REAL_MODE] = { .id = "unrestricted-guest-real-mode",
		.quote = "If the unrestricted guest VM-execution control is 1, CR0.PE and CR0.PG may be 0: "
			 "a real-mode guest (paging off, EPT on) runs its 16-bit code and exits on HLT "
			 "(exit reason 12, with AX = 1234H, the value the guest computed)",
		.expect = ST_EXPECT_EXIT, .exit = 12, .check_value = true },
	/* Vol. 3C, "VMX Instruction Reference", INVEPT and INVVPID (Operation):
	 * VMfail(Invalid operand to INVEPT/INVVPID), error 28. */
	[ST_INVEPT_BAD_TYPE] = { .id = "invept-unsupported-type",
		.quote = "INVEPT: IF the INVEPT type is not supported by the logical processor (type 3: "
			 "never one) THEN VMfail(Invalid operand to INVEPT/INVVPID) (error 28)",
		.expect = ST_EXPECT_FAIL_VALID, .error = 28 },
	[ST_INVVPID_BAD_TYPE] = { .id = "invvpid-unsupported-type",
		.quote = "INVVPID: IF the INVVPID type is not supported by the logical processor (type 4: "
			 "never one) THEN VMfail(Invalid operand to INVEPT/INVVPID) (error 28)",
		.expect = ST_EXPECT_FAIL_VALID, .error = 28 },
	[ST_INVVPID_SINGLE_VPID_ZERO] = { .id = "invvpid-single-context-vpid-zero",
		.quote = "INVVPID single-context (type 1): IF INVVPID_DESC[15:0] = 0 THEN "
			 "VMfail(Invalid operand to INVEPT/INVVPID) (error 28)",
		.expect = ST_EXPECT_FAIL_VALID, .error = 28 },
	[ST_INVVPID_ADDRESS_VPID_ZERO] = { .id = "invvpid-individual-address-vpid-zero",
		.quote = "INVVPID individual-address (type 0): IF INVVPID_DESC[15:0] = 0 or the linear "
			 "address is not canonical THEN VMfail(Invalid operand to INVEPT/INVVPID) (error 28): "
			 "VPID 0, a canonical address",
		.expect = ST_EXPECT_FAIL_VALID, .error = 28 },
	[ST_INVVPID_ADDRESS_NON_CANONICAL] = { .id = "invvpid-individual-address-non-canonical",
		.quote = "INVVPID individual-address (type 0): IF INVVPID_DESC[15:0] = 0 or the linear "
			 "address is not canonical THEN VMfail(Invalid operand to INVEPT/INVVPID) (error 28): "
			 "VPID 1, address 8000000000000000H",
		.expect = ST_EXPECT_FAIL_VALID, .error = 28 },
	/* Vol. 3C, "Event Injection" ("VM-Entry Controls for Event Injection", "Details of
	 * Vectored-Event Injection"). value: the pushed RIP's offset from the guest's RIP
	 * in bits 63:32, the pushed error code in 31:0 (lib/vmx_topics.h). */
	[ST_INJECT_EXT_INTR] = { .id = "event-inject-external-interrupt",
		.quote = "Event Injection: an external interrupt (type 0, vector 40H) is delivered through the "
			 "guest IDT as if it arrived right at VM entry: the handler runs (its VMCALL, exit 18) "
			 "and the RIP it finds on the stack is the guest's RIP",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_INJECT_NMI] = { .id = "event-inject-nmi",
		.quote = "Event Injection: an NMI (type 2, vector 2) is delivered through the guest IDT "
			 "(not subject to NMI exiting): the handler runs (exit 18), the pushed RIP the guest's RIP",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_INJECT_EXCEPTION] = { .id = "event-inject-exception-error-code",
		.quote = "Event Injection: a hardware exception (type 3, #GP) with deliver error code 1 "
			 "pushes the VM-entry exception error code (1234H) and the guest's RIP, without "
			 "consulting the exception bitmap (the handler's VMCALL, exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_INJECT_SOFT_INTR] = { .id = "event-inject-software-interrupt",
		.quote = "Event Injection: a software interrupt (type 4, vector 41H) pushes the guest's RIP "
			 "plus the VM-entry instruction length (2) as the return address (exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	/* Vol. 3C, "VM Exits Caused by ... Interrupt-Window Exiting and Virtual-Interrupt
	 * Delivery", "NMI-Window Exiting", "Interruptibility State". */
	[ST_INTR_WINDOW] = { .id = "interrupt-window-exit",
		.quote = "Interrupt-window exiting: with RFLAGS.IF = 1 and no blocking by STI or MOV SS, a VM "
			 "exit occurs at the start of any instruction: exit reason 7 before the guest's first",
		.expect = ST_EXPECT_EXIT, .exit = 7, .before_guest = true },
	[ST_INTR_WINDOW_STI] = { .id = "interrupt-window-sti-blocking",
		.quote = "Interrupt-window exiting with blocking by STI at entry: no exit before the first "
			 "instruction; the exit (reason 7) comes after it (value: the RIP's offset, 1)",
		.expect = ST_EXPECT_EXIT, .exit = 7, .check_value = true },
	[ST_NMI_WINDOW] = { .id = "nmi-window-exit",
		.quote = "NMI-window exiting (with virtual NMIs): with no virtual-NMI blocking, a VM exit occurs "
			 "at the start of any instruction: exit reason 8 before the guest's first",
		.expect = ST_EXPECT_EXIT, .exit = 8, .before_guest = true },
	/* Vol. 3C, "Monitor Trap Flag". */
	[ST_MTF] = { .id = "monitor-trap-flag",
		.quote = "Monitor trap flag: a VM exit (reason 37) occurs on the instruction boundary after "
			 "the guest's first instruction (value: the RIP's offset, 1, past a NOP)",
		.expect = ST_EXPECT_EXIT, .exit = 37, .check_value = true },
	/* Vol. 3C, "VM-Entry Loading MSRs", "Saving MSRs", "VM-Entry Failures During or After
	 * Loading Guest State". */
	[ST_MSR_LOAD] = { .id = "msr-load-entry-value",
		.quote = "VM-entry MSR-load list: VM entry loads each entry's MSR (IA32_SYSENTER_EIP = "
			 "12345000H) after the guest state; the guest's RDMSR reads it (exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_MSR_STORE] = { .id = "msr-store-exit-value",
		.quote = "VM-exit MSR-store list: a VM exit stores each entry's MSR as the guest had it "
			 "(IA32_SYSENTER_EIP, written 23456000H by the guest's WRMSR) into bits 127:64",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_MSR_LOAD_SMBASE] = { .id = "msr-load-entry-smbase",
		.quote = "VM-entry MSR-load list: an entry for an MSR that can be written only in SMM "
			 "(IA32_SMBASE, 9EH) outside SMM fails VM entry: exit reason 34 with bit 31 set, the "
			 "qualification the failing entry's index from 1 (its second entry: 2)",
		.expect = ST_EXPECT_EXIT, .exit = 0x80000022, .qual = 2, .qual_mask = ~0ull },
	/* Vol. 3C, "Guest/Host Masks and Read Shadows for CR0 and CR4", "Exit Qualification
	 * for Control-Register Accesses". */
	[ST_CR0_READ_SHADOW] = { .id = "cr0-read-shadow",
		.quote = "CR0 guest/host mask and read shadow: MOV from CR0 returns the shadow's bit where "
			 "the mask is 1 (CR0.TS, shadow inverted) and CR0's elsewhere (exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_CR0_WRITE_MASKED] = { .id = "cr0-write-masked-exit",
		.quote = "MOV to CR0 exits if it would set a bit the mask owns to a value other than the "
			 "shadow's (CR0.TS): exit reason 28, qualification CR 0, MOV to CR, GPR 3 (RBX): 300H",
		.expect = ST_EXPECT_EXIT, .exit = 28, .qual = 0x300, .qual_mask = 0xf3f },
	/* Vol. 3C, "I/O-Bitmap Addresses", "Instructions That Cause VM Exits Conditionally",
	 * "Exit Qualification for I/O Instructions". */
	[ST_IO_BITMAP_B] = { .id = "io-bitmap-b-out-marked",
		.quote = "OUT to port 8081H, marked in I/O bitmap B (ports 8000H-FFFFH): exit reason 30, "
			 "qualification 80810000H (1 byte, out, DX)",
		.expect = ST_EXPECT_EXIT, .exit = 30, .qual = 0x80810000, .qual_mask = 0xffff007f },
	[ST_IO_OUTSB] = { .id = "io-bitmap-outsb-marked",
		.quote = "OUTSB to port 81H, marked in I/O bitmap A: exit reason 30, qualification 00810010H "
			 "(1 byte, out, string, no REP, DX)",
		.expect = ST_EXPECT_EXIT, .exit = 30, .qual = 0x00810010, .qual_mask = 0xffff007f },
	[ST_IO_STRADDLE] = { .id = "io-bitmap-straddle-a-b",
		.quote = "A 2-byte OUT at port 7FFFH, bit 7FFFH clear in bitmap A and bit 8000H set in B: an "
			 "access exits if the bit of any port it touches is 1 (exit reason 30, qualification "
			 "7FFF0001H)",
		.expect = ST_EXPECT_EXIT, .exit = 30, .qual = 0x7fff0001, .qual_mask = 0xffff007f },
	[ST_IO_WRAP] = { .id = "io-bitmap-wrap-around",
		.quote = "A 2-byte OUT at port FFFFH, bits FFFFH and 0000H clear: an I/O operation that wraps "
			 "around the 16-bit port space causes a VM exit (exit reason 30, qualification FFFF0001H)",
		.expect = ST_EXPECT_EXIT, .exit = 30, .qual = 0xffff0001, .qual_mask = 0xffff007f },
	/* Vol. 3C, "EPT Violations", "Exit Qualification for EPT Violations" (value: the
	 * guest-physical address). */
	[ST_EPT_READ_ONLY_WRITE] = { .id = "ept-read-only-write",
		.quote = "A write through a read-only EPT entry (R=1 W=0 X=0) is an EPT violation: exit "
			 "reason 48, qualification 18AH (bit 1 write; bits 5:3 001b; bits 7, 8), the address",
		.expect = ST_EXPECT_EXIT, .exit = 48, .qual = 0x18a, .qual_mask = EPT_QUAL_CHECKED,
		.check_value = true },
	[ST_EPT_EXEC_ONLY_READ] = { .id = "ept-execute-only-read",
		.quote = "A read through an execute-only EPT entry (R=0 W=0 X=1, allowed by "
			 "IA32_VMX_EPT_VPID_CAP[0]) is an EPT violation: exit reason 48, qualification 1A1H "
			 "(bit 0 read; bits 5:3 100b; bits 7, 8), the address",
		.expect = ST_EXPECT_EXIT, .exit = 48, .qual = 0x1a1, .qual_mask = EPT_QUAL_CHECKED,
		.check_value = true },
	[ST_EPT_NO_EXEC_FETCH] = { .id = "ept-no-execute-fetch",
		.quote = "An instruction fetch through an EPT entry without execute access (R=1 W=1 X=0) is "
			 "an EPT violation: exit reason 48, qualification 19CH (bit 2 fetch; bits 5:3 011b; "
			 "bits 7, 8), the address",
		.expect = ST_EXPECT_EXIT, .exit = 48, .qual = 0x19c, .qual_mask = EPT_QUAL_CHECKED,
		.check_value = true },
	/* Vol. 3C, "Guest/Host Masks and Read Shadows for CR0 and CR4", "CR3-Target Controls",
	 * "Instructions That Cause VM Exits Conditionally" (MOV to CR3, MOV to CR4), "Exit
	 * Qualification for Control-Register Accesses". */
	[ST_CR4_READ_SHADOW] = { .id = "cr4-read-shadow",
		.quote = "CR4 guest/host mask and read shadow: MOV from CR4 returns the shadow's bit where "
			 "the mask is 1 (CR4.TSD, shadow inverted) and CR4's elsewhere (exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_CR4_WRITE_MASKED] = { .id = "cr4-write-masked-exit",
		.quote = "MOV to CR4 exits if it would set a bit the mask owns to a value other than the "
			 "shadow's (CR4.TSD): exit reason 28, qualification CR 4, MOV to CR, GPR 3 (RBX): 304H",
		.expect = ST_EXPECT_EXIT, .exit = 28, .qual = 0x304, .qual_mask = 0xf3f },
	[ST_CR3_TARGET_HIT] = { .id = "cr3-target-no-exit",
		.quote = "CR3-load exiting with CR3-target count 1: a MOV to CR3 of the value in CR3-target "
			 "value 0 (the guest's CR3) does not cause a VM exit (the guest's VMCALL, exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18 },
	[ST_CR3_TARGET_MISS] = { .id = "cr3-load-exit",
		.quote = "CR3-load exiting with CR3-target count 1: a MOV to CR3 of a value that is not in "
			 "the target list (the guest's CR3; the target is another) exits: reason 28, "
			 "qualification CR 3, MOV to CR, GPR 3 (RBX): 303H",
		.expect = ST_EXPECT_EXIT, .exit = 28, .qual = 0x303, .qual_mask = 0xf3f },
	/* Vol. 3C, "MSR-Bitmap Address", "Instructions That Cause VM Exits Conditionally"
	 * (RDMSR, WRMSR). */
	[ST_MSR_BITMAP_HIGH_READ] = { .id = "msr-bitmap-high-read-marked",
		.quote = "RDMSR: with use MSR bitmaps 1, ECX in C0000000H-C0001FFFH (IA32_STAR) and its bit "
			 "in the read bitmap for high MSRs (offset 1024) 1: exit reason 31",
		.expect = ST_EXPECT_EXIT, .exit = 31 },
	[ST_MSR_BITMAP_HIGH_READ_CLEAR] = { .id = "msr-bitmap-high-read-clear",
		.quote = "RDMSR of a high MSR (IA32_LSTAR) whose read-bitmap bit is 0 (its bit in the write "
			 "bitmap for high MSRs is 1) runs without a VM exit (the guest's VMCALL, exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18 },
	[ST_MSR_BITMAP_HIGH_WRITE] = { .id = "msr-bitmap-high-write-marked",
		.quote = "WRMSR: with use MSR bitmaps 1, ECX in C0000000H-C0001FFFH (IA32_LSTAR) and its "
			 "bit in the write bitmap for high MSRs (offset 3072) 1: exit reason 32",
		.expect = ST_EXPECT_EXIT, .exit = 32 },
	[ST_MSR_BITMAP_HIGH_WRITE_CLEAR] = { .id = "msr-bitmap-high-write-clear",
		.quote = "WRMSR of a high MSR (IA32_STAR, its own value) whose write-bitmap bit is 0 (its "
			 "read-bitmap bit is 1) runs without a VM exit (the guest's VMCALL, exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18 },
	[ST_MSR_OUTSIDE_READ] = { .id = "msr-bitmap-outside-read",
		.quote = "RDMSR: with use MSR bitmaps 1, the value of ECX is in neither 00000000H-00001FFFH "
			 "nor C0000000H-C0001FFFH (ECX 2000H): exit reason 31",
		.expect = ST_EXPECT_EXIT, .exit = 31 },
	[ST_MSR_OUTSIDE_WRITE] = { .id = "msr-bitmap-outside-write",
		.quote = "WRMSR: with use MSR bitmaps 1, the value of ECX is in neither 00000000H-00001FFFH "
			 "nor C0000000H-C0001FFFH (ECX C0002000H): exit reason 32",
		.expect = ST_EXPECT_EXIT, .exit = 32 },
	/* Vol. 3C, "EPT Misconfigurations", "Accessed and Dirty Flags for EPT", "EPT
	 * Translation Mechanism" (2-MByte and 1-GByte pages). */
	[ST_EPT_MISCONFIG_RESERVED_BIT] = { .id = "ept-misconfig-reserved-bit",
		.quote = "An EPT entry is misconfigured if a reserved bit is set (bit 12 of a PDE that maps "
			 "a 2-MByte page; bits 20:12 are reserved): exit reason 49, the guest-physical address",
		.expect = ST_EXPECT_EXIT, .exit = 49, .check_gpa = true, .gpa = EPT_RESERVED_BIT_GPA },
	[ST_EPT_MISCONFIG_MEMTYPE] = { .id = "ept-misconfig-memory-type",
		.quote = "An EPT entry is misconfigured if it maps a page and its memory type (bits 5:3) is "
			 "2, 3 or 7 (here 2): exit reason 49, the guest-physical address",
		.expect = ST_EXPECT_EXIT, .exit = 49, .check_gpa = true, .gpa = EPT_BAD_MEMTYPE_GPA },
	[ST_EPT_MISCONFIG_NONLEAF] = { .id = "ept-misconfig-non-leaf-reserved-bit",
		.quote = "An EPT entry is misconfigured if a reserved bit is set (bit 3 of a PDE that "
			 "references an EPT page table; bits 6:3 are reserved): exit reason 49, the "
			 "guest-physical address",
		.expect = ST_EXPECT_EXIT, .exit = 49, .check_gpa = true, .gpa = EPT_NONLEAF_RESERVED_GPA },
	[ST_EPT_ACCESSED] = { .id = "ept-accessed-flag-read",
		.quote = "With bit 6 of the EPTP 1 (IA32_VMX_EPT_VPID_CAP[21]), a read through an EPT leaf "
			 "sets its accessed flag (bit 8) and not its dirty flag (bit 9): value bits 9:8 = 01b",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_EPT_DIRTY] = { .id = "ept-dirty-flag-write",
		.quote = "With bit 6 of the EPTP 1, a write through an EPT leaf sets its accessed flag (bit "
			 "8) and its dirty flag (bit 9): value bits 9:8 = 11b",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_EPT_2MB_PAGE] = { .id = "ept-2mb-page",
		.quote = "A PDE with bit 7 set maps a 2-MByte page: the guest reads a known value through a "
			 "2 MiB leaf that maps another host region than its guest-physical address (value)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_EPT_1GB_PAGE] = { .id = "ept-1gb-page",
		.quote = "A PDPTE with bit 7 set maps a 1-GByte page (IA32_VMX_EPT_VPID_CAP[17]): the guest "
			 "reads a known value at 6 GiB plus its address, through a leaf for host [0, 1 GiB)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	/* Vol. 3C, "Interruptibility State", "Interrupt-Window Exiting and Virtual-Interrupt
	 * Delivery"; "Virtualizing MOV to CR8", "TPR Virtualization". */
	[ST_INTR_WINDOW_MOV_SS] = { .id = "interrupt-window-mov-ss-blocking",
		.quote = "Interrupt-window exiting with blocking by MOV SS at entry: no exit before the "
			 "first instruction; the exit (reason 7) comes after it (value: the RIP's offset, 1)",
		.expect = ST_EXPECT_EXIT, .exit = 7, .check_value = true },
	[ST_TPR_BELOW_THRESHOLD] = { .id = "tpr-shadow-below-threshold",
		.quote = "Use TPR shadow, VTPR 50H, TPR threshold 3: the guest's MOV to CR8 of 1 writes VTPR "
			 "10H and, bits 7:4 below the threshold, causes a VM exit after it: exit reason 43 "
			 "(value: VTPR)",
		.expect = ST_EXPECT_EXIT, .exit = 43, .check_value = true },
	/* Vol. 3C, "VM-Exit Controls" (acknowledge interrupt on exit), "Information for VM Exits
	 * Due to Vectored Events", "Other Causes of VM Exits" (external interrupts), "Event
	 * Blocking" ("Other Changes in VMX Non-Root Operation"). */
	[ST_ACK_INTR_ON_EXIT] = { .id = "external-interrupt-ack-on-exit",
		.quote = "External-interrupt exiting with acknowledge interrupt on exit, guest RFLAGS.IF 1: a "
			 "self-IPI (vector 3EH) pending in the IRR at entry causes a VM exit before the guest's "
			 "first instruction (reason 1); the processor acknowledges the interrupt and the VM-exit "
			 "interruption information holds its vector, type external interrupt, valid: 8000003EH",
		.expect = ST_EXPECT_EXIT, .exit = 1, .info = 0x8000003e, .info_mask = 0x800007ff,
		.before_guest = true },
	[ST_EXT_INTR_EXIT_IF_CLEAR] = { .id = "external-interrupt-exit-if-clear",
		.quote = "If the external-interrupt exiting VM-execution control is 1, RFLAGS.IF does not "
			 "control the blocking of external interrupts: the same with guest RFLAGS.IF 0, exit "
			 "reason 1 before the first instruction, interruption information 8000003EH",
		.expect = ST_EXPECT_EXIT, .exit = 1, .info = 0x8000003e, .info_mask = 0x800007ff,
		.before_guest = true },
	/* Vol. 3C, "Delivery of Pending Debug Exceptions after VM Entry", "Guest Non-Register
	 * State" (pending debug exceptions), "Exit Qualification for Debug Exceptions". */
	[ST_PENDING_DBG_BS] = { .id = "pending-debug-single-step",
		.quote = "Pending debug exceptions BS (bit 14) at VM entry, RFLAGS.TF 1: the #DB is delivered "
			 "after VM entry completes, before the guest's first instruction; #DB set in the "
			 "exception bitmap, it exits: reason 0, interruption information 80000301H, "
			 "qualification BS (bit 14)",
		.expect = ST_EXPECT_EXIT, .exit = 0, .qual = 0x4000, .qual_mask = 0x600f,
		.info = 0x80000301, .info_mask = 0x800007ff, .before_guest = true },
	[ST_PENDING_DBG_BP] = { .id = "pending-debug-breakpoint",
		.quote = "Pending debug exceptions B0 (bit 0) and enabled breakpoint (bit 12) at VM entry: a "
			 "#DB before the guest's first instruction; it exits: reason 0, interruption "
			 "information 80000301H, qualification B0 (bit 0)",
		.expect = ST_EXPECT_EXIT, .exit = 0, .qual = 0x1, .qual_mask = 0x600f,
		.info = 0x80000301, .info_mask = 0x800007ff, .before_guest = true },
	/* Vol. 3C, "Other Causes of VM Exits" (INIT signals, start-up IPIs), "Restrictions on
	 * VMX Operation" (INIT blocked in VMX root operation); another CPU sends them. */
	[ST_INIT_HELD_IN_ROOT] = { .id = "init-held-in-root",
		.quote = "INIT signals are blocked whenever a logical processor is in VMX root operation: "
			 "an INIT sent then leaves the CPU running and stays pending, so the next VM entry "
			 "exits before the guest's first instruction (reason 3)",
		.expect = ST_EXPECT_EXIT, .exit = 3, .before_guest = true },
	[ST_INIT_EXIT] = { .id = "init-exit",
		.quote = "INIT signals cause VM exits: an INIT sent by another CPU while the guest runs "
			 "exits (reason 3), and the exit consumes it: the next VM entry runs the guest "
			 "(value 1; an INIT still pending would exit again, and VMXOFF would deliver it)",
		.expect = ST_EXPECT_EXIT, .exit = 3, .check_value = true },
	[ST_SIPI_EXIT] = { .id = "sipi-exit",
		.quote = "Start-up IPIs cause VM exits in the wait-for-SIPI activity state: a guest entered "
			 "in that state exits on a SIPI (reason 4) before any instruction, the SIPI's "
			 "vector (5EH) in the exit qualification",
		.expect = ST_EXPECT_EXIT, .exit = 4, .qual = 0x5e, .qual_mask = 0xff, .before_guest = true },
	/* Vol. 3C, "CR3-Target Controls", "Instructions That Cause VM Exits Conditionally"
	 * (MOV to CR3). */
	[ST_CR3_TARGET_LAST] = { .id = "cr3-target-last-no-exit",
		.quote = "CR3-load exiting with every CR3-target value the CPU has (up to 4): a MOV to CR3 "
			 "of the last target value does not exit (\"the value of its source operand is "
			 "equal to one of the CR3-target values specified in the VMCS\"): the guest "
			 "reaches its VMCALL (exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18 },
	/* Vol. 3C, "VMX Instruction Reference" (VMLAUNCH/VMRESUME, "VM Instruction Error
	 * Numbers"); "Interruptibility State", "Debug Exceptions, Single-Step" (MOV SS);
	 * "Saving Non-Register State" (pending debug exceptions, interruptibility). */
	[ST_VMLAUNCH_MOV_SS] = { .id = "vmlaunch-in-mov-ss-shadow",
		.quote = "VMLAUNCH: ELSIF events are being blocked by MOV SS THEN VMfail(VM entry with events "
			 "blocked by MOV SS) (error 26), a check made before the launch state's: VMLAUNCH "
			 "right after a MOV to SS, on a launched VMCS",
		.expect = ST_EXPECT_FAIL_VALID, .error = 26 },
	[ST_VMLAUNCH_MOV_SS_NO_VMCS] = { .id = "vmlaunch-in-mov-ss-shadow-no-vmcs",
		.quote = "VMLAUNCH: ELSIF there is no current VMCS THEN VMfailInvalid, a check made before "
			 "the MOV SS one: VMLAUNCH right after a MOV to SS, no current VMCS",
		.expect = ST_EXPECT_FAIL_INVALID },
	[ST_DBG_MOV_SS_SHADOW] = { .id = "single-step-in-mov-ss-shadow",
		.quote = "VM entry with blocking by MOV SS, RFLAGS.TF 1 and BS, enabled breakpoint and B0 "
			 "pending: the guest's first instruction runs in the shadow, then one #DB: exit 0, "
			 "80000301H, qualification BS and B0 (4001H), RIP after that instruction (value: "
			 "its offset, 1)",
		.expect = ST_EXPECT_EXIT, .exit = 0, .qual = 0x4001, .qual_mask = 0x600f,
		.info = 0x80000301, .info_mask = 0x800007ff, .check_value = true },
	[ST_MOV_SS_VMCALL] = { .id = "mov-ss-vmcall-saves-pending-debug",
		.quote = "The guest, RFLAGS.TF 1, loads SS (its single-step #DB held by MOV SS) and makes a "
			 "VMCALL: exit 18, and the exit saves blocking by MOV SS (interruptibility bit 1) and "
			 "no breakpoint pending (pending debug exceptions bits 3:0 and 12; BS, \"implementation-"
			 "specific\" here, not checked): value 2H",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	/* Vol. 3C, "Virtual NMIs", "NMI-Window Exiting", "Changes to Instruction Behavior in
	 * VMX Non-Root Operation" (IRET). */
	[ST_NMI_WINDOW_BLOCKED] = { .id = "nmi-window-virtual-nmi-blocked",
		.quote = "Virtual NMIs and NMI-window exiting, blocking by NMI at entry (virtual-NMI "
			 "blocking): no NMI-window exit while it lasts; the guest reaches its VMCALL (exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18 },
	[ST_NMI_WINDOW_IRET] = { .id = "nmi-window-after-iret",
		.quote = "The same, the guest executing IRET: \"if the virtual NMIs VM-execution control is 1, "
			 "IRET removes any virtual-NMI blocking\": the NMI-window exit (reason 8) comes at the "
			 "IRET's target (value: its offset)",
		.expect = ST_EXPECT_EXIT, .exit = 8, .check_value = true },
	/* Vol. 3C, "Other Causes of VM Exits" (start-up IPIs). */
	[ST_SIPI_IGNORED_ACTIVE] = { .id = "sipi-ignored-when-active",
		.quote = "\"If a logical processor is not in the wait-for-SIPI activity state when a SIPI "
			 "arrives, no VM exit occurs and the SIPI is discarded\": a SIPI sent by another CPU "
			 "while the guest runs; the guest reaches its VMCALL (exit 18; value 1: the SIPI was "
			 "sent)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	/* Vol. 3C, "EPT Violations", "EPT Misconfigurations", "Exit Qualification for EPT
	 * Violations": every leaf maps the code of the guest's two NOPs; a write stores the
	 * bytes it finds there. */
	[ST_EPT_R_READ] = { .id = "ept-read-only-read",
		.quote = "A read through a read-only EPT entry (R=1 W=0 X=0) is allowed: the guest reads the "
			 "bytes (value) and reaches its VMCALL (exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_EPT_R_FETCH] = { .id = "ept-read-only-fetch",
		.quote = "An instruction fetch through a read-only EPT entry is an EPT violation: exit reason "
			 "48, qualification 18CH (bit 2 fetch; bits 5:3 001b; bits 7, 8), the address",
		.expect = ST_EXPECT_EXIT, .exit = 48, .qual = 0x18c, .qual_mask = EPT_QUAL_CHECKED,
		.check_value = true },
	[ST_EPT_RW_WRITE] = { .id = "ept-read-write-write",
		.quote = "A write through a read/write EPT entry (R=1 W=1 X=0) is allowed: the guest "
			 "reaches its VMCALL (exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18 },
	[ST_EPT_X_FETCH] = { .id = "ept-execute-only-fetch",
		.quote = "An instruction fetch through an execute-only EPT entry (R=0 W=0 X=1, allowed by "
			 "IA32_VMX_EPT_VPID_CAP[0]) is allowed: the guest runs the two NOPs there and its "
			 "VMCALL (exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18 },
	[ST_EPT_X_WRITE] = { .id = "ept-execute-only-write",
		.quote = "A write through an execute-only EPT entry is an EPT violation: exit reason 48, "
			 "qualification 1A2H (bit 1 write; bits 5:3 100b; bits 7, 8), the address",
		.expect = ST_EXPECT_EXIT, .exit = 48, .qual = 0x1a2, .qual_mask = EPT_QUAL_CHECKED,
		.check_value = true },
	[ST_EPT_RX_READ] = { .id = "ept-read-execute-read",
		.quote = "A read through a read/execute EPT entry (R=1 W=0 X=1) is allowed: the guest reads "
			 "the bytes (value) and reaches its VMCALL (exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_EPT_RX_WRITE] = { .id = "ept-read-execute-write",
		.quote = "A write through a read/execute EPT entry is an EPT violation: exit reason 48, "
			 "qualification 1AAH (bit 1 write; bits 5:3 101b; bits 7, 8), the address",
		.expect = ST_EXPECT_EXIT, .exit = 48, .qual = 0x1aa, .qual_mask = EPT_QUAL_CHECKED,
		.check_value = true },
	[ST_EPT_RX_FETCH] = { .id = "ept-read-execute-fetch",
		.quote = "An instruction fetch through a read/execute EPT entry is allowed: the guest runs "
			 "the two NOPs there and its VMCALL (exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18 },
	[ST_EPT_RWX_WRITE] = { .id = "ept-read-write-execute-write",
		.quote = "A write through an EPT entry with all three permissions is allowed: the guest "
			 "reaches its VMCALL (exit 18)",
		.expect = ST_EXPECT_EXIT, .exit = 18 },
	[ST_EPT_NP_FETCH] = { .id = "ept-not-present-fetch",
		.quote = "An instruction fetch from a guest-physical address no EPT entry maps is an EPT "
			 "violation: exit reason 48, qualification 184H (bit 2 fetch; bits 5:3 000b; bits 7, "
			 "8), the address",
		.expect = ST_EXPECT_EXIT, .exit = 48, .qual = 0x184, .qual_mask = EPT_QUAL_CHECKED,
		.check_value = true },
	[ST_EPT_WX_MISCONFIG] = { .id = "ept-misconfig-write-execute",
		.quote = "A present EPT entry with bit 0 clear and bit 1 set is misconfigured, whatever its "
			 "bit 2 (write and execute, no read): a read through it is an EPT misconfiguration, "
			 "exit reason 49, the address",
		.expect = ST_EXPECT_EXIT, .exit = 49, .check_value = true },
	[ST_EPT_W_MISCONFIG_WRITE] = { .id = "ept-misconfig-write-only-write",
		.quote = "A write-only EPT entry is misconfigured whatever the access: a write through it is "
			 "an EPT misconfiguration (exit reason 49), not a write allowed or a violation, the "
			 "address",
		.expect = ST_EXPECT_EXIT, .exit = 49, .check_value = true },
	/* APIC virtualization (kernel/vmx_apicv.c; expectations: lib/vmx_apicv.h). Vol. 3C,
	 * "APIC Virtualization and Virtual Interrupts": "Virtualizing Reads from the
	 * APIC-Access Page", "Virtualizing Writes to the APIC-Access Page", "APIC-Write
	 * Emulation", "TPR Virtualization", "APIC-Access VM Exits", "APIC-Write VM Exits";
	 * "Exit Qualification for APIC-Access VM Exits from Linear Accesses and
	 * Guest-Physical Accesses". Every rule with use TPR shadow 1; the guest's
	 * accesses are 32-bit. value: the guest's RAX, or the virtual-APIC page after. */
	[ST_APIC_ACCESS_READ_EXIT] = { .id = "apic-access-read-exit",
		.quote = "Virtualize APIC accesses, no APIC-register virtualization: a read of the "
			 "APIC-access page other than at 080H (VTPR) causes an APIC-access VM exit: the "
			 "APIC ID (020H): exit reason 44, qualification 020H (offset; access type 0, a "
			 "linear read during instruction execution)",
		.expect = ST_EXPECT_EXIT, .exit = 44, .qual = 0x020, .qual_mask = 0xffff },
	[ST_APIC_ACCESS_WRITE_EXIT] = { .id = "apic-access-write-exit",
		.quote = "Virtualize APIC accesses, no APIC-register virtualization or virtual-interrupt "
			 "delivery: a write other than at 080H causes an APIC-access VM exit: the APIC ID "
			 "(020H): exit reason 44, qualification 1020H (access type 1, a linear write)",
		.expect = ST_EXPECT_EXIT, .exit = 44, .qual = 0x1020, .qual_mask = 0xffff },
	[ST_APIC_ACCESS_VTPR_READ] = { .id = "apic-access-vtpr-read",
		.quote = "Virtualize APIC accesses and use TPR shadow: a 32-bit read at offset 080H is "
			 "virtualized: it returns VTPR from the virtual-APIC page (50H) without a VM exit "
			 "(the guest's VMCALL, exit 18; value: what it read)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_APIC_ACCESS_VTPR_WRITE] = { .id = "apic-access-vtpr-write-below-threshold",
		.quote = "A write of 12345620H at offset 080H is virtualized: APIC-write emulation clears "
			 "bytes 081H-083H and performs TPR virtualization: VTPR 20H, bits 7:4 below the "
			 "TPR threshold (3): a VM exit after the write, exit reason 43 (value: VTPR)",
		.expect = ST_EXPECT_EXIT, .exit = 43, .check_value = true },
	[ST_APIC_REG_VIRT_READ] = { .id = "apic-register-virt-read-id",
		.quote = "APIC-register virtualization: a read of the APIC ID (020H) is virtualized: it "
			 "returns the virtual-APIC page's bytes (A5000000H) without a VM exit (exit 18; "
			 "value: what the guest read)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_APIC_REG_VIRT_PPR_EXIT] = { .id = "apic-register-virt-read-ppr-exit",
		.quote = "APIC-register virtualization: PPR (0A0H) is not among the offsets whose reads "
			 "are virtualized: \"In all other cases, the access causes an APIC-access VM exit\": "
			 "exit reason 44, qualification 0A0H",
		.expect = ST_EXPECT_EXIT, .exit = 44, .qual = 0x0a0, .qual_mask = 0xffff },
	[ST_APIC_WRITE_EXIT] = { .id = "apic-write-exit-spiv",
		.quote = "APIC-register virtualization: a write of 1FFH to the spurious-interrupt vector "
			 "register (0F0H) is virtualized (the virtual-APIC page takes it), then APIC-write "
			 "emulation causes an APIC-write VM exit: exit reason 56, qualification 0F0H (value: "
			 "the virtual-APIC page's 0F0H)",
		.expect = ST_EXPECT_EXIT, .exit = 56, .qual = 0x0f0, .qual_mask = 0xfff, .check_value = true },
	/* Vol. 3C, "Virtual-Interrupt Delivery", "Evaluation of Pending Virtual Interrupts",
	 * "PPR Virtualization", "EOI Virtualization"; "VM Entries", "Updating Non-Register
	 * State" ("VM entry ... performs PPR virtualization ... and then evaluates pending
	 * virtual interrupts"). value: the guest interrupt status (SVI 15:8, RVI 7:0). */
	[ST_VID_AT_ENTRY] = { .id = "virtual-interrupt-delivery-at-entry",
		.quote = "Virtual-interrupt delivery, guest interrupt status RVI 41H, VIRR 41H and 35H, "
			 "VTPR 0, guest RFLAGS.IF 1 at a HLT: VM entry evaluates pending virtual interrupts "
			 "and 41H is delivered through the guest IDT before the HLT (the handler's VMCALL, "
			 "exit 18); SVI 41H, RVI 35H after (value 4135H)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_VID_EOI_EXIT] = { .id = "eoi-virtualization-exit",
		.quote = "Virtual-interrupt delivery, SVI 41H, VISR 41H and 31H, bit 41H set in the "
			 "EOI-exit bitmap: a write to EOI (0B0H) causes EOI virtualization: 41H cleared in "
			 "VISR, SVI the highest left (31H), then a VM exit: exit reason 45, qualification the "
			 "vector 41H (value: the guest interrupt status, 3100H)",
		.expect = ST_EXPECT_EXIT, .exit = 45, .qual = 0x41, .qual_mask = 0xffff, .check_value = true },
	/* Vol. 3C, "Posted-Interrupt Processing", "Posted-Interrupt Descriptor". */
	[ST_POSTED_INTR] = { .id = "posted-interrupt-processing",
		.quote = "Process posted interrupts, notification vector F2H, PIR 41H and ON set: the "
			 "notification (a self-IPI pending at entry) is not a VM exit; the processor clears "
			 "ON, writes EOI, merges PIR into VIRR and delivers 41H through the guest IDT before "
			 "its HLT (the handler's VMCALL, exit 18); SVI 41H, RVI 0, ON and PIR clear after "
			 "(value 4100H)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	/* Vol. 3C, "VMCS Shadowing", "VMREAD/VMWRITE bitmaps"; "Changes to Instruction
	 * Behavior in VMX Non-Root Operation" (VMREAD, VMWRITE). The shadow VMCS: the link
	 * pointer's region, its shadow-VMCS indicator (bit 31) set. */
	[ST_SHADOW_VMREAD] = { .id = "vmcs-shadow-vmread",
		.quote = "VMCS shadowing: the guest's VMREAD of a field (guest RIP) whose bit in the "
			 "VMREAD bitmap is 0 reads it from the shadow VMCS without a VM exit (exit 18; "
			 "value: what it read, the shadow's)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_SHADOW_VMWRITE] = { .id = "vmcs-shadow-vmwrite",
		.quote = "VMCS shadowing: the guest's VMWRITE of a field (guest RSP) whose bit in the "
			 "VMWRITE bitmap is 0 writes the shadow VMCS without a VM exit (exit 18; value: the "
			 "shadow's field, read after)",
		.expect = ST_EXPECT_EXIT, .exit = 18, .check_value = true },
	[ST_SHADOW_VMWRITE_EXIT] = { .id = "vmcs-shadow-vmwrite-bitmap-exit",
		.quote = "VMCS shadowing: the guest's VMWRITE of a field (guest RIP) whose bit in the "
			 "VMWRITE bitmap is 1 causes a VM exit: exit reason 25",
		.expect = ST_EXPECT_EXIT, .exit = 25 },
};

/* The VM-entry rules, as st_rules: their names and the SDM's words are
 * lib/vmcs_entry_rules.c's (filled in on first use, the same by every CPU). */
static struct st_rule entry_rules[ENTRY_RULES];

const struct st_rule *st_rule(enum st_rule_id id)
{
	if (id >= ST_ENTRY_FIRST && id <= ST_ENTRY_LAST) {
		struct st_rule *r = &entry_rules[id - ST_ENTRY_FIRST];
		const struct entry_rule *e = entry_rule(id - ST_ENTRY_FIRST);
		r->id = e->name;
		r->quote = e->quote;
		r->expect = ST_EXPECT_ENTRY_FAIL;
		return r;
	}
	return id < ST_RULES ? &rules[id] : 0;
}

/* Did VM entry fail as one of the ENTRY_FAIL_* outcomes in `expect`? A
 * VM-entry failure (exit 33) with the exit qualification expected: SDM Vol. 3C,
 * "VM-Entry Failures During or After Loading Guest State". */
static bool entry_failed_as(const struct st_observed *o, unsigned expect)
{
	if (o->vector >= 0)
		return false;
	if (o->outcome == VMX_FAIL_VALID && o->has_error)
		return (o->error == 7 && (expect & ENTRY_FAIL_CONTROL)) ||
		       (o->error == 8 && (expect & ENTRY_FAIL_HOST));
	return o->has_exit && o->exit_reason == (VMX_EXIT_REASONS_FAILED_VMENTRY | EXIT_REASON_INVALID_STATE) &&
	       o->qual <= ENTRY_FAIL_GUEST_QUAL_MAX && (expect & ENTRY_FAIL_GUEST_QUAL(o->qual));
}

enum st_verdict st_judge(enum st_rule_id id, const struct st_observed *o)
{
	const struct st_rule *r = st_rule(id);

	if (!r)
		return ST_FAIL;
	if (id >= ST_ENTRY_FIRST && id <= ST_ENTRY_LAST)
		return entry_failed_as(o, o->entry_expect) ? ST_PASS : ST_FAIL;
	switch (r->expect) {
	case ST_EXPECT_UD:
		return o->vector == 6 ? ST_PASS : ST_FAIL;
	case ST_EXPECT_GP:
		return o->vector == 13 ? ST_PASS : ST_FAIL;
	case ST_EXPECT_FAIL_INVALID:
		return o->vector < 0 && o->outcome == VMX_FAIL_INVALID ? ST_PASS : ST_FAIL;
	case ST_EXPECT_FAIL_VALID:
		return o->vector < 0 && o->outcome == VMX_FAIL_VALID && o->has_error &&
		       o->error == r->error ? ST_PASS : ST_FAIL;
	case ST_EXPECT_EXIT:
		return o->vector < 0 && o->has_exit && o->exit_reason == r->exit &&
		       (o->qual & r->qual_mask) == r->qual &&
		       (o->info & r->info_mask) == r->info &&
		       (!r->before_guest || o->rip_unchanged) &&
		       (!r->check_gpa || o->gpa == r->gpa) &&
		       (!r->check_cycles || (o->cycles >= o->cycles_min && o->cycles <= o->cycles_bound)) &&
		       (!r->check_value || (o->has_value && o->value == o->value_expected)) &&
		       (!r->check_timer_saved ||
			(o->has_timer && o->timer_saved < o->timer_initial)) ? ST_PASS : ST_FAIL;
	case ST_EXPECT_SUCCEED:
		return o->vector < 0 && !o->has_exit && o->outcome == VMX_SUCCEED ? ST_PASS : ST_FAIL;
	case ST_EXPECT_ENTRY_FAIL:
		return entry_failed_as(o, o->entry_expect) ? ST_PASS : ST_FAIL;
	}
	return ST_FAIL;
}

static void st_describe_plain(char *buf, size_t size, const struct st_observed *o);

static void describe_exit(char *buf, size_t size, const struct st_observed *o)
{
	size_t n = fmt_snprintf(buf, size, "%sexit %u qualification=0x%lx info=0x%x gpa=0x%lx%s",
				o->exit_reason >> 31 ? "entry-failure " : "", o->exit_reason & 0xffff,
				(unsigned long)o->qual, o->info, (unsigned long)o->gpa,
				o->rip_unchanged ? " before the first instruction" : "");
	if (o->cycles_bound && n < size)
		n += fmt_snprintf(buf + n, size - n, " after %lu cycles (bounds %lu-%lu)",
				  (unsigned long)o->cycles, (unsigned long)o->cycles_min,
				  (unsigned long)o->cycles_bound);
	if (o->has_value && n < size)
		n += fmt_snprintf(buf + n, size - n, " value=0x%lx (expected 0x%lx)",
				  (unsigned long)o->value, (unsigned long)o->value_expected);
	if (o->has_timer && n < size)
		fmt_snprintf(buf + n, size - n, " timer %u->%u", o->timer_initial, o->timer_saved);
}

/* What the checker expects, after what happened: when the two disagree, and
 * when the SDM lets the CPU choose between two errors. A VM-entry failure is
 * said with the exit qualifications expected ("entry-failure exit 33
 * qualification=0x4"; "qualification=0x0 or 0x2" where either is right), as
 * describe_exit() says what came. */
static void describe_expect(char *buf, size_t size, const struct st_observed *o)
{
	unsigned e = o->entry_expect;
	bool either = (e & ENTRY_FAIL_CONTROL) && (e & ENTRY_FAIL_HOST);
	const char *sep = " qualification=";
	size_t n = 0;

	while (n < size && buf[n])
		n++;
	if (!e || n >= size)
		return;
	if (entry_failed_as(o, e)) {
		if (either)
			fmt_snprintf(buf + n, size - n, " (VMfailValid(7) or (8) accepted: the SDM lets the "
				     "processor check controls and host state in any order)");
		return;
	}
	n += fmt_snprintf(buf + n, size - n, "; the checker expected %s%s%s",
			  e & ENTRY_FAIL_CONTROL ? "VMfailValid(7)" : "", either ? " or " : "",
			  e & ENTRY_FAIL_HOST ? "VMfailValid(8)" : "");
	if (n < size && (e & ~(ENTRY_FAIL_CONTROL | ENTRY_FAIL_HOST)))
		n += fmt_snprintf(buf + n, size - n, "entry-failure exit 33");
	for (unsigned q = 0; q <= ENTRY_FAIL_GUEST_QUAL_MAX; q++)
		if (n < size && (e & ENTRY_FAIL_GUEST_QUAL(q))) {
			n += fmt_snprintf(buf + n, size - n, "%s0x%x", sep, q);
			sep = " or ";
		}
	if (n < size && either)
		fmt_snprintf(buf + n, size - n,
			     " (the SDM lets the processor check controls and host state in any order)");
}

void st_describe_verdict(char *buf, size_t size, const struct st_observed *o, enum st_verdict v)
{
	size_t n = 0;

	st_describe_plain(buf, size, o);
	if (v == ST_FAIL && o->vector < 0 && o->has_exit && o->has_details) {
		while (n < size && buf[n])
			n++;
		if (n < size)
			fmt_snprintf(buf + n, size - n, " vector=%u error-code=0x%x idt-vectoring=0x%x rip=0x%lx",
				     o->info & 0xff, o->error_code, o->idt_info, (unsigned long)o->rip);
	}
	describe_expect(buf, size, o);
}

void st_describe(char *buf, size_t size, const struct st_observed *o)
{
	st_describe_plain(buf, size, o);
	describe_expect(buf, size, o);
}

static void st_describe_plain(char *buf, size_t size, const struct st_observed *o)
{
	if (o->vector < 0 && o->has_exit)
		describe_exit(buf, size, o);
	else if (o->vector == 6)
		fmt_snprintf(buf, size, "#UD");
	else if (o->vector == 13)
		fmt_snprintf(buf, size, "#GP");
	else if (o->vector >= 0)
		fmt_snprintf(buf, size, "exception %d", o->vector);
	else if (o->outcome == VMX_SUCCEED)
		fmt_snprintf(buf, size, "VMsucceed");
	else if (o->outcome == VMX_FAIL_INVALID)
		fmt_snprintf(buf, size, "VMfailInvalid");
	else if (o->has_error)
		fmt_snprintf(buf, size, "VMfailValid(%u)", o->error);
	else
		fmt_snprintf(buf, size, "VMfailValid(error unreadable)");
}

const char *st_verdict_str(enum st_verdict v)
{
	switch (v) {
	case ST_PASS: return "PASS";
	case ST_FAIL: return "FAIL";
	case ST_SKIP: return "SKIP";
	case ST_NOT_RUN: break;
	}
	return "SKIP";
}

struct st_tally st_tally(const uint8_t *v, unsigned n)
{
	struct st_tally t = { 0, 0, 0 };

	for (unsigned i = 0; i < n; i++) {
		if (v[i] == ST_PASS)
			t.passed++;
		else if (v[i] == ST_FAIL)
			t.failed++;
		else
			t.skipped++;
	}
	return t;
}
