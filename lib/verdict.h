/* SPDX-License-Identifier: MIT */
/*
 * The run's verdict and how the run ends: pure decision tables.
 *
 * Verdict: PASS = the CPUs' virtualization extension (Intel VMX or AMD SVM) usable on
 * every CPU, with a guest on each; FAIL = something is wrong (a fault, a CPU that
 * did not start, the extension present but not usable, or on some CPUs only);
 * SKIP = neither extension on this machine.
 */
#ifndef VMXPROBE_LIB_VERDICT_H
#define VMXPROBE_LIB_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/options.h"
#include "lib/svm.h"
#include "lib/vmx.h"

enum verdict { VERDICT_PASS, VERDICT_FAIL, VERDICT_SKIP };

struct vp_counts {
	unsigned enumerated;    /* CPUs the firmware lists as usable */
	unsigned online;        /* CPUs running our code */
	unsigned on, no_vmx, locked_off, failed;
	bool vmx_probed;        /* the VMX stage ran */
	bool fault;             /* an unexpected exception happened */
	unsigned selftest_failed; /* selftest=vmxon rules that failed */
	bool cpu_list_partial;  /* the firmware's CPU list is unknown or was cut short */
	bool guest_required;    /* guest=on: PASS needs a guest run on every CPU */
	unsigned guest_ok;      /* CPUs whose guest ran to the end as expected */
	bool svm;               /* the CPUs' extension is AMD SVM (the summary says ext=svm) */
};

enum verdict verdict_decide(const struct vp_counts *c);

/* Count one CPU's VMX result into c: on, no-vmx, locked-off, or failed (any
 * other result: VMXON failures, faults, alloc-failed). */
void vp_counts_add(struct vp_counts *c, enum vmx_token t);
/* The same for a CPU whose extension is SVM, in place of its VMX result (which
 * was no-vmx): on, no-svm (counted as no-vmx), disabled (as locked-off: the
 * firmware turned it off), or failed. */
void vp_counts_svm(struct vp_counts *c, enum svm_token t);
const char *verdict_str(enum verdict v);

/* Value written to QEMU's isa-debug-exit port: QEMU exits with (value << 1) | 1. */
#define QEMU_EXIT_PASS  0       /* status 1 */
#define QEMU_EXIT_FAIL  1       /* status 3 */
#define QEMU_EXIT_SKIP  38      /* status 77 */
uint8_t verdict_qemu_exit_value(enum verdict v);

/*
 * Facts the automatic exit choice looks at: the CPUID hypervisor bit, the
 * hypervisor's vendor signature (CPUID 40000000H, 12 bytes), and the ACPI RSDP's
 * OEM ID (6 bytes; empty when there is none).
 */
struct exit_facts {
	bool hypervisor;
	char hv_vendor[13];
	char acpi_oem[7];
	bool fw_cfg_qemu;       /* QEMU's fw_cfg answered "QEMU" (probed only if allowed below) */
};

/* Fill hv_vendor from CPUID 40000000H's EBX, ECX, EDX (12 bytes, in that order). */
void exit_facts_set_vendor(struct exit_facts *f, uint32_t ebx, uint32_t ecx, uint32_t edx);

/* May QEMU's fw_cfg port be probed? Only under a hypervisor or with QEMU's (and
 * Bochs's) ACPI OEM ID "BOCHS ": never on bare metal. */
bool exit_may_probe_fw_cfg(const struct exit_facts *f);

/*
 * EXIT_QEMU, EXIT_BOCHS or EXIT_HALT for the requested mode (EXIT_AUTO decides):
 * QEMU when its fw_cfg answers or the hypervisor's CPUID signature is QEMU's
 * (TCG or KVM); Bochs with its OEM ID and no hypervisor bit; else halt.
 * boot/entry.S's early fatal path follows the same rule, less the ACPI clue.
 */
enum exit_mode exit_method_decide(enum exit_mode requested, const struct exit_facts *f);

#endif
