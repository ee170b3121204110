/* SPDX-License-Identifier: MIT */
/* The fix-up lookup: only the vectors an instruction can raise are fixed up. */
#include "check.h"
#include "lib/extable.h"

static const struct extable_entry table[] = {
	{ 0x1000, 0x1002, EX_MASK_MSR },
	{ 0x2000, 0x2004, EX_MASK_VMX },
	{ 0x3000, 0x3003, EX_MASK_LOAD },
};
#define N (sizeof(table) / sizeof(table[0]))

int main(void)
{
	/* The instruction's own exceptions. */
	CHECK(extable_find(table, N, 0x1000, X86_TRAP_GP) == &table[0]);
	CHECK(extable_find(table, N, 0x2000, X86_TRAP_UD) == &table[1]);
	CHECK(extable_find(table, N, 0x2000, X86_TRAP_GP) == &table[1]);
	CHECK(extable_find(table, N, 0x2000, X86_TRAP_PF) == &table[1]);
	CHECK(extable_find(table, N, 0x3000, X86_TRAP_SS) == &table[2]);
	/* An NMI, a machine check or a double fault arriving at a "try" instruction
	 * is not that instruction's fault. */
	for (unsigned i = 0; i < N; i++) {
		CHECK(extable_find(table, N, table[i].insn, X86_TRAP_NMI) == 0);
		CHECK(extable_find(table, N, table[i].insn, X86_TRAP_MC) == 0);
		CHECK(extable_find(table, N, table[i].insn, X86_TRAP_DF) == 0);
		CHECK(extable_find(table, N, table[i].insn, 1) == 0);     /* #DB */
		/* Interrupts (32 and up) never are. */
		CHECK(extable_find(table, N, table[i].insn, 32) == 0);
		CHECK(extable_find(table, N, table[i].insn, 255) == 0);
	}
	/* RDMSR raises #GP only; VMXON does not raise #DE. */
	CHECK(extable_find(table, N, 0x1000, X86_TRAP_UD) == 0);
	CHECK(extable_find(table, N, 0x2000, X86_TRAP_DE) == 0);
	/* No entry: nothing to fix up. */
	CHECK(extable_find(table, N, 0x1001, X86_TRAP_GP) == 0);
	CHECK(extable_find(table, 0, 0x1000, X86_TRAP_GP) == 0);
	return check_report("extable");
}
