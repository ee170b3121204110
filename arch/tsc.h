/* SPDX-License-Identifier: MIT */
/*
 * Time from the TSC: delays, deadlines and conversions, once its rate is known
 * (kernel/time.c calibrates it and sets it here). SDM Vol. 3B, "Time-Stamp
 * Counter". Before tsc_set_khz() the rate is a guess (TSC_GUESS_KHZ).
 */
#ifndef VMXPROBE_ARCH_TSC_H
#define VMXPROBE_ARCH_TSC_H

#include <stdbool.h>
#include <stdint.h>

/* The rate assumed when nothing better is known: on the fast side, so that
 * delays err long, not short. */
#define TSC_GUESS_KHZ   4000000u

void tsc_set_khz(uint64_t khz);
uint64_t tsc_khz(void);
uint64_t tsc_to_us(uint64_t cycles);
void udelay(uint64_t us);

/* A TSC deadline us microseconds from now, and whether it has passed. */
uint64_t time_deadline_us(uint64_t us);
bool time_passed(uint64_t deadline);

#endif
