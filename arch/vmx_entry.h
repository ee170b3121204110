/* SPDX-License-Identifier: MIT */
/*
 * Entering a guest and coming back (arch/vmx_entry.S). SDM Vol. 3C, chapter
 * "VM Entries" (VMLAUNCH, VMRESUME) and chapter "VM Exits" ("Loading Host
 * State": RSP and RIP come from the VMCS host-state area; the general-purpose
 * registers other than RSP are not saved or loaded by the CPU).
 */
#ifndef VMXPROBE_ARCH_VMX_ENTRY_H
#define VMXPROBE_ARCH_VMX_ENTRY_H

/* Offsets in struct guest_regs, for the assembly. */
#define GUEST_RAX       0x00
#define GUEST_RBX       0x08
#define GUEST_RCX       0x10
#define GUEST_RDX       0x18
#define GUEST_RSI       0x20
#define GUEST_RDI       0x28
#define GUEST_RBP       0x30
#define GUEST_R8        0x38
#define GUEST_R9        0x40
#define GUEST_R10       0x48
#define GUEST_R11       0x50
#define GUEST_R12       0x58
#define GUEST_R13       0x60
#define GUEST_R14       0x68
#define GUEST_R15       0x70

/* vmx_enter_guest() results. */
#define VMX_ENTER_EXITED        0       /* a VM exit happened: read its reason */
#define VMX_ENTER_FAIL_INVALID  1       /* VMLAUNCH/VMRESUME: VMfailInvalid */
#define VMX_ENTER_FAIL_VALID    2       /* VMLAUNCH/VMRESUME: VMfailValid */
#define VMX_ENTER_FAULT         3       /* it raised an exception (vector in the trap slot) */

#ifdef __ASSEMBLER__
/* The System V ABI's callee-saved registers, which a guest overwrites: saved
 * before entering it and restored after (vmx_entry.S, svm_entry.S). */
.macro PUSH_CALLEE_SAVED
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
.endm
.macro POP_CALLEE_SAVED
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
.endm
#endif

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The guest's general-purpose registers but RSP (which the VMCS holds). */
struct guest_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

_Static_assert(__builtin_offsetof(struct guest_regs, rdi) == GUEST_RDI, "rdi");
_Static_assert(__builtin_offsetof(struct guest_regs, r15) == GUEST_R15, "r15");

/* launched: VMLAUNCH (0), VMRESUME (1), or VMLAUNCH right after a MOV to SS
 * (VMX_LAUNCH_MOV_SS: the conformance rule that it must fail). */
#define VMX_LAUNCH_MOV_SS       2

/*
 * Load the guest's registers from *regs and VMLAUNCH (launched == 0) or
 * VMRESUME the current VMCS, whose HOST_RIP must be vmx_exit_entry; HOST_RSP is
 * written here (the exit comes back on this stack). Returns VMX_ENTER_*; after
 * an exit the guest's registers are in *regs. Call between trap_try_begin()
 * and trap_try_end() to learn the vector of a VMX_ENTER_FAULT.
 */
int vmx_enter_guest(struct guest_regs *regs, int launched);

/* SS's selector, as vmx_enter_guest() last saw it (every CPU has the same). */
extern const uint16_t vmx_ss_selector;

/* Where VM exits land (the VMCS's HOST_RIP). Not to be called. */
extern const char vmx_exit_entry[];
#endif

#endif
