/* SPDX-License-Identifier: MIT */
/*
 * 32-bit entry from a Multiboot2 loader (or, through pvh_start, a PVH direct
 * boot) and the switch to 64-bit long mode.
 *
 * Multiboot2 specification 2.0, section 3.3 "I386 machine state": EAX holds the
 * magic 0x36D76289, EBX the physical address of the boot information; CS/DS/ES/SS
 * are flat 4 GiB segments, CR0.PG is clear, CR0.PE is set, EFLAGS.IF is clear; ESP
 * is undefined, so we set our own stack before anything else.
 */
#include "lib/msr-index.h"
#include "lib/processor-flags.h"
#include "arch/fw_cfg.h"
#include "arch/segment.h"
#include "kernel/stack.h"
#include "lib/mb2.h"
#include "lib/pvh.h"
#include "lib/serial-ports.h"


/*
 * The kernel runs wherever its loader put it (linker.ld, "Relocation"): no
 * absolute address in this 32-bit code. EBP holds the run-time address of
 * .Lhere, and `rva(X)(%ebp)` is X wherever the image lies (the assembler makes
 * `X - .Lhere` a PC-relative relocation), as Linux's startup_32
 * (arch/x86/boot/compressed/head_64.S) addresses through `rva(X)(%ebp)`.
 */
#define rva(X) ((X) - .Lhere)

/* Fill `count` 8-byte entries of the table at `base` (a register) with first,
 * first + step, ... (high halves 0). */
.macro FILL_TABLE base, first, step, count
	xor	%ecx, %ecx
1:	mov	\first, (\base, %ecx, 8)
	movl	$0, 4(\base, %ecx, 8)
	add	\step, \first
	inc	%ecx
	cmp	\count, %ecx
	jb	1b
.endm

	.section .text.boot, "ax"
	.code32

/*
 * PVH entry (Xen's docs/misc/pvh.pandoc, "x86/HVM direct boot ABI"; the address
 * is in the XEN_ELFNOTE_PHYS32_ENTRY note of boot/header.S): 32-bit protected
 * mode, paging off, flat CS/DS/ES/SS, EBX the physical address of the
 * struct hvm_start_info; EAX and ESP are undefined. Name the protocol in EAX
 * with the start info's magic and join the Multiboot2 path, as Linux's
 * pvh_start_xen (arch/x86/platform/pvh/head.S) joins startup_64.
 */
	.globl pvh_start
pvh_start:
	mov	$XEN_HVM_START_MAGIC_VALUE, %eax
	/* fall through */

	.globl _start
_start:
	cli
	cld
	mov	%eax, %edi			/* Multiboot2 magic, kept for kmain */
	mov	%ebx, %esi			/* boot information address */

	/*
	 * Where are we? Neither Multiboot2 (section 3.3 "I386 machine state":
	 * "ESP ... undefined") nor PVH gives a stack, and 32-bit code has no
	 * RIP-relative addressing: as Linux's pvh_start_xen does, borrow the
	 * first word of the loader's boot information (EBX) as a 4-byte stack for
	 * one CALL, and put the word back. With another magic EBX may point
	 * anywhere: borrow the word at 0xffc instead, the top of the first page
	 * (below it the real-mode IVT and BIOS data area end at 0x500), and put
	 * it back too; the refusal below then prints wherever the image lies.
	 */
	mov	$0xffc, %ecx
	cmp	$MB2_BOOTLOADER_MAGIC, %eax
	je	1f
	cmp	$XEN_HVM_START_MAGIC_VALUE, %eax
	jne	2f
1:	mov	%ebx, %ecx
2:	mov	(%ecx), %edx
	lea	4(%ecx), %esp
	call	.Lhere
.Lhere:
	pop	%ebp
	mov	%edx, (%ecx)
.Lbased:
	lea	rva(boot_stack32_top)(%ebp), %esp

	call	early_uart_init

	cmp	$MB2_BOOTLOADER_MAGIC, %edi
	je	.Lprotocol_known
	cmp	$XEN_HVM_START_MAGIC_VALUE, %edi
	jne	.Lno_multiboot2
