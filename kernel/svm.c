/* SPDX-License-Identifier: MIT */
/*
 * AMD SVM on every CPU. AMD64 Architecture Programmer's Manual Vol. 2, chapter
 * 15 "Secure Virtual Machine": sections "Enabling SVM" (CPUID, VM_CR.SVMDIS,
 * EFER.SVME), "SVM Related MSRs" ("VM_CR Register", "VM_HSAVE_PA MSR"), "SVM
 * Feature Identification" (CPUID Fn8000_000A), "Global Interrupt Flag".
 *
 * The probe, in order (svm_probe_cpu()), as Linux does it (init_amd() for
 * VM_CR.SVMDIS; KVM's svm_hardware_enable() and kvm_cpu_svm_disable()): CPUID
 * says SVM; Fn8000_000A; VM_CR under the fix-up (SVMDIS: disabled; a read that
 * faults: not implemented, as in Bochs); EFER.SVME already set: refused; a host
 * save area from the pool; EFER.SVME set and read back (QEMU's TCG ignores the
 * write where it offers no SVM); VM_HSAVE_PA; then leave: VM_HSAVE_PA = 0,
 * STGI, EFER.SVME cleared.
 */
#include "kernel/svm.h"

#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/config.h"
#include "kernel/guest.h"
#include "kernel/percpu.h"
#include "kernel/pool.h"
#include "lib/bump.h"
#include "lib/msr-index.h"
#include "lib/string.h"

/* Each CPU's result, written by that CPU alone. */
static struct svm_result results[MAX_CPUS];

/* The host save areas: one statically reserved, 4 KiB-aligned page per CPU
 * ("VM_HSAVE_PA MSR": a 4 KiB-aligned physical address), zeroed when handed out. */
static uint8_t hsave_pool[MAX_CPUS][4096] __pool __attribute__((aligned(4096)));
static struct bump pool;

void svm_init(void)
{
	bump_init(&pool, hsave_pool, sizeof(hsave_pool));
	svm_guest_init();
	svm_selftest_init();
}

const struct svm_result *svm_result(unsigned cpu)
{
	const struct svm_result *r = &results[cpu];

	return __atomic_load_n(&r->done, __ATOMIC_ACQUIRE) ? r : 0;
}

void svm_pool_bounds(uint64_t *start, uint64_t *end)
{
	*start = (uint64_t)(uintptr_t)pool.start;
	*end = (uint64_t)(uintptr_t)pool.end;
}

static void fail(struct svm_result *r, enum svm_token t, int vector, const char *detail)
{
	r->token = t;
	r->vector = vector;
	r->detail = detail;
}

/* "SVM Feature Identification": CPUID Fn8000_0001 ECX[SVM]. */
bool svm_cpu_has(void)
{
	return cpuid(0x80000000).a >= 0x80000001 &&
	       (cpuid(0x80000001).c & (1u << X86_FEATURE_SVM_BIT));
}

/* Then Fn8000_000A. */
static bool has_svm(struct svm_result *r)
{
	if (!svm_cpu_has())
		return false;
	if (cpuid(0x80000000).a >= SVM_CPUID_LEAF) {
		struct cpuid_regs l = cpuid(SVM_CPUID_LEAF);
		r->caps = svm_caps_decode(l.a, l.b, l.d);
		r->cpuid_eax = l.a;
	}
	return true;
}

/* EFER.SVME on, read back, then the host save area: false (result set) when not. */
static bool svm_on(struct svm_result *r, uint64_t efer)
{
	uint64_t back = 0;
	int v;

	if ((v = wrmsr_safe(MSR_EFER, efer | EFER_SVME)) >= 0) {
		fail(r, SVM_FAULT, v, "WRMSR EFER setting SVME faulted");
		return false;
	}
	if ((v = rdmsr_safe(MSR_EFER, &back)) >= 0 || !(back & EFER_SVME)) {
		fail(r, SVM_EFER_FAIL, v, "EFER.SVME was written but reads back clear");
		return false;
	}
	if ((v = wrmsr_safe(MSR_VM_HSAVE_PA, r->hsave_pa)) >= 0) {
		fail(r, SVM_FAULT, v, "WRMSR VM_HSAVE_PA faulted");
		return false;
	}
	return true;
}

static void svm_probe_cpu(unsigned cpu, struct svm_result *r)
{
	uint64_t efer = 0;
	int v;

	memset(r, 0, sizeof(*r));
	r->vector = -1;
	r->token = SVM_FAULT;
	if (!has_svm(r)) {
		r->token = SVM_NO_SVM;
		return;
	}
	r->has_vm_cr = rdmsr_safe(MSR_VM_CR, &r->vm_cr) < 0;
	if ((v = rdmsr_safe(MSR_EFER, &efer)) >= 0) {
		fail(r, SVM_FAULT, v, "RDMSR EFER faulted");
		return;
	}
	enum svm_token t = svm_enable_decide(r->has_vm_cr, r->vm_cr, efer);
	if (t != SVM_ON) {
		fail(r, t, -1, t == SVM_DISABLED ? "VM_CR.SVMDIS is set" :
			       "EFER.SVME is already set");
		return;
	}
	uint8_t *page = bump_alloc(&pool, 4096, 4096);
	if (!page) {
		fail(r, SVM_ALLOC_FAILED, -1, "the host save area pool is exhausted");
		return;
	}
	memset(page, 0, 4096);
	r->has_hsave = true;
	r->hsave_pa = (uint64_t)(uintptr_t)page;        /* identity-mapped */
	bool on = svm_on(r, efer);
	/* A guest on this CPU (guest=on, the default). */
	if (on && options.guest)
		svm_guest_run(cpu, r);
	/* selftest=svm: the conformance rules (kernel/svm_selftest.c). */
	if (on && options.selftest == SELFTEST_SVM)
		svm_selftest_cpu(cpu, r);
	/* Leave SVM again whatever happened: VM_HSAVE_PA = 0, STGI, EFER.SVME clear. */
	r->left = cpu_leave_svm();
	if (on)
		r->token = r->left ? SVM_ON : SVM_EFER_FAIL;
	if (on && !r->left)
		r->detail = "EFER.SVME was clear again before SVM was left";
}

void svm_run_cpu(struct percpu *c)
{
	struct svm_result *r = &results[c->index];

	svm_probe_cpu(c->index, r);
	/* The CPU's guest result (kernel/guest.c): its SVM guest's, or why none ran. */
	if (r->token != SVM_NO_SVM) {
		if (r->guest.ran)
			guest_from_svm(c->index, &r->guest);
		else
			guest_not_run(c->index, r->token == SVM_ON ? "guest=off" :
					"SVM is not on on this CPU (see its svm: line)");
	}
	__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
}
