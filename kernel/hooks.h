/* selftest=fault|fault-ap|fixup: exceptions on purpose, for vmxprobe's own tests. */
#ifndef VMXPROBE_KERNEL_HOOKS_H
#define VMXPROBE_KERNEL_HOOKS_H

#include "kernel/percpu.h"

/* On the boot CPU, before the APs start: selftest=fault and selftest=fixup. */
void hooks_bsp(void);

/* On the boot CPU, once the APs are up: selftest=nmi and selftest=nmi-wait. */
void hooks_after_smp(void);

/* What each AP does once online: selftest=fault-ap makes CPU 1 execute ud2
 * first; then the VMX probe. */
void hooks_ap_work(struct percpu *c);

#endif
