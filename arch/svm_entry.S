/* SPDX-License-Identifier: MIT */
/*
 * int svm_vmrun(uint64_t vmcb_pa, struct guest_regs *regs): see svm_entry.h.
 *
 * APM Vol. 2, 15.5 "VMRUN Instruction" and 15.6 "#VMEXIT": the host's callee-
 * saved registers are pushed (the guest overwrites them), the regs pointer and
 * the VMCB address kept on the stack, the guest's registers loaded, VMRUN;
 * after #VMEXIT RSP is the host's again, so the pointer is found on the stack
 * and the guest's registers stored. A VMRUN that raises an exception resumes
 * at the fix-up label (arch/x86.h's _ASM_EXTABLE mechanism).
 */
#include "arch/vmx_entry.h"
#include "lib/extable.h"

	.text
	.code64
	.globl svm_vmrun
svm_vmrun:
	PUSH_CALLEE_SAVED
	push	%rsi				/* 8(%rsp): regs */
	push	%rdi				/* (%rsp): the VMCB's address */
	call	trap_try_begin

	mov	8(%rsp), %rax
	mov	GUEST_RBX(%rax), %rbx
	mov	GUEST_RCX(%rax), %rcx
	mov	GUEST_RDX(%rax), %rdx
	mov	GUEST_RDI(%rax), %rdi
	mov	GUEST_RBP(%rax), %rbp
	mov	GUEST_R8(%rax), %r8
	mov	GUEST_R9(%rax), %r9
	mov	GUEST_R10(%rax), %r10
	mov	GUEST_R11(%rax), %r11
	mov	GUEST_R12(%rax), %r12
	mov	GUEST_R13(%rax), %r13
	mov	GUEST_R14(%rax), %r14
	mov	GUEST_R15(%rax), %r15
	mov	GUEST_RSI(%rax), %rsi
	mov	(%rsp), %rax
1:	vmrun	%rax
2:
	/* #VMEXIT (or the fix-up after a faulting VMRUN): store the guest's registers. */
	mov	8(%rsp), %rax
	mov	%rbx, GUEST_RBX(%rax)
	mov	%rcx, GUEST_RCX(%rax)
	mov	%rdx, GUEST_RDX(%rax)
	mov	%rsi, GUEST_RSI(%rax)
	mov	%rdi, GUEST_RDI(%rax)
	mov	%rbp, GUEST_RBP(%rax)
	mov	%r8, GUEST_R8(%rax)
	mov	%r9, GUEST_R9(%rax)
	mov	%r10, GUEST_R10(%rax)
	mov	%r11, GUEST_R11(%rax)
	mov	%r12, GUEST_R12(%rax)
	mov	%r13, GUEST_R13(%rax)
	mov	%r14, GUEST_R14(%rax)
	mov	%r15, GUEST_R15(%rax)
	xor	%edi, %edi
	call	trap_try_end			/* the vector, or -1 */
	add	$16, %rsp
	POP_CALLEE_SAVED
	ret

/* One-instruction guests (svm_entry.h); each is only ever run as a guest, and
 * each ends in HLT (intercepted) should its instruction not exit. */
.macro STUB name
	.globl svm_stub_\name
svm_stub_\name:
.endm
	STUB hlt
	hlt
	jmp	svm_stub_hlt
	STUB ud
	ud2
	STUB bp
	int3
	hlt
	STUB cpuid
	cpuid
	hlt
	STUB rdtsc
	rdtsc
	hlt
	STUB pause
	pause
	hlt
	STUB cr0_write
	mov	%cr0, %rax
	mov	%rax, %cr0
	hlt
	STUB cr3_read
	mov	%cr3, %rax
	hlt
	STUB cr0_cd
	mov	%cr0, %rax
	or	$0x40000000, %eax		/* CR0.CD: a bit the selective intercept watches */
	mov	%rax, %cr0
	hlt
	STUB rdmsr
	rdmsr
	hlt
	STUB wrmsr
	xor	%eax, %eax
	xor	%edx, %edx
	wrmsr
	hlt
	STUB out
	out	%al, $0x80
	hlt
	STUB in
	in	$0x80, %al
	hlt
	STUB vmload
	vmload	%rax
	hlt
	STUB vmsave
	vmsave	%rax
	hlt
	STUB stgi
	stgi
	hlt
	STUB clgi
	clgi
	hlt
	STUB vmmcall
	vmmcall
	hlt
	STUB load
	mov	(%rdi), %rax
	hlt
	STUB store
	mov	%rax, (%rdi)
	hlt
	STUB jump
	jmp	*%rdi
	STUB invlpg
	invlpg	(%rdi)
	hlt
	STUB invd
	invd
	hlt
	STUB wbinvd
	wbinvd
	hlt
	STUB rdpmc
	xor	%ecx, %ecx
	rdpmc
	hlt
	STUB pushf
	pushfq
	hlt
	STUB popf
	pushfq
	popfq
	hlt
	STUB intn
	int	$0x30
	hlt
	STUB sidt
	sidt	-16(%rsp)
	hlt
	STUB sgdt
	sgdt	-16(%rsp)
	hlt
	STUB dr7_read
	mov	%dr7, %rax
	hlt
	STUB dr7_write
	mov	%dr7, %rax
	mov	%rax, %dr7
	hlt
	STUB cr4_write
	mov	%cr4, %rax
	mov	%rax, %cr4
	hlt
	STUB rdtscp
	rdtscp
	hlt
	STUB divide
	xor	%ecx, %ecx
	div	%ecx
	hlt
	STUB outsb
	mov	$0x80, %edx
	lea	svm_stub_outsb(%rip), %rsi	/* a byte to send: the stub's own */
	outsb
	hlt
	STUB in_word
	in	$0x80, %ax
	hlt
	STUB out_word_7f
	out	%ax, $0x7f			/* ports 7Fh and 80h */
	hlt
	STUB pause_loop				/* RCX PAUSEs in a row */
.Lpause_again:
	pause
	dec	%rcx
	jnz	.Lpause_again
	hlt

/* The rules' IDT handlers: vector v's at svm_rule_handlers + 4 * v, a HLT
 * (intercepted) that the exit's RIP names (lib/svm_rules.h: SR_HANDLER_SIZE). */
	.balign 4
	.globl svm_rule_handlers
svm_rule_handlers:
	.rept 256
	hlt
	jmp	. - 1
	.balign 4
	.endr

	.pushsection .ex_table, "a"
	.balign 8
	.quad 1b, 2b, (EX_VEC(X86_TRAP_GP) | EX_VEC(X86_TRAP_UD))
	.popsection
