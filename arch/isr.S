/* SPDX-License-Identifier: MIT */
/*
 * Exception and interrupt entry stubs: one 16-byte stub per vector.
 * SDM Vol. 3A, "Interrupt and Exception Handling", "Error Code" and "Exception
 * and Interrupt Reference": vectors 8, 10-14, 17, 21, 29 and 30 push an error
 * code; for the others the stub pushes 0 so every frame has the same layout.
 * In 64-bit mode the CPU aligns RSP to 16 bytes before pushing SS:RSP, RFLAGS,
 * CS:RIP ("64-Bit Mode Stack Frame"); with the 17 quadwords pushed here the
 * stack is 16-byte aligned again at the call.
 */
	.text
	.balign 16
	.globl isr_table
isr_table:
	.set vec, 0
	.rept 256
	.balign 16
	.if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	pushq	$0
	.endif
	pushq	$vec
	jmp	isr_common
	.set vec, vec + 1
	.endr

isr_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	cld
	mov	%rsp, %rdi
	call	trap_dispatch
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp			/* vector and error code */
	iretq
