/* SPDX-License-Identifier: MIT */
/* The size of each CPU's stack (kernel/percpu.c); usable from assembly (boot/). */
#ifndef VMXPROBE_KERNEL_STACK_H
#define VMXPROBE_KERNEL_STACK_H

#define CPU_STACK_SIZE          16384

#endif
