/* SPDX-License-Identifier: MIT */
/*
 * AP start-up trampoline: real mode -> protected mode -> long mode.
 * Copied by the BSP to a page below 1 MiB; the mailbox layout is documented in
 * arch/trampoline.h. Position-independent: it reaches its page through the base
 * address it computes from CS, and jumps through far pointers the BSP filled in.
 */
#include "lib/msr-index.h"
#include "lib/processor-flags.h"
#include "arch/segment.h"
#include "arch/trampoline.h"

	.section .rodata.trampoline, "a"
	.balign 16
	.code16
	.globl tramp_start
tramp_start:
	/* SDM Vol. 3A, "MP Initialization Protocol Algorithm": the AP starts in
	 * real mode at CS:IP = (vector << 8):0000. */
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	xor	%ebx, %ebx
	mov	%cs, %bx
	shl	$4, %ebx			/* EBX = physical base of this page */

	/* SDM Vol. 3A, "Switching to Protected Mode": load a GDT, set CR0.PE,
	 * then a far jump to a 32-bit code segment. */
	lgdtl	TRAMP_MB_GDTR
	mov	%cr0, %eax
	or	$X86_CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	*TRAMP_MB_FAR32

	.code32
	.globl tramp_pm_entry
tramp_pm_entry:
	mov	$__KERNEL_DS, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss

	/* SDM Vol. 3A, "Initializing IA-32e Mode": PAE, CR3, EFER.LME, then CR0.PG. */
	mov	%cr4, %eax
	or	$X86_CR4_PAE, %eax
	mov	%eax, %cr4
	mov	TRAMP_MB_CR3(%ebx), %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	TRAMP_MB_EFER(%ebx), %eax
	wrmsr
	/* "Cache Control": CD=0 and NW=0 for normal caching; NE as on the BSP. */
	mov	%cr0, %eax
	and	$~(X86_CR0_CD | X86_CR0_NW), %eax
	or	$(X86_CR0_PG | X86_CR0_NE), %eax
	mov	%eax, %cr0
	ljmpl	*TRAMP_MB_FAR64(%ebx)

	.code64
	.globl tramp_lm_entry
tramp_lm_entry:
	LOAD_KERNEL_DATA_SEGMENTS
	mov	%ebx, %ebx
	/* Take a ticket; ticket t runs on stack t (the mailbox's stacks). */
	mov	$1, %eax
	lock xaddl %eax, TRAMP_MB_TICKET(%rbx)
	cmp	TRAMP_MB_MAX_TICKETS(%rbx), %eax
	jae	1f				/* no stack reserved for this one: park */
	mov	%eax, %edi			/* ap_entry(ticket) */
	lea	1(%rax), %rax			/* top of stack t = base + (t + 1) * size */
	mov	TRAMP_MB_STACK_SIZE(%rbx), %ecx
	imul	%rcx, %rax
	add	TRAMP_MB_STACKS(%rbx), %rax
	mov	%rax, %rsp
	xor	%ebp, %ebp
	call	*TRAMP_MB_ENTRY64(%rbx)
1:	cli
	hlt
	jmp	1b
	.globl tramp_end
tramp_end:
