/*
 * The run's result: the counts behind the summary line, the summary itself,
 * and the exit path (QEMU isa-debug-exit, Bochs shutdown port, or halt).
 */
#ifndef VMXPROBE_KERNEL_REPORT_H
#define VMXPROBE_KERNEL_REPORT_H

#include "lib/verdict.h"

extern struct vp_counts counts;

/* Decide how the run ends (exit_method_decide() on what CPUID and the ACPI
 * RSDP say); with the halt method, reset reboot_after seconds after the
 * summary (-1: never). */
void report_choose_exit(enum exit_mode requested, int32_t reboot_after);
/* The "exit:" line. */
void report_print_exit(void);

/* Print the summary line and end the run. */
void report_finish(void) __attribute__((noreturn));
/* An unexpected exception on the BSP: summary with verdict FAIL, then exit. */
void report_fault_and_exit(void) __attribute__((noreturn));
/* End the run without printing. */
void report_exit_now(enum verdict v) __attribute__((noreturn));

#endif
