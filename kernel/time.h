/* Time: the TSC calibrated against the ACPI PM timer (or the PIT), delays and deadlines. */
#ifndef VMXPROBE_KERNEL_TIME_H
#define VMXPROBE_KERNEL_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/acpi.h"

/* Calibrate; pm may be NULL or not present (then the PIT is used). */
void time_init(const struct fadt_pm_timer *pm);

uint64_t tsc_khz(void);
const char *time_source(void);
uint64_t tsc_to_us(uint64_t cycles);
void udelay(uint64_t us);

/* A TSC deadline us microseconds from now, and whether it has passed. */
uint64_t time_deadline_us(uint64_t us);
bool time_passed(uint64_t deadline);

#endif
