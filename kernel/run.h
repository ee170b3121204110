/* SPDX-License-Identifier: MIT */
/*
 * The end of the run: the counts behind the summary line, the summary itself,
 * and the way out (QEMU isa-debug-exit, Bochs shutdown port, or halt/reset).
 */
#ifndef VMXPROBE_KERNEL_RUN_H
#define VMXPROBE_KERNEL_RUN_H

#include "lib/verdict.h"

extern struct vp_counts counts;

/* Decide how the run will end (exit_method_decide() on what CPUID, QEMU's
 * fw_cfg and the ACPI RSDP say); with the halt method, reset reboot_after
 * seconds after the summary (-1: never). */
void run_choose_exit(enum exit_mode requested, int32_t reboot_after);
/* The hypervisor's CPUID 40000000H signature ("" without the hypervisor bit), as
 * run_choose_exit() read it. */
const char *run_hypervisor_vendor(void);
/* The "exit:" line. */
void run_print_exit(void);

/* The last lines (left VMX, NMIs, late check-ins), the summary, then end the run. */
void run_finish(void) __attribute__((noreturn));
/* Stop before the CPUs are found (a fatal boot: line said why): the summary with
 * no CPU counted, verdict FAIL, then end the run. */
void run_stop_before_cpus(void) __attribute__((noreturn));
/* An unexpected exception on the BSP: the same, with a fault counted (FAIL). */
void run_finish_after_fault(void) __attribute__((noreturn));
/* End the run at once, printing nothing. */
void run_end(enum verdict v) __attribute__((noreturn));

#endif
