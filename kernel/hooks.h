/* SPDX-License-Identifier: MIT */
/* The inject= hooks: situations made on purpose, for vmxprobe's own tests. */
#ifndef VMXPROBE_KERNEL_HOOKS_H
#define VMXPROBE_KERNEL_HOOKS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/percpu.h"

/* On the boot CPU, before the APs start: inject=fault and inject=fixup. */
void hooks_bsp(void);

/* On the boot CPU, once the APs are up: inject=nmi and inject=nmi-wait. */
void hooks_after_smp(void);

/* Every AP, once online, before its VMX probe: inject=fault-ap. */
void hooks_ap(struct percpu *c);

/* In the VMX probe (kernel/vmx.c), just before VMXON: inject=vmx-left-on. */
void hooks_before_vmxon(unsigned cpu, uint64_t vmxon_pa);
/* In the VMX probe, in VMX root operation before VMXOFF: inject=fault-ap-vmx. */
void hooks_in_vmx_root(unsigned cpu);

/* In the guest's VMCS set-up (kernel/guest.c): inject=bad-*. Returns whether
 * vmxprobe's own VMCS check is to run. */
struct vmcs_config;
bool hooks_break_vmcs(unsigned cpu, struct vmcs_config *c);

#endif
