/* SPDX-License-Identifier: MIT */
/*
 * selftest=vmx: the rules one CPU cannot check alone (kernel/vmx_cross.c):
 * another CPU sends INIT or SIPI to a CPU in VMX operation.
 */
#ifndef VMXPROBE_KERNEL_VMX_CROSS_H
#define VMXPROBE_KERNEL_VMX_CROSS_H

#include <stdbool.h>

#include "kernel/vmx.h"
#include "kernel/vmx_conformance.h"

/* A handshake word between a CPU under test and the CPU that signals it. The
 * CPU under test stores XC_READY; the sender commits with a compare-and-swap
 * XC_READY -> XC_SENT before it sends; the CPU under test withdraws with
 * XC_READY -> XC_WITHDRAWN (so an IPI is sent only to a CPU that waits for
 * it, and a CPU never waits for an IPI no one will send); XC_DONE ends it.
 * The guest of the INIT-exit rule (conf_guest(OP_WAIT_INIT)) uses the same
 * word. */
enum xc_word { XC_IDLE, XC_READY, XC_SENT, XC_WITHDRAWN, XC_DONE };

/* On CPU `cpu`, in VMX root operation, after its own rules: the INIT and SIPI
 * rules, this CPU signalled by another (the boot CPU signals every AP; the
 * first AP that runs the rules signals the boot CPU). Bounded waits. */
void vmx_cross_cpu(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s);

/* On CPU `cpu` when it does not run the VMX rules (selftest=vmx, VMX not on):
 * the CPUs that wait for it go on at once. */
void vmx_cross_absent(unsigned cpu);

/* Did CPU `cpu` stop answering after another CPU sent it INIT or SIPI? Then
 * the rule's name, else NULL. */
const char *vmx_cross_lost(unsigned cpu);

#endif
