/* SPDX-License-Identifier: MIT */
/* Bring up every enabled CPU of the MADT: parallel INIT-SIPI-SIPI. */
#ifndef VMXPROBE_KERNEL_SMP_H
#define VMXPROBE_KERNEL_SMP_H

#include "kernel/percpu.h"

/* After acpi_init() and time_init(): find the CPUs (MADT, else MP table), start them, wait (bounded) for each to check in, print the
 * smp: and cpu: lines, and fill counts.enumerated and counts.online. */
void smp_init(void);

/* "smp: cpu=<i> ... checked in after the deadline" for each AP that did (before
 * the summary: the AP is neither online nor counted). */
void smp_report_late(void);

/* CPUs in cpus[] (BSP first, then the APs that were to be started). */
unsigned smp_cpu_count(void);

/* What each AP does once online; set before smp_init(). */
extern void (*smp_ap_work)(struct percpu *c);

/*
 * BSP: wait, at most timeout_us, until finished(i) holds for every AP i below n
 * that is online and has not faulted (the per-CPU probes' results).
 */
void smp_wait_for_aps(unsigned n, bool (*finished)(unsigned cpu), unsigned timeout_us);

#endif
