/* SPDX-License-Identifier: MIT */
/*
 * int vmx_enter_guest(struct guest_regs *regs, int launched): see vmx_entry.h.
 *
 * SDM Vol. 3C, "VM Exits", "Loading Host State": a VM exit loads RSP and RIP
 * from the host-state area and keeps the other general-purpose registers as
 * the guest left them. So HOST_RSP is set to this function's stack, with the
 * regs pointer on top, and HOST_RIP to vmx_exit_entry, which saves the guest's
 * registers and returns from vmx_enter_guest as if VMLAUNCH had returned.
 * VMLAUNCH/VMRESUME that fail (VMfailInvalid: CF=1; VMfailValid: ZF=1) fall
 * through to the next instruction; one that raises an exception resumes at
 * the fix-up label (arch/x86.h's _ASM_EXTABLE mechanism).
 */
#include "arch/vmx_entry.h"
#include "lib/extable.h"
#include "lib/vmcs.h"

	.text
	.code64
	.globl vmx_enter_guest
vmx_enter_guest:
	PUSH_CALLEE_SAVED
	push	%rdi				/* regs: on top of the stack the exit comes back to */
	mov	$HOST_RSP, %eax
	vmwrite	%rsp, %rax
	mov	%ss, vmx_ss_selector(%rip)	/* for VMX_LAUNCH_MOV_SS: MOV to SS from memory */
	mov	%esi, %ecx			/* launched? */
	mov	GUEST_RAX(%rdi), %rax
	mov	GUEST_RBX(%rdi), %rbx
	mov	GUEST_RDX(%rdi), %rdx
	mov	GUEST_RSI(%rdi), %rsi
	mov	GUEST_RBP(%rdi), %rbp
	mov	GUEST_R8(%rdi), %r8
	mov	GUEST_R9(%rdi), %r9
	mov	GUEST_R10(%rdi), %r10
	mov	GUEST_R11(%rdi), %r11
	mov	GUEST_R12(%rdi), %r12
	mov	GUEST_R13(%rdi), %r13
	mov	GUEST_R14(%rdi), %r14
	mov	GUEST_R15(%rdi), %r15
	cmp	$1, %ecx
	mov	GUEST_RCX(%rdi), %rcx		/* MOV leaves the flags of the CMP alone */
	mov	GUEST_RDI(%rdi), %rdi
	jb	1f
	je	2f
	/* VMX_LAUNCH_MOV_SS: VMLAUNCH in the shadow of a MOV to SS (SDM Vol. 3C,
	 * "VMLAUNCH/VMRESUME": "ELSIF events are being blocked by MOV SS THEN
	 * VMfail(VM entry with events blocked by MOV SS)"), no GPR disturbed. */
	mov	vmx_ss_selector(%rip), %ss
6:	vmlaunch
	jmp	3f
1:	vmlaunch
	jmp	3f
2:	vmresume
3:	/* VMfail: CF=1 VMfailInvalid, else ZF=1 VMfailValid. */
	mov	$VMX_ENTER_FAIL_INVALID, %eax
	jc	4f
	mov	$VMX_ENTER_FAIL_VALID, %eax
	jmp	4f
5:	mov	$VMX_ENTER_FAULT, %eax
4:	pop	%rdi
	jmp	.Lreturn

	.pushsection .ex_table, "a"
	.balign 8
	.quad 1b, 5b, EX_MASK_VMX
	.quad 2b, 5b, EX_MASK_VMX
	.quad 6b, 5b, EX_MASK_VMX
	.popsection

	.pushsection .data
	.balign 2
	.globl vmx_ss_selector
vmx_ss_selector:
	.word	0
	.popsection

	.globl vmx_exit_entry
vmx_exit_entry:
	xchg	%rdi, (%rsp)			/* rdi = regs; the guest's rdi on the stack */
	mov	%rax, GUEST_RAX(%rdi)
	mov	%rbx, GUEST_RBX(%rdi)
	mov	%rcx, GUEST_RCX(%rdi)
	mov	%rdx, GUEST_RDX(%rdi)
	mov	%rsi, GUEST_RSI(%rdi)
	mov	%rbp, GUEST_RBP(%rdi)
	mov	%r8, GUEST_R8(%rdi)
	mov	%r9, GUEST_R9(%rdi)
	mov	%r10, GUEST_R10(%rdi)
	mov	%r11, GUEST_R11(%rdi)
	mov	%r12, GUEST_R12(%rdi)
	mov	%r13, GUEST_R13(%rdi)
	mov	%r14, GUEST_R14(%rdi)
	mov	%r15, GUEST_R15(%rdi)
	pop	%rax
	mov	%rax, GUEST_RDI(%rdi)
	mov	$VMX_ENTER_EXITED, %eax
.Lreturn:
	POP_CALLEE_SAVED
	ret