.Lprotocol_known:

	/*
	 * SDM Vol. 2A, CPUID "Determining if CPUID is supported": software can toggle
	 * EFLAGS.ID (bit 21); if it cannot, the CPUID instruction is not there.
	 */
	pushfl
	pop	%eax
	mov	%eax, %ecx
	xor	$X86_EFLAGS_ID, %eax
	push	%eax
	popfl
	pushfl
	pop	%eax
	push	%ecx
	popfl
	cmp	%eax, %ecx
	je	.Lno_long_mode

	/*
	 * SDM Vol. 3A, section "Initializing IA-32e Mode" / Vol. 2A CPUID leaf
	 * 80000001H: EDX bit 29 is "Intel 64 Architecture available"; EDX bit 20 is
	 * "Execute Disable Bit available" (IA32_EFER.NXE may be set only then).
	 */
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	.Lno_long_mode
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx
	jnc	.Lno_long_mode
	mov	%edx, %ebx			/* keep the NX bit for EFER below */

	/*
	 * SDM Vol. 3A, chapter "Paging", section "4-Level Paging": PML4 -> PDPT ->
	 * page directory with PS=1 entries mapping 2-MByte pages. Identity-map the
	 * first 4 GiB: one PML4 entry, four PDPT entries, 4 x 512 PDEs.
	 */
	lea	rva(boot_pml4)(%ebp), %edx
	lea	rva(boot_pdpt)(%ebp), %eax
	or	$(_PAGE_PRESENT | _PAGE_RW), %eax
	mov	%eax, (%edx)
	movl	$0, 4(%edx)

	lea	rva(boot_pdpt)(%ebp), %edx
	lea	rva(boot_pd)(%ebp), %eax
	or	$(_PAGE_PRESENT | _PAGE_RW), %eax
	FILL_TABLE %edx, %eax, $4096, $4
	lea	rva(boot_pd)(%ebp), %edx
	mov	$(_PAGE_PRESENT | _PAGE_RW | _PAGE_PSE), %eax
	FILL_TABLE %edx, %eax, $0x200000, $2048

	/*
	 * SDM Vol. 3A, section "Initializing IA-32e Mode": with paging disabled,
	 * enable PAE (CR4.PAE), load CR3 with the PML4, set IA32_EFER.LME, then
	 * enable paging (CR0.PG); the processor sets IA32_EFER.LMA.
	 */
	lea	rva(boot_pml4)(%ebp), %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$X86_CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	bt	$20, %ebx
	jnc	3f
	or	$EFER_NX, %eax
3:	wrmsr
	/*
	 * SDM Vol. 3A, "Cache Control", "Cache Control Registers and Bits": CD=0,
	 * NW=0 is normal caching (some firmware, Bochs's among them, hands over with
	 * CD and NW set). CR0.NE selects native x87 error reporting, which VMX
	 * operation requires (IA32_VMX_CR0_FIXED0, "VMX-Fixed Bits in CR0").
	 */
	mov	%cr0, %eax
	and	$~(X86_CR0_CD | X86_CR0_NW), %eax
	or	$(X86_CR0_PG | X86_CR0_PE | X86_CR0_NE), %eax
	mov	%eax, %cr0

	/*
	 * SDM Vol. 3A, section "Initializing IA-32e Mode": "the processor is in
	 * compatibility mode" after setting CR0.PG; a far jump to a code segment
	 * with L=1 enters 64-bit mode. The GDT pointer is built on the stack
	 * (its base is a run-time address: "Segment Descriptor Tables", LGDT
	 * takes a 16-bit limit and, outside 64-bit mode, a 32-bit base), and
	 * LRET is the far jump to a run-time address.
	 */
	lea	rva(boot_gdt)(%ebp), %eax
	push	%eax
	pushw	$(boot_gdt_end - boot_gdt - 1)
	lgdt	(%esp)
	add	$6, %esp
	push	$__KERNEL_CS
	lea	rva(long_mode_entry)(%ebp), %eax
	push	%eax
	lret

.Lno_multiboot2:
	lea	rva(msg_no_mb2)(%ebp), %ebx
	jmp	early_fatal
.Lno_long_mode:
	lea	rva(msg_no_lm)(%ebp), %ebx
	jmp	early_fatal

/*
 * Early fatal error: print the message at EBX on COM1 and stop. When QEMU runs
 * us, also write 1 to its isa-debug-exit port 0xf4 so that QEMU ends with
 * status 3 (FAIL); elsewhere (bare metal, other hypervisors) touch no port,
 * just halt.
 */
early_fatal:
	call	early_puts
	call	early_is_qemu
	jnz	2f
	mov	$1, %al
	outb	%al, $0xf4
2:	cli
	hlt
	jmp	2b

/*
 * ZF=1 when QEMU runs us: the rule of lib/verdict.c (exit_method_decide()),
 * less its ACPI OEM clue, which is not known this early. Only under a
 * hypervisor (SDM Vol. 2A, CPUID 01H: ECX bit 31) may QEMU's fw_cfg port be
 * probed (arch/fw_cfg.h): it answers "QEMU" to key 0 on every QEMU machine
 * type; else the hypervisor's CPUID 40000000H signature must be QEMU's
 * ("KVMKVMKVM\0\0\0" or "TCGTCGTCGTCG" in EBX, ECX, EDX).
 */
early_is_qemu:
	xor	%eax, %eax
	cpuid					/* leaf 0: is leaf 1 there? */
	test	%eax, %eax
	jz	.Lnot_qemu
	mov	$1, %eax
	cpuid
	bt	$31, %ecx
	jnc	.Lnot_qemu
	mov	$FW_CFG_PORT_SEL, %dx
	mov	$FW_CFG_SIGNATURE, %ax
	outw	%ax, %dx
	mov	$FW_CFG_PORT_DATA, %dx
	lea	rva(fw_cfg_sig)(%ebp), %esi
	mov	$4, %ecx
