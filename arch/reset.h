/* SPDX-License-Identifier: MIT */
/* Reset the machine. */
#ifndef VMXPROBE_ARCH_RESET_H
#define VMXPROBE_ARCH_RESET_H

void machine_reset(void) __attribute__((noreturn));

#endif
