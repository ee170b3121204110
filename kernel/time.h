/* SPDX-License-Identifier: MIT */
/* TSC calibration against the ACPI PM timer, CPUID or the PIT; the delays and
 * deadlines it makes exact are in arch/tsc.h. */
#ifndef VMXPROBE_KERNEL_TIME_H
#define VMXPROBE_KERNEL_TIME_H

/* After acpi_init(): calibrate the TSC from the first source that counts
 * (kernel/time.c), time.source= first; print the time: lines. */
void time_init(void);

#endif
