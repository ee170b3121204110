/* SPDX-License-Identifier: MIT */
/*
 * Kernel command-line options (the text after the kernel's path in grub.cfg).
 * Words are separated by spaces; each is key=value or a bare key. Unknown words
 * and bad values are recorded as warnings, which the kernel prints; they never
 * stop the boot.
 *
 *   console=ttyS<0-3>[,<baud>] | console=0x<ioport>[,<baud>]   serial console
 *   exit=auto|halt|qemu|bochs                                  how the run ends
 *   selftest=vmxon|vmx|svm                     VMXON (and VMCS/guest), or SVM, conformance rules
 *   selftest.skip=<rule>[,<rule>...]           SVM rules not to run (an emulator that dies on one)
 *   inject=fault|fault-ap|fixup|no-sipi        ud2 on the BSP / on CPU 1, a caught #GP,
 *                                              no IPIs to the last CPU (tests)
 *   inject=fault-ap-vmx|late-ap|apic-id|nmi|nmi-wait|vmx-left-on|bad-*
 *                                              more of vmxprobe's own tests
 *                                              (docs/testing.md)
 *   vmxcap=bsp|all|off                         the VMX capability report
 *   ready=on|off                               the hypervisor readiness lines
 *   smp.delay=sdm|modern                                       INIT-SIPI-SIPI waits
 *   time.source=auto|pmtimer|cpuid|pit|kvmclock                TSC calibration source
 *   screen=on|off                                              mirror the log on screen
 *   guest=on|off                                               launch a guest on every CPU
 *   reboot=<seconds>                                           reset after the report
 *                                                              instead of halting
 */
#ifndef VMXPROBE_LIB_OPTIONS_H
#define VMXPROBE_LIB_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/serial-ports.h"


enum exit_mode { EXIT_AUTO, EXIT_HALT, EXIT_QEMU, EXIT_BOCHS };
enum selftest {
	SELFTEST_NONE,
	SELFTEST_VMXON,         /* the VMXON rules */
	SELFTEST_VMX,           /* the VMXON rules plus the VMCS and guest rules */
	SELFTEST_SVM,           /* the SVM rules (AMD; lib/svm_rules.c) */
};
/* Faults and failures made on purpose, to test vmxprobe itself (docs/testing.md). */
enum inject {
	INJECT_NONE, INJECT_FAULT, INJECT_FAULT_AP, INJECT_FIXUP, INJECT_NO_SIPI,
	INJECT_LATE_AP, INJECT_APIC_ID, INJECT_NMI, INJECT_NMI_WAIT,
	INJECT_VMX_LEFT_ON, INJECT_FAULT_AP_VMX,
	/* One VMCS field broken on CPU 0: checked (rejected) or launched without the check. */
	INJECT_BAD_CONTROL, INJECT_BAD_HOST, INJECT_BAD_GUEST,
	INJECT_BAD_CONTROL_NOCHECK, INJECT_BAD_HOST_NOCHECK, INJECT_BAD_GUEST_NOCHECK,
};
enum vmxcap_mode { VMXCAP_OFF, VMXCAP_BSP, VMXCAP_ALL };
enum time_source { TIME_AUTO, TIME_PMTIMER, TIME_CPUID, TIME_PIT, TIME_KVMCLOCK };
enum smp_delay { SMP_DELAY_SDM, SMP_DELAY_MODERN };

#define REBOOT_MAX_SECONDS      86400

#define OPT_WARN_MAX    8
#define OPT_WARN_LEN    320     /* room for the longest "(want ...)" list and the word */
#define OPT_SKIP_LEN    256     /* selftest.skip='s list */

struct vp_options {
	uint16_t console_port;
	uint32_t console_baud;
	enum exit_mode exit;
	enum selftest selftest;
	enum inject inject;             /* vmxprobe's own tests: never set by a user */
	enum smp_delay smp_delay;
	enum time_source time_source;
	bool screen;
	bool guest;                     /* launch a guest on every CPU whose VMXON works */
	bool ready;                     /* print the "ready:" lines (lib/ready.h) */
	enum vmxcap_mode vmxcap;
	char selftest_skip[OPT_SKIP_LEN];       /* selftest.skip=: comma-separated rule ids */
	int32_t reboot_after;           /* seconds; -1: stay halted */
	unsigned nwarn;                 /* may exceed OPT_WARN_MAX: only the first are kept */
	char warn[OPT_WARN_MAX][OPT_WARN_LEN];
};

void options_defaults(struct vp_options *o);

/* Does selftest.skip= name rule `id`? */
bool options_skips_rule(const struct vp_options *o, const char *id);
void options_parse(const char *cmdline, struct vp_options *o);

/* Parse a console= value; false if it is not valid (port and baud untouched). */
bool options_parse_console(const char *v, unsigned len, uint16_t *port, uint32_t *baud);

const char *exit_mode_str(enum exit_mode m);

#endif
