/* SPDX-License-Identifier: MIT */
/*
 * VMX on every CPU. Intel SDM Vol. 3C, chapter "Introduction to Virtual Machine
 * Extensions", sections "Discovering Support for VMX", "Enabling and Entering
 * VMX Operation" and "Restrictions on VMX Operation"; Vol. 3D appendix "VMX
 * Capability Reporting Facility"; Vol. 2 / 3C "VMX Instruction Reference"
 * (VMXON, VMXOFF, VMREAD).
 *
 * The probe, in order (vmx_probe_cpu()): CPUID says VMX; the capability MSRs;
 * IA32_FEATURE_CONTROL as Linux does it; IA32_VMX_BASIC; a VMXON page; the
 * CR0/CR4 VMX-fixed bits; VMXON; VMXOFF; CR0/CR4 restored.
 */
#include "kernel/vmx.h"

#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/config.h"
#include "kernel/guest.h"
#include "kernel/hooks.h"
#include "kernel/percpu.h"
#include "kernel/pool.h"
#include "kernel/svm.h"
#include "kernel/vmx_conformance.h"
#include "kernel/vmx_selftest.h"
#include "lib/bump.h"
#include "lib/cpufeatures.h"
#include "lib/msr-index.h"
#include "lib/processor-flags.h"
#include "lib/string.h"


/* Each CPU's result, written by that CPU alone. */
static struct vmx_result results[MAX_CPUS];

/* The VMXON pool: one statically reserved, 4 KiB-aligned page per CPU (in the
 * .pool segment: each page is zeroed when it is handed out). */
static uint8_t vmxon_pool[MAX_CPUS][4096] __pool __attribute__((aligned(4096)));
static struct bump pool;

void vmx_init(void)
{
	bump_init(&pool, vmxon_pool, sizeof(vmxon_pool));
	if (options.selftest == SELFTEST_VMX)
		vmx_conformance_init();
}

const struct vmx_result *vmx_result(unsigned cpu)
{
	const struct vmx_result *r = &results[cpu];

	return __atomic_load_n(&r->done, __ATOMIC_ACQUIRE) ? r : 0;
}

struct vmx_pool_use vmx_pool_use(void)
{
	struct vmx_pool_use u = { (uint64_t)(uintptr_t)pool.start, (uint64_t)(uintptr_t)pool.end,
				  MAX_CPUS, (unsigned)(bump_used(&pool) / 4096) };
	return u;
}

static void fail(struct vmx_result *r, enum vmx_token t, int vector, const char *detail)
{
	r->token = t;
	r->vector = vector;
	r->detail = detail;
}

/*
 * Read the capability MSRs this CPU says exist (Vol. 3D, appendix A: 480H-48AH
 * whenever VMX is there, the others when earlier ones advertise them; see
 * vmxcap_msr_exists()), each under the fix-up. A fault on 480H-48AH is fatal
 * to the probe (false, *vector set); on the others the MSR is just left unread.
 */
static bool read_caps(struct vmx_result *r, int *vector)
{
	struct vmxcap_msrs *m = &r->caps;

	for (unsigned i = 0; i < VMXCAP_MSRS; i++) {
		m->present[i] = false;
		if (!vmxcap_msr_exists(m, i))
			continue;
		int v = rdmsr_safe(VMXCAP_FIRST_MSR + i, &m->value[i]);
		if (v >= 0 && VMXCAP_FIRST_MSR + i <= MSR_IA32_VMX_VMCS_ENUM) {
			*vector = v;
			return false;
		}
		m->present[i] = v < 0;
	}
	return true;
}

/*
 * IA32_FEATURE_CONTROL, exactly as Linux's init_ia32_feat_ctl(): an MSR that
 * cannot be read (#GP on some hypervisors) means no VMX there
 * ("clear_cpu_cap(c, X86_FEATURE_VMX)"); a locked one is obeyed; an unlocked one
 * is written once (lib/vmx.c: feat_ctl_decide()). false when VMXON must not be tried.
 */
