/* Bring up every enabled CPU of the MADT: parallel INIT-SIPI-SIPI. */
#ifndef VMXPROBE_KERNEL_SMP_H
#define VMXPROBE_KERNEL_SMP_H

#include "kernel/percpu.h"

/* Find the CPUs, start them, wait (bounded) for each to check in, print the
 * smp: and cpu: lines, and fill counts.enumerated and counts.online. */
void smp_init(void);

/* CPUs in cpus[] (BSP first, then the APs that were to be started). */
unsigned smp_cpu_count(void);

/* What each AP does once online; set before smp_init(). */
extern void (*smp_ap_work)(struct percpu *c);

#endif
