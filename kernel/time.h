/* Time: the TSC calibrated against the ACPI PM timer (or the PIT), delays and deadlines. */
#ifndef VMXPROBE_KERNEL_TIME_H
#define VMXPROBE_KERNEL_TIME_H

#include <stdbool.h>
#include <stdint.h>

/* After acpi_init(): calibrate the TSC from the first source that counts
 * (kernel/time.c), time.source= first; print the time: lines. */
void time_init(void);

uint64_t tsc_khz(void);
uint64_t tsc_to_us(uint64_t cycles);
void udelay(uint64_t us);

/* A TSC deadline us microseconds from now, and whether it has passed. */
uint64_t time_deadline_us(uint64_t us);
bool time_passed(uint64_t deadline);

#endif
