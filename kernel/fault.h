/* SPDX-License-Identifier: MIT */
/* What an exception or an NMI means for the run (the x86 side is arch/trap.c). */
#ifndef VMXPROBE_KERNEL_FAULT_H
#define VMXPROBE_KERNEL_FAULT_H

/* Register the handler with arch/trap.c: from here on every exception is reported. */
void fault_init(void);

#endif
