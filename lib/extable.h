/* SPDX-License-Identifier: MIT */
/*
 * The exception fix-up table, pure. An instruction that may fault ("try" it:
 * rdmsr_safe() and the others in arch/x86.h) has an entry: its address, where
 * to resume, and the set of vectors the instruction itself can raise. Only
 * those are fixed up: an NMI, a machine check or an interrupt that happens to
 * arrive at that instruction is not the instruction's fault and must go to its
 * own handler (SDM Vol. 3A, "Interrupt and Exception Handling": "Exception and
 * Interrupt Reference" lists what each vector means; Vol. 2 lists, per
 * instruction, the exceptions it raises).
 */
#ifndef VMXPROBE_LIB_EXTABLE_H
#define VMXPROBE_LIB_EXTABLE_H


/* Vector numbers (SDM Vol. 3A, "Exception and Interrupt Reference"). */
#define X86_TRAP_DE     0
#define X86_TRAP_NMI    2
#define X86_TRAP_UD     6
#define X86_TRAP_DF     8
#define X86_TRAP_SS     12
#define X86_TRAP_GP     13
#define X86_TRAP_PF     14
#define X86_TRAP_MC     18

#define EX_VEC(v)       (1 << (v))     /* no suffix: the assembler reads it too */
/* What each kind of "try" instruction can raise (SDM Vol. 2, "Protected Mode
 * Exceptions" / "64-Bit Mode Exceptions" of RDMSR, WRMSR, MOV CR, VMXON,
 * VMXOFF, VMCLEAR, VMPTRLD, VMREAD, MOV). */
#define EX_MASK_MSR     EX_VEC(X86_TRAP_GP)
#define EX_MASK_CR      EX_VEC(X86_TRAP_GP)
#define EX_MASK_VMX     (EX_VEC(X86_TRAP_UD) | EX_VEC(X86_TRAP_GP) | EX_VEC(X86_TRAP_SS) | \
			 EX_VEC(X86_TRAP_PF))
#define EX_MASK_LOAD    (EX_VEC(X86_TRAP_GP) | EX_VEC(X86_TRAP_SS) | EX_VEC(X86_TRAP_PF))

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct extable_entry {
	uint64_t insn, fixup, vectors;  /* vectors: EX_VEC() bits */
};

/* The entry that fixes up `vector` raised at `rip`, or NULL: the exception is
 * not the instruction's own (or there is no entry) and must be reported. */
const struct extable_entry *extable_find(const struct extable_entry *table, size_t n,
					 uint64_t rip, unsigned vector);
#endif

#endif
