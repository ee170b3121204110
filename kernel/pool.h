/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU pools: the large arrays indexed by CPU (MAX_CPUS entries each) go in
 * the .pool segment (linker.ld), which holds no bytes in the ELF file and which
 * loaders need not zero. Nothing in it may be read before this kernel has
 * written it: each owner zeroes a CPU's entry before that CPU uses it
 * (percpu_clear(), and each page or area when it is handed out).
 */
#ifndef VMXPROBE_KERNEL_POOL_H
#define VMXPROBE_KERNEL_POOL_H

/* A .bss.* name, so the compiler emits it without file bytes (@nobits). */
#define __pool  __attribute__((section(".bss.pool")))

/* The same, placed first in the pool (linker.ld): for what every boot touches. */
#define __pool_boot  __attribute__((section(".bss.pool.boot")))

#endif