1:	inb	%dx, %al
	cmp	(%esi), %al
	jne	.Lsignature
	lea	1(%esi), %esi			/* not INC: it would change ZF */
	loop	1b
	ret					/* ZF=1 from the last compare */
.Lsignature:
	mov	$0x40000000, %eax
	cpuid
	cmp	$0x4b4d564b, %ebx		/* "KVMK" */
	jne	3f
	cmp	$0x564b4d56, %ecx		/* "VMKV" */
	jne	3f
	cmp	$0x0000004d, %edx		/* "M\0\0\0" */
	ret
3:	cmp	$0x54474354, %ebx		/* "TCGT" */
	jne	.Lnot_qemu
	cmp	$0x43544743, %ecx		/* "CGTC" */
	jne	.Lnot_qemu
	cmp	$0x47435447, %edx		/* "GTCG" */
	ret
.Lnot_qemu:
	or	$1, %eax			/* ZF=0 */
	ret

/* 16550 at COM1: 115200 8N1, FIFO on (see arch/uart.c for the register names). */
early_uart_init:
	mov	$(COM1_PORT + 1), %dx		/* IER: no interrupts */
	xor	%al, %al
	outb	%al, %dx
	mov	$(COM1_PORT + 3), %dx		/* LCR: DLAB */
	mov	$0x80, %al
	outb	%al, %dx
	mov	$(COM1_PORT + 0), %dx		/* DLL: divisor 1 */
	mov	$1, %al
	outb	%al, %dx
	mov	$(COM1_PORT + 1), %dx		/* DLM */
	xor	%al, %al
	outb	%al, %dx
	mov	$(COM1_PORT + 3), %dx		/* LCR: 8N1 */
	mov	$0x03, %al
	outb	%al, %dx
	mov	$(COM1_PORT + 2), %dx		/* FCR: enable and clear FIFOs */
	mov	$0xc7, %al
	outb	%al, %dx
	mov	$(COM1_PORT + 4), %dx		/* MCR: DTR, RTS, OUT2 */
	mov	$0x0b, %al
	outb	%al, %dx
	ret

/* Print the NUL-terminated string at EBX; each wait for THRE is bounded. */
early_puts:
1:	movb	(%ebx), %ah
	test	%ah, %ah
	jz	3f
	mov	$100000, %ecx
	mov	$(COM1_PORT + 5), %dx		/* LSR */
2:	inb	%dx, %al
	test	$0x20, %al			/* THRE */
	jnz	4f
	loop	2b
4:	mov	$COM1_PORT, %dx
	mov	%ah, %al
	outb	%al, %dx
	inc	%ebx
	jmp	1b
3:	ret

	.code64
long_mode_entry:
	LOAD_KERNEL_DATA_SEGMENTS
	mov	%edi, %edi			/* zero-extend magic and info address */
	mov	%esi, %esi
	/* fall through */

/*
 * boot_enter64(magic, info): the common 64-bit start, from long_mode_entry
 * above and from the UEFI entry (kernel/efi.c) with interrupts off and
 * the boot page tables loaded. Move to CPU 0's stack, apply the image's own
 * relocations (kernel/reloc.c), then kmain(magic, info).
 */
	.globl boot_enter64
boot_enter64:
	lea	boot_stack_top(%rip), %rsp	/* CPU 0's stack */
	xor	%ebp, %ebp
	push	%rdi
	push	%rsi
	call	reloc_self
	pop	%rsi
	pop	%rdi
	call	kmain
1:	cli
	hlt
	jmp	1b

	.section .rodata
msg_no_mb2:
	.asciz "vmxprobe: fatal: not started by a Multiboot2 boot loader (EAX is not 0x36d76289) nor by PVH direct boot; halting\r\n"
fw_cfg_sig:
	.ascii "QEMU"
msg_no_lm:
	.asciz "vmxprobe: fatal: this CPU has no 64-bit long mode (CPUID 80000001H:EDX bit 29); halting\r\n"

	/* Boot GDT: null, 64-bit code, data (SDM Vol. 3A, "Segment Descriptors"). */
	.balign 16
	.globl boot_gdt
boot_gdt:
	.quad 0
	.quad GDT_DESC_KERNEL_CS		/* L=1, D=0, P, DPL0, code */
	.quad GDT_DESC_KERNEL_DS		/* P, DPL0, data, writable */
	.quad GDT_DESC_KERNEL32_CS		/* 32-bit code, for the AP trampoline */
boot_gdt_end:
	.globl boot_gdt_ptr
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.section .bss
	.balign 4096
	.globl boot_pml4
boot_pml4:	.skip 4096
	.globl boot_pdpt
boot_pdpt:	.skip 4096
	.globl boot_pd
boot_pd:	.skip 4 * 4096
	/* The boot CPU's stack, in .bss beside the image rather than in the pool
	 * (linker.ld: what a 1-CPU boot touches stays in one 2 MiB page). */
boot_stack:	.skip CPU_STACK_SIZE
boot_stack_top:
boot_stack32:	.skip 1024
boot_stack32_top:
