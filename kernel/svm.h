/* SPDX-License-Identifier: MIT */
/* AMD SVM on every CPU: the per-CPU enable and leave (svm.c) and the boot CPU's
 * report (svm_report.c). */
#ifndef VMXPROBE_KERNEL_SVM_H
#define VMXPROBE_KERNEL_SVM_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/guest.h"
#include "lib/svm.h"
#include "lib/vmcb_check.h"

/* What the SVM guest did on one CPU (kernel/svm_guest.c). */
struct svm_guest {
	bool ran;                       /* a guest was tried (SVM on, guest=on) */
	enum guest_token token;         /* ok, rejected, entry-fail, unexpected-exit, fault, alloc-failed */
	bool npt;                       /* nested paging was on */
	unsigned exits;                 /* #VMEXITs handled (the host's NMIs not counted) */
	uint64_t cycles_median, cycles_min;     /* TSC cycles of a CPUID exit and VMRUN */
	enum vmcb_rule rule;            /* rejected: the consistency check that failed */
	bool has_exit;
	uint64_t exit_code, exit_info_1, exit_info_2;
	int vector;                     /* VMRUN raised an exception, -1 when not */
	const char *detail;
};

/* What the probe found on one CPU; kernel/svm.c owns one per CPU. */
struct svm_result {
	enum svm_token token;
	struct svm_caps caps;           /* CPUID Fn8000_000A, where SVM is there */
	uint32_t cpuid_eax;             /* its EAX as read (caps keeps the revision byte) */
	bool has_vm_cr;                 /* VM_CR could be read (Bochs: not implemented) */
	uint64_t vm_cr;
	bool has_hsave;
	uint64_t hsave_pa;              /* the host save area (VM_HSAVE_PA) */
	bool left;                      /* EFER.SVME was cleared again at the end */
	struct svm_guest guest;
	int vector;                     /* exception vector, -1 when none */
	const char *detail;             /* a static string, or NULL */
	bool done;                      /* written last, with release order */
};

struct percpu;

/* CPUID Fn8000_0001 ECX[SVM] on this CPU. */
bool svm_cpu_has(void);

/* BSP, before the APs start: the host save area pool, the nested page tables. */
void svm_init(void);
void svm_guest_init(void);

/* On CPU `cpu` with SVM on (between EFER.SVME and leaving): build, check and
 * run the guest, handle its exits; the outcome in r->guest. */
void svm_guest_run(unsigned cpu, struct svm_result *r);

/* Every CPU (the BSP and each AP once online), after its VMX probe: CPUID,
 * VM_CR, EFER.SVME set and read back, VM_HSAVE_PA, then SVM left again. */
void svm_run_cpu(struct percpu *c);

/* The guest's VMCB (kernel/svm_guest.c), starting at rip on the stack in area,
 * and what the consistency checks of this CPU depend on: for the rules. */
struct vmcb;
void svm_vmcb_build(struct vmcb *v, const struct svm_result *r, uint64_t *area, uint64_t rip);
struct vmcb_check_env svm_check_env(const struct svm_result *r);
/* The TLB-control rules' nested page for CPU cpu (lib/npt.h: NPT_GPA_TLB). */
void svm_npt_tlb_page(unsigned cpu, bool present);

/* selftest=svm on CPU `cpu`, with SVM on (kernel/svm_selftest.c), and the
 * boot CPU's report of every CPU's rules; the number of failed rules. */
void svm_selftest_init(void);
void svm_selftest_cpu(unsigned cpu, struct svm_result *r);
unsigned svm_selftest_report(unsigned n);

/* CPU `cpu`'s result once it is done (release/acquire), else NULL. */
const struct svm_result *svm_result(unsigned cpu);

/* The host save area pool's bounds, [start, end). */
void svm_pool_bounds(uint64_t *start, uint64_t *end);

/* BSP, after vmx_report(): where any CPU has SVM, one "svm:" line per online CPU
 * in index order and an advice line per distinct result other than on. */
void svm_report(void);

#endif