static bool feature_control(struct vmx_result *r)
{
	uint64_t fc;
	int v;

	if ((v = rdmsr_safe(MSR_IA32_FEAT_CTL, &fc)) >= 0) {
		fail(r, VMX_FAULT, v,
		     "IA32_FEATURE_CONTROL is unreadable: Linux treats VMX as unusable then (init_ia32_feat_ctl())");
		return false;
	}
	r->has_feat_ctl = true;
	r->feat_ctl = fc;
	struct feat_ctl_decision d = feat_ctl_decide(fc);
	if (d.action == FEAT_CTL_LOCKED_OFF) {
		fail(r, VMX_LOCKED_OFF, -1, "locked with VMX outside SMX disabled");
		return false;
	}
	if (d.action == FEAT_CTL_WRITE) {
		if ((v = wrmsr_safe(MSR_IA32_FEAT_CTL, d.value)) >= 0) {
			fail(r, VMX_FAULT, v, "WRMSR IA32_FEATURE_CONTROL faulted");
			return false;
		}
		r->feat_ctl_written = true;
		rdmsr_safe(MSR_IA32_FEAT_CTL, &r->feat_ctl);
	}
	return true;
}

/* A VMXON page from the pool, checked against IA32_VMX_BASIC: zeroed, the
 * revision identifier in its first 4 bytes with bit 31 clear (Vol. 3C, "VMXON
 * Region"). 0 (with the result set) when there is none. */
static uint64_t vmxon_region(struct vmx_result *r, const struct vmx_basic *b)
{
	uint8_t *page = bump_alloc(&pool, 4096, 4096);

	if (!page) {
		fail(r, VMX_ALLOC_FAILED, -1, "the VMXON page pool is exhausted");
		return 0;
	}
	r->has_vmxon = true;
	r->vmxon_pa = (uint64_t)(uintptr_t)page;        /* identity-mapped */
	const char *problem = vmxon_region_problem(b, r->vmxon_pa, phys_addr_bits());
	if (problem) {
		fail(r, VMX_ALLOC_FAILED, -1, problem);
		return 0;
	}
	memset(page, 0, 4096);
	memcpy(page, &b->revision, 4);
	return r->vmxon_pa;
}

/*
 * Vol. 3D, "VMX-Fixed Bits in CR0" / "in CR4": bits 1 in FIXED0 must be set,
 * bits 0 in FIXED1 must be clear, in VMX operation and to execute VMXON; Vol.
 * 3C "Enabling and Entering VMX Operation": CR4.VMXE = 1 first. false (CR0 and
 * CR4 as they were) when they cannot be set.
 */
static bool fixed_bits_on(struct vmx_result *r)
{
	uint64_t f0 = vmxcap_get(&r->caps, MSR_IA32_VMX_CR0_FIXED0);
	uint64_t f1 = vmxcap_get(&r->caps, MSR_IA32_VMX_CR0_FIXED1);
	uint64_t g0 = vmxcap_get(&r->caps, MSR_IA32_VMX_CR4_FIXED0);
	uint64_t g1 = vmxcap_get(&r->caps, MSR_IA32_VMX_CR4_FIXED1);
	int v;

	r->cr0_before = read_cr0();
	r->cr4_before = read_cr4();
	r->cr0_after = vmx_fixed_bits(r->cr0_before, f0, f1);
	r->cr4_after = vmx_fixed_bits(r->cr4_before | X86_CR4_VMXE, g0, g1);
	if (vmx_fixed_conflict(f0, f1) || vmx_fixed_conflict(g0, g1)) {
		fail(r, VMX_FAULT, -1, "IA32_VMX_CR0/CR4_FIXED0 forces a bit that FIXED1 forbids");
		return false;
	}
	if (!(r->cr4_after & X86_CR4_VMXE)) {
		fail(r, VMX_FAULT, -1, "IA32_VMX_CR4_FIXED1 forbids CR4.VMXE");
		return false;
	}
	if (r->cr0_after != r->cr0_before && (v = write_cr0_safe(r->cr0_after)) >= 0) {
		fail(r, VMX_FAULT, v, "MOV to CR0 with the VMX-fixed bits faulted");
		return false;
	}
	if ((v = write_cr4_safe(r->cr4_after)) >= 0) {
		fail(r, VMX_FAULT, v, "MOV to CR4 setting CR4.VMXE faulted");
		write_cr0(r->cr0_before);
		return false;
	}
	return true;
}

/* VMfailInvalid (CF=1): a bad region, or VMX root operation without a current
 * VMCS; VMXOFF (#UD outside VMX operation, caught) tells which, and leaves it. */
static void vmxon_failed_invalid(struct vmx_result *r)
{
	uint64_t f = 0;

	fail(r, VMX_VMXON_FAIL_INVALID, -1, "VMXON: VMfailInvalid (CF=1)");
	if (vmxoff_safe(&f) < 0 && vmx_outcome_from_rflags(f) == VMX_SUCCEED)
		r->detail = "VMXON: VMfailInvalid: the CPU was already in VMX operation (left it with VMXOFF)";
}

