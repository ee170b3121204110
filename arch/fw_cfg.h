/* SPDX-License-Identifier: MIT */
/*
 * QEMU's firmware configuration device (docs/specs/fw_cfg.rst in QEMU): on x86
 * a 16-bit selector register at I/O port 0x510 and an 8-bit data register at
 * 0x511; selecting key 0x0000 (FW_CFG_SIGNATURE) makes the data register read
 * "QEMU". Present on every QEMU x86 machine type, TCG or KVM, whatever the
 * CPUID signature says (old machine types hide it: tcg-cpuid=off). Probed only
 * where a hypervisor or QEMU's ACPI OEM ID is seen: on real hardware the port
 * may belong to a chipset (GPIO blocks often sit at 0x500).
 */
#ifndef VMXPROBE_ARCH_FW_CFG_H
#define VMXPROBE_ARCH_FW_CFG_H

#define FW_CFG_PORT_SEL         0x510
#define FW_CFG_PORT_DATA        0x511
#define FW_CFG_SIGNATURE        0x0000

#ifndef __ASSEMBLER__
#include <stdbool.h>

#include "arch/x86.h"

static inline bool fw_cfg_is_qemu(void)
{
	static const char sig[4] = { 'Q', 'E', 'M', 'U' };

	outw(FW_CFG_PORT_SEL, FW_CFG_SIGNATURE);
	for (int i = 0; i < 4; i++)
		if (inb(FW_CFG_PORT_DATA) != (uint8_t)sig[i])
			return false;
	return true;
}
#endif

#endif
