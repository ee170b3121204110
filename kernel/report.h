/*
 * The run's result: the counts behind the summary line, the summary itself,
 * and the exit path (QEMU isa-debug-exit, Bochs shutdown port, or halt).
 */
#ifndef VMXPROBE_KERNEL_REPORT_H
#define VMXPROBE_KERNEL_REPORT_H

#include "lib/verdict.h"

extern struct vp_counts counts;

/* Decide how the run ends (see exit_method_decide()). */
void report_set_exit(enum exit_mode m);
enum exit_mode report_exit_method(void);
/* With the halt method: reset the machine this many seconds after the summary (-1: never). */
void report_set_reboot(int32_t seconds);

/* Print the summary line and end the run. */
void report_finish(void) __attribute__((noreturn));
/* An unexpected exception on the BSP: summary with verdict FAIL, then exit. */
void report_fault_and_exit(void) __attribute__((noreturn));
/* End the run without printing. */
void report_exit_now(enum verdict v) __attribute__((noreturn));

#endif