/* VMfailValid (ZF=1): the CPU was already in VMX operation (someone else's,
 * with a current VMCS): keep the error number, then leave it, so CR4 can be
 * restored and INIT is not blocked. */
static void vmxon_failed_valid(struct vmx_result *r)
{
	uint64_t f = 0;
	uint32_t err;

	fail(r, VMX_VMXON_FAIL_VALID, -1, "VMXON: VMfailValid (ZF=1)");
	if (vmx_read_instruction_error(&err)) {
		r->has_error = true;
		r->error = err;
		r->detail = vmx_instruction_error_str(err);
	}
	vmxoff_safe(&f);
}

/* VMXON: #UD if CR4.VMXE = 0, #GP if feature control or fixed bits are not
 * right; VMfailInvalid for a bad region; VMfail(15) in VMX root. Then VMXOFF.
 * false when the CPU may still be in VMX operation (CR4.VMXE must then stay). */
static bool vmxon_vmxoff(struct vmx_result *r, uint64_t pa, unsigned cpu)
{
	uint64_t f = 0;
	int v;

	hooks_before_vmxon(cpu, pa);
	v = vmxon_safe(pa, &f);
	if (v >= 0) {
		fail(r, VMX_FAULT, v, "VMXON raised an exception");
		return true;
	}
	switch (vmx_outcome_from_rflags(f)) {
	case VMX_FAIL_INVALID:
		vmxon_failed_invalid(r);
		return true;
	case VMX_FAIL_VALID:
		vmxon_failed_valid(r);
		return true;
	case VMX_SUCCEED:
		break;
	}
	/* In VMX root operation: a guest on this CPU, then leave again with VMXOFF. */
	hooks_in_vmx_root(cpu);
	guest_run(cpu, r);
	if ((v = vmxoff_safe(&f)) >= 0) {
		fail(r, VMX_FAULT, v, "VMXON succeeded but VMXOFF raised an exception");
		return false;
	}
	if (vmx_outcome_from_rflags(f) != VMX_SUCCEED) {
		fail(r, VMX_FAULT, -1, "VMXON succeeded but VMXOFF failed");
		return false;
	}
	r->token = VMX_ON;
	return true;
}

/* Restore CR4 and CR0, under the fix-up: were the CPU left in VMX operation by
 * a broken VMXOFF, clearing a fixed bit would raise #GP. Then it is not a
 * usable "on", and the first detail (if any) stays. */
static void fixed_bits_off(struct vmx_result *r)
{
	if (write_cr4_safe(r->cr4_before) < 0 && write_cr0_safe(r->cr0_before) < 0)
		return;
	if (r->token == VMX_ON)
		r->token = VMX_FAULT;
	if (!r->detail)
		r->detail = "CR0/CR4 could not be restored after VMXON: still in VMX operation?";
}

static void vmx_probe_cpu(unsigned cpu, struct vmx_result *r)
{
	int v;

	memset(r, 0, sizeof(*r));
	r->vector = -1;
	r->token = VMX_FAULT;

	/* Vol. 3C, "Discovering Support for VMX": CPUID.1:ECX.VMX[bit 5]. */
	if (!(cpuid(1).c & (1u << X86_FEATURE_VMX_BIT))) {
		r->token = VMX_NO_VMX;
		return;
	}
	/* The capability MSRs (readable whatever feature control says). */
	if (!read_caps(r, &v)) {
		fail(r, VMX_FAULT, v, "RDMSR of a VMX capability MSR faulted");
		return;
	}
	if (!feature_control(r))
		return;
	/* IA32_VMX_BASIC: revision, region size, 32-bit limit, memory type. */
	struct vmx_basic b = vmx_basic_decode(vmxcap_get(&r->caps, MSR_IA32_VMX_BASIC));
	r->has_revision = true;
	r->revision = b.revision;
	uint64_t pa = vmxon_region(r, &b);
	if (!pa || !fixed_bits_on(r))
		return;
	if (vmxon_vmxoff(r, pa, cpu))
		fixed_bits_off(r);
}

void vmx_run_cpu(struct percpu *c)
{
	struct vmx_result *r = &results[c->index];

	vmx_probe_cpu(c->index, r);
	/* A CPU with AMD SVM has its guest result from svm_run_cpu(). */
	if (!guest_result(c->index) && !(r->token == VMX_NO_VMX && svm_cpu_has()))
		guest_not_run(c->index, vmx_not_on_why(r->token));
	if (options.selftest == SELFTEST_VMXON || options.selftest == SELFTEST_VMX)
		vmx_selftest_cpu(c->index, r);
	__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
}
