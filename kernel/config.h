/* SPDX-License-Identifier: MIT */
/* Build-time sizes (make MAX_CPUS=N overrides the default). */
#ifndef VMXPROBE_KERNEL_CONFIG_H
#define VMXPROBE_KERNEL_CONFIG_H

/* CPUs this build has room for: per-CPU blocks, stacks, VMXON pages. */
#ifndef MAX_CPUS
#define MAX_CPUS 512
#endif

#endif
