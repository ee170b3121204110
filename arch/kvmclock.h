/* SPDX-License-Identifier: MIT */
/*
 * The TSC rate KVM states through kvmclock: exact where the emulated timers
 * are missing (QEMU's microvm) or far from exact (a busy host).
 */
#ifndef VMXPROBE_ARCH_KVMCLOCK_H
#define VMXPROBE_ARCH_KVMCLOCK_H

#include <stdint.h>

/* The boot CPU's TSC rate in kHz as KVM states it, or 0 where there is no KVM
 * clock (no KVM signature, no clock feature, the MSR refused, or no stable
 * reading); the clock is switched off again before this returns. */
uint64_t kvmclock_tsc_khz(void);

#endif
