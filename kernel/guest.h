/* SPDX-License-Identifier: MIT */
/*
 * A guest on every CPU (kernel/guest.c): after VMXON succeeds, each CPU builds a
 * VMCS, launches a small 64-bit guest and handles its VM exits; the boot CPU
 * then prints one "guest:" line per CPU (kernel/guest_report.c).
 */
#ifndef VMXPROBE_KERNEL_GUEST_H
#define VMXPROBE_KERNEL_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/vmx.h"
#include "lib/guest.h"

/* The guest's program: this many CPUID exits, timed from inside the guest. */
#define GUEST_SAMPLES           1000
/* More exits than the program makes (NMIs included): the guest is not doing what it should. */
#define GUEST_MAX_EXITS         (GUEST_SAMPLES + 64)
/* Per CPU: the samples, then the guest's stack at the top of the second page. */
#define GUEST_AREA              8192

/* What the guest did on one CPU. */
struct guest_result {
	enum guest_token token;
	unsigned exits;                 /* VM exits handled */
	uint64_t cycles_median, cycles_min;     /* TSC cycles of a CPUID exit and re-entry */
	bool has_error;
	uint32_t error;                 /* VM-instruction error (launch-fail-valid) */
	bool has_reason;
	uint32_t reason;                /* exit reason (entry-fail, unexpected-exit), bit 31 clear */
	bool has_qualification;
	uint64_t qualification;
	const char *name;               /* the SDM's name of the error or reason */
	const char *detail;             /* a static string, or NULL */
	int vector;                     /* an exception (fault), -1 when none */
	bool no_timer;                  /* no VMX-preemption timer: the guest ran unbounded */
	bool svm;                       /* an SVM guest (kernel/svm_guest.c), not a VMX one */
	bool npt;                       /* SVM: nested paging was on */
	bool has_exit_code;             /* SVM: the #VMEXIT's EXITCODE, EXITINFO1, EXITINFO2 */
	uint64_t exit_code, exit_info_1, exit_info_2;
	const char *rule;               /* SVM rejected: the consistency check's name */
	bool done;                      /* written last, with release order */
};

/* BSP, before the APs start: the VMCS and guest-stack pools. */
void guest_init(void);

/* On CPU `cpu`, in VMX root operation (between the probe's VMXON and VMXOFF):
 * build, check and launch the guest, handle its exits, VMCLEAR. */
void guest_run(unsigned cpu, const struct vmx_result *r);

/* On CPU `cpu`: publish its SVM guest's outcome (kernel/svm_guest.c) as its
 * guest result. */
struct svm_guest;
void guest_from_svm(unsigned cpu, const struct svm_guest *s);

/* On CPU `cpu` when no guest can run (VMXON failed, or guest=off). */
void guest_not_run(unsigned cpu, const char *why);

/*
 * For the conformance rules (kernel/vmx_conformance.c), in VMX root operation:
 * make this CPU's VMCS region current and write the guest's VMCS into it, with
 * the guest starting at rip on this CPU's guest stack, after tweak() changed
 * the fields (NULL: none). NULL on success (*vmcs_pa set), else what failed.
 */
struct vmcs_config;
typedef void (*guest_tweak_fn)(struct vmcs_config *c, void *ctx);
const char *guest_vmcs_prepare(unsigned cpu, const struct vmx_result *r, uint64_t rip,
			       guest_tweak_fn tweak, void *ctx, uint64_t *vmcs_pa);
/* Its two halves: the guest's VMCS built into *c (not written); then c made
 * this CPU's current VMCS, every field written (on a failed VMWRITE the VMCS
 * is cleared with VMCLEAR and the reason returned). */
const char *guest_vmcs_build(unsigned cpu, const struct vmx_result *r, uint64_t rip,
			     struct vmcs_config *c);
const char *guest_vmcs_load(unsigned cpu, const struct vmx_result *r, const struct vmcs_config *c,
			    uint64_t *vmcs_pa);

/* The guest's program (kernel/guest.c): CPUID, VMCALL (svm = 0) or VMMCALL
 * (svm = 1), n timed CPUIDs into samples, then HLT. Never returns. */
void guest_main(uint64_t *samples, uint64_t n, uint64_t svm) __attribute__((noreturn));

/* CPU `cpu`'s control page (VMX: its VMCS region; SVM: its VMCB) and guest area
 * (GUEST_AREA bytes: samples, then the stack), from the pools on first use and
 * kept. NULL, or what ran out; page and area may be NULL. */
const char *guest_regions(unsigned cpu, uint8_t **page, uint64_t **area);

/* CPU `cpu`'s result once it is done, else NULL. */
const struct guest_result *guest_result(unsigned cpu);

/* BSP, after vmx_report(): a "guest:" line per online CPU, the advice lines,
 * and the counts behind the summary's guest=. */
void guest_report(void);

#endif
