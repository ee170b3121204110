/* SPDX-License-Identifier: MIT */
/*
 * The AP start-up trampoline (boot/trampoline.S) and its mailbox.
 *
 * The BSP copies the trampoline to a 4 KiB page below 1 MiB (the SIPI vector
 * names the page: SDM Vol. 3A, "MP Initialization Protocol Algorithm for MP
 * Systems": the AP starts in real mode at CS = vector << 8, IP = 0) after
 * filling the page with 0xCC, so an AP that strays hits INT3 at once. The
 * mailbox sits at TRAMP_MAILBOX in the same page; the BSP fills it before the
 * first SIPI:
 *
 *   +0x00  gdtr          6 bytes: limit, 32-bit base of the boot GDT
 *   +0x08  far32         6 bytes: 32-bit offset and selector of the protected-mode entry
 *   +0x10  far64         6 bytes: 32-bit offset and selector of the long-mode entry
 *   +0x18  cr3           the boot page tables (below 4 GiB)
 *   +0x1c  efer          IA32_EFER bits to set (LME, and NXE where the BSP has it)
 *   +0x20  entry64       64-bit address of ap_entry(ticket)
 *   +0x28  stacks        64-bit address of the first AP stack (kernel: ap_stacks)
 *   +0x30  ticket        next ticket: each AP takes one with LOCK XADD
 *   +0x34  stack_size    bytes per stack; the AP with ticket t uses stack t
 *   +0x38  max_tickets   an AP whose ticket is not below this halts (no stack for it)
 */
#ifndef VMXPROBE_ARCH_TRAMPOLINE_H
#define VMXPROBE_ARCH_TRAMPOLINE_H

#define TRAMP_MAILBOX           0xf00
#define TRAMP_MB_GDTR           (TRAMP_MAILBOX + 0x00)
#define TRAMP_MB_FAR32          (TRAMP_MAILBOX + 0x08)
#define TRAMP_MB_FAR64          (TRAMP_MAILBOX + 0x10)
#define TRAMP_MB_CR3            (TRAMP_MAILBOX + 0x18)
#define TRAMP_MB_EFER           (TRAMP_MAILBOX + 0x1c)
#define TRAMP_MB_ENTRY64        (TRAMP_MAILBOX + 0x20)
#define TRAMP_MB_STACKS         (TRAMP_MAILBOX + 0x28)
#define TRAMP_MB_TICKET         (TRAMP_MAILBOX + 0x30)
#define TRAMP_MB_STACK_SIZE     (TRAMP_MAILBOX + 0x34)
#define TRAMP_MB_MAX_TICKETS    (TRAMP_MAILBOX + 0x38)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct tramp_mailbox {
	uint16_t gdt_limit;
	uint32_t gdt_base;
	uint16_t pad0;
	uint32_t far32_off;
	uint16_t far32_sel;
	uint16_t pad1;
	uint32_t far64_off;
	uint16_t far64_sel;
	uint16_t pad2;
	uint32_t cr3;
	uint32_t efer;
	uint64_t entry64;
	uint64_t stacks;
	uint32_t ticket;
	uint32_t stack_size;
	uint32_t max_tickets;
} __attribute__((packed));

_Static_assert(__builtin_offsetof(struct tramp_mailbox, far32_off) == TRAMP_MB_FAR32 - TRAMP_MAILBOX, "far32");
_Static_assert(__builtin_offsetof(struct tramp_mailbox, far64_off) == TRAMP_MB_FAR64 - TRAMP_MAILBOX, "far64");
_Static_assert(__builtin_offsetof(struct tramp_mailbox, cr3) == TRAMP_MB_CR3 - TRAMP_MAILBOX, "cr3");
_Static_assert(__builtin_offsetof(struct tramp_mailbox, entry64) == TRAMP_MB_ENTRY64 - TRAMP_MAILBOX, "entry64");
_Static_assert(__builtin_offsetof(struct tramp_mailbox, ticket) == TRAMP_MB_TICKET - TRAMP_MAILBOX, "ticket");
_Static_assert(__builtin_offsetof(struct tramp_mailbox, stack_size) == TRAMP_MB_STACK_SIZE - TRAMP_MAILBOX, "stack_size");
_Static_assert(__builtin_offsetof(struct tramp_mailbox, max_tickets) == TRAMP_MB_MAX_TICKETS - TRAMP_MAILBOX, "max_tickets");

extern const uint8_t tramp_start[], tramp_end[], tramp_pm_entry[], tramp_lm_entry[];
#endif

#endif
