/* Time: the TSC calibrated against the ACPI PM timer (or the PIT), delays and deadlines. */
#ifndef VMXPROBE_KERNEL_TIME_H
#define VMXPROBE_KERNEL_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/acpi.h"
#include "lib/options.h"

/* Calibrate from the first source that works (kernel/time.c), `forced` first
 * unless it is TIME_AUTO; pm may be NULL or not present. */
void time_init(const struct fadt_pm_timer *pm, enum time_source forced);
/* The source time.source= asked for did not work (another one was used). */
bool time_forced_source_failed(void);

uint64_t tsc_khz(void);
const char *time_source(void);
uint64_t tsc_to_us(uint64_t cycles);
void udelay(uint64_t us);

/* A TSC deadline us microseconds from now, and whether it has passed. */
uint64_t time_deadline_us(uint64_t us);
bool time_passed(uint64_t deadline);

#endif
