/* SPDX-License-Identifier: MIT */
/*
 * Machine reset, the ways Linux's reboot.c tries them: the chipset's Reset
 * Control Register at I/O port 0xCF9 (Intel PCH datasheets, "Reset Control
 * Register (RST_CNT)": bit 1 system reset, bit 2 reset CPU; write 02h then 06h),
 * then the 8042 keyboard controller's "pulse reset line" command (FEh to port
 * 64h), then a triple fault (an empty IDT and an exception).
 */
#include "arch/reset.h"

#include "arch/x86.h"

#define RST_CNT         0xcf9
#define KBD_STATUS      0x64
#define KBD_CMD_RESET   0xfe

static void short_wait(void)
{
	for (unsigned i = 0; i < 100000; i++)
		inb(0x80);      /* the POST port: about 1 us per read */
}

void machine_reset(void)
{
	irq_disable();
	outb(RST_CNT, 0x02);
	short_wait();
	outb(RST_CNT, 0x06);
	short_wait();
	for (unsigned i = 0; i < 10000 && (inb(KBD_STATUS) & 0x02); i++)
		;       /* input buffer full: wait (bounded) */
	outb(KBD_STATUS, KBD_CMD_RESET);
	short_wait();
	struct desc_ptr empty = { 0, 0 };
	load_idt(&empty);
	asm volatile("int3");
	halt_forever();
}
