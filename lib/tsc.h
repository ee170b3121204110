/* SPDX-License-Identifier: MIT */
/*
 * TSC frequency from CPUID, pure. Intel SDM Vol. 2A, CPUID leaf 15H "Time Stamp
 * Counter and Nominal Core Crystal Clock Information": EAX the denominator and
 * EBX the numerator of the TSC / core-crystal-clock ratio, ECX the crystal's
 * nominal frequency in Hz (0: not enumerated); "TSC frequency" = ECX * EBX / EAX.
 * Leaf 16H "Processor Frequency Information": EAX[15:0] the base frequency in MHz
 * (the TSC runs at it on the CPUs that have no leaf 15H crystal).
 * KVM's clock (lib/kvm_para.h) states the rate as the factor that turns TSC
 * cycles into nanoseconds: ns = (cycles << shift) * mul / 2^32 (shift < 0: >>).
 */
#ifndef VMXPROBE_LIB_TSC_H
#define VMXPROBE_LIB_TSC_H

#include <stdint.h>

/* kHz from leaf 15H, or 0 when the leaf does not enumerate it. */
uint64_t tsc_khz_from_leaf15(uint32_t eax, uint32_t ebx, uint32_t ecx);
/* kHz from leaf 16H's base frequency, or 0. */
uint64_t tsc_khz_from_leaf16(uint32_t eax);
/* kHz from kvmclock's tsc_to_system_mul and tsc_shift, as Linux's
 * pvclock_tsc_khz() computes it; 0 for a factor no hypervisor would give
 * (mul 0, |shift| > 31, or a rate past 64 bits). */
uint64_t tsc_khz_from_pvclock(uint32_t mul, int8_t shift);

/* Do two TSC rates from independent sources agree within pct percent (of the
 * larger)? A timer that does not really count shows up as a disagreement. */
int tsc_khz_agree(uint64_t a, uint64_t b, unsigned pct);

#endif
