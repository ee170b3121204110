/*
 * VMX on every CPU. Intel SDM Vol. 3C, chapter "Introduction to Virtual Machine
 * Extensions", sections "Discovering Support for VMX", "Enabling and Entering
 * VMX Operation" and "Restrictions on VMX Operation"; Vol. 3D appendix "VMX
 * Capability Reporting Facility"; Vol. 2 / 3C "VMX Instruction Reference"
 * (VMXON, VMXOFF, VMREAD).
 */
#include "kernel/vmx.h"

#include "arch/msr-index.h"
#include "arch/processor-flags.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/report.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "lib/bump.h"
#include "lib/fmt.h"
#include "lib/string.h"

#define VM_INSTRUCTION_ERROR    0x4400  /* VMCS field: VM-instruction error */
#define VMX_REPORT_TIMEOUT_US   5000000 /* bound on waiting for the APs' probes */

/* The VMXON pool: one statically reserved, 4 KiB-aligned page per CPU. */
static uint8_t vmxon_pool[MAX_CPUS][4096] __attribute__((aligned(4096)));
static struct bump pool;

void vmx_init(void)
{
	bump_init(&pool, vmxon_pool, sizeof(vmxon_pool));
}

/*
 * Read the capability MSRs this CPU says exist (Vol. 3D, appendix A: 480H-48AH
 * whenever VMX is there, the others when earlier ones advertise them; see
 * vmxcap_msr_exists()), each under the fix-up. A fault on 480H-48AH is fatal
 * to the probe; on the others the MSR is just left unread.
 */
static int read_caps(struct vmx_result *r)
{
	struct vmxcap_msrs *m = &r->caps;

	for (unsigned i = 0; i < VMXCAP_MSRS; i++) {
		m->present[i] = false;
		if (!vmxcap_msr_exists(m, i))
			continue;
		int v = rdmsr_safe(VMXCAP_FIRST_MSR + i, &m->value[i]);
		if (v >= 0 && i <= 0xa)
			return v;
		m->present[i] = v < 0;
	}
	return -1;
}

static void fail(struct vmx_result *r, enum vmx_token t, int vector, const char *detail)
{
	r->token = t;
	r->vector = vector;
	r->detail = detail;
}

/* Steps 4-6: CR0/CR4 fixed bits, VMXON, VMXOFF; CR0 and CR4 are restored after. */
/* selftest=vmx-left-on: the VMXON region and current VMCS of "another hypervisor". */
static uint8_t left_on_region[2][4096] __attribute__((aligned(4096)));

static void vmxon_vmxoff(struct vmx_result *r, uint64_t pa, unsigned cpu)
{
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();
	const uint64_t *cap = r->caps.value;
	int v;

	/* Vol. 3D, "VMX-Fixed Bits in CR0" / "in CR4": bits 1 in FIXED0 must be set,
	 * bits 0 in FIXED1 must be clear, in VMX operation and to execute VMXON;
	 * Vol. 3C "Enabling and Entering VMX Operation": CR4.VMXE = 1 first. */
	r->cr0_before = cr0;
	r->cr4_before = cr4;
	r->cr0_after = vmx_fixed_bits(cr0, cap[6], cap[7]);
	r->cr4_after = vmx_fixed_bits(cr4 | X86_CR4_VMXE, cap[8], cap[9]);
	if (vmx_fixed_conflict(cap[6], cap[7]) || vmx_fixed_conflict(cap[8], cap[9])) {
		fail(r, VMX_FAULT, -1, "IA32_VMX_CR0/CR4_FIXED0 forces a bit that FIXED1 forbids");
		return;
	}
	if (!(r->cr4_after & X86_CR4_VMXE)) {
		fail(r, VMX_FAULT, -1, "IA32_VMX_CR4_FIXED1 forbids CR4.VMXE");
		return;
	}
	if (r->cr0_after != cr0 && (v = write_cr0_safe(r->cr0_after)) >= 0) {
		fail(r, VMX_FAULT, v, "MOV to CR0 with the VMX-fixed bits faulted");
		return;
	}
	if ((v = write_cr4_safe(r->cr4_after)) >= 0) {
		fail(r, VMX_FAULT, v, "MOV to CR4 setting CR4.VMXE faulted");
		write_cr0(cr0);
		return;
	}

	/* VMXON: #UD if CR4.VMXE = 0, #GP if feature control or fixed bits are not
	 * right; VMfailInvalid for a bad region; VMfailValid(15) in VMX root. */
	uint64_t flags = 0;
	if (options.selftest == SELFTEST_VMX_LEFT_ON && cpu == 0) {
		/* As if firmware or another hypervisor had left VMX on with a current
		 * VMCS: our own VMXON below then meets VMX root operation ("VMfail"
		 * is VMfailValid 15 with a current VMCS). */
		memcpy(left_on_region[0], phys_to_virt(pa), 4);
		memcpy(left_on_region[1], phys_to_virt(pa), 4);
		vmxon_safe((uint64_t)(uintptr_t)left_on_region[0], &flags);
		vmclear_safe((uint64_t)(uintptr_t)left_on_region[1], &flags);
		vmptrld_safe((uint64_t)(uintptr_t)left_on_region[1], &flags);
	}
	v = vmxon_safe(pa, &flags);
	if (v < 0 && options.selftest == SELFTEST_FAULT_AP_VMX && cpu == 1 &&
	    vmx_outcome_from_rflags(flags) == VMX_SUCCEED)
		ud2();  /* selftest=fault-ap-vmx: an exception in VMX root operation */
	if (v >= 0) {
		fail(r, VMX_FAULT, v, "VMXON raised an exception");
	} else {
		switch (vmx_outcome_from_rflags(flags)) {
		case VMX_FAIL_INVALID:
			/* Also what VMXON says in VMX root operation without a current
			 * VMCS: VMXOFF (#UD outside VMX operation, caught) tells which. */
			fail(r, VMX_VMXON_FAIL_INVALID, -1, "VMXON: VMfailInvalid (CF=1)");
			if (vmxoff_safe(&flags) < 0 && vmx_outcome_from_rflags(flags) == VMX_SUCCEED)
				r->detail = "VMXON: VMfailInvalid: the CPU was already in VMX operation (left it with VMXOFF)";
			break;
		case VMX_FAIL_VALID: {
			uint64_t err = 0, f2 = 0;
			fail(r, VMX_VMXON_FAIL_VALID, -1, "VMXON: VMfailValid (ZF=1)");
			if (vmread_safe(VM_INSTRUCTION_ERROR, &err, &f2) < 0 &&
			    vmx_outcome_from_rflags(f2) == VMX_SUCCEED) {
				r->has_error = true;
				r->error = (uint32_t)err;
				r->detail = vmx_instruction_error_str(r->error);
			}
			/* VMfailValid means the CPU was already in VMX operation
			 * (someone else's): leave it, so CR4 can be restored and
			 * INIT is not blocked. The first detail stays. */
			vmxoff_safe(&flags);
			break;
		}
		case VMX_SUCCEED:
			/* In VMX root operation. Leave it again with VMXOFF. */
			v = vmxoff_safe(&flags);
			if (v >= 0) {
				fail(r, VMX_FAULT, v, "VMXON succeeded but VMXOFF raised an exception");
				return;         /* still in VMX operation: CR4.VMXE must stay */
			}
			if (vmx_outcome_from_rflags(flags) != VMX_SUCCEED) {
				fail(r, VMX_FAULT, -1, "VMXON succeeded but VMXOFF failed");
				return;
			}
			r->token = VMX_ON;
			break;
		}
	}
	/* Restore CR4 and CR0. Under the fix-up: were the CPU left in VMX
	 * operation by a broken VMXOFF, clearing a fixed bit would raise #GP.
	 * Then it is not a usable "on", and the first detail (if any) stays. */
	if (write_cr4_safe(cr4) >= 0 || write_cr0_safe(cr0) >= 0) {
		if (r->token == VMX_ON)
			r->token = VMX_FAULT;
		if (!r->detail)
			r->detail = "CR0/CR4 could not be restored after VMXON: still in VMX operation?";
	}
}

static void vmx_probe_cpu(struct percpu *c)
{
	struct vmx_result *r = &c->vmx;
	int v;

	memset(r, 0, sizeof(*r));
	r->vector = -1;
	r->token = VMX_FAULT;

	/* 1. Vol. 3C, "Discovering Support for VMX": CPUID.1:ECX.VMX[bit 5]. */
	if (!(cpuid(1).c & (1u << 5))) {
		r->token = VMX_NO_VMX;
		return;
	}

	/* The capability MSRs (readable whatever feature control says). */
	if ((v = read_caps(r)) >= 0) {
		fail(r, VMX_FAULT, v, "RDMSR of a VMX capability MSR faulted");
		return;
	}

	/* 2. IA32_FEATURE_CONTROL, exactly as Linux's init_ia32_feat_ctl(): an
	 * MSR that cannot be read (#GP on some hypervisors) means no VMX there
	 * ("clear_cpu_cap(c, X86_FEATURE_VMX)"); a locked one is obeyed; an
	 * unlocked one is written once (lib/vmx.c: feat_ctl_decide()). */
	uint64_t fc;
	if ((v = rdmsr_safe(MSR_IA32_FEAT_CTL, &fc)) >= 0) {
		fail(r, VMX_FAULT, v,
		     "IA32_FEATURE_CONTROL is unreadable: Linux treats VMX as unusable then (init_ia32_feat_ctl())");
		return;
	}
	r->has_feat_ctl = true;
	r->feat_ctl = fc;
	struct feat_ctl_decision d = feat_ctl_decide(fc);
	if (d.action == FEAT_CTL_LOCKED_OFF) {
		fail(r, VMX_LOCKED_OFF, -1, "locked with VMX outside SMX disabled");
		return;
	}
	if (d.action == FEAT_CTL_WRITE) {
		if ((v = wrmsr_safe(MSR_IA32_FEAT_CTL, d.value)) >= 0) {
			fail(r, VMX_FAULT, v, "WRMSR IA32_FEATURE_CONTROL faulted");
			return;
		}
		r->feat_ctl_written = true;
		rdmsr_safe(MSR_IA32_FEAT_CTL, &r->feat_ctl);
	}

	/* 3. IA32_VMX_BASIC: revision, region size, 32-bit limit, memory type. */
	struct vmx_basic b = vmx_basic_decode(r->caps.value[0]);
	r->has_revision = true;
	r->revision = b.revision;

	/* 5. A VMXON page from the pool: zeroed, revision identifier in its first
	 * 4 bytes with bit 31 clear (Vol. 3C, "VMXON Region"). */
	uint8_t *page = bump_alloc(&pool, 4096, 4096);
	if (!page) {
		fail(r, VMX_ALLOC_FAILED, -1, "the VMXON page pool is exhausted");
		return;
	}
	r->has_vmxon = true;
	r->vmxon_pa = (uint64_t)(uintptr_t)page;        /* identity-mapped */
	const char *problem = vmxon_region_problem(&b, r->vmxon_pa, phys_addr_bits());
	if (problem) {
		fail(r, VMX_ALLOC_FAILED, -1, problem);
		return;
	}
	memset(page, 0, 4096);
	uint32_t rev = b.revision & 0x7fffffff;
	memcpy(page, &rev, 4);

	/* 4 and 6. Fixed bits, VMXON, VMXOFF. */
	vmxon_vmxoff(r, r->vmxon_pa, c->index);
}

void vmx_run_cpu(struct percpu *c)
{
	vmx_probe_cpu(c);
	if (options.selftest == SELFTEST_VMXON)
		vmx_selftest_cpu(c);
	__atomic_store_n(&c->vmx.done, true, __ATOMIC_RELEASE);
}

static bool cpu_online(unsigned i)
{
	return cpu_is_online(&cpus[i]);
}

static bool cpu_faulted(unsigned i)
{
	return cpu_has_faulted(&cpus[i]);
}

static void print_result(unsigned i)
{
	const struct vmx_result *r = &cpus[i].vmx;
	char fields[160] = "", more[96] = "", detail[160] = "";
	size_t n = 0;

	if (r->has_feat_ctl)
		n += fmt_snprintf(fields + n, sizeof(fields) - n, " feat_ctl=0x%lx", r->feat_ctl);
	if (r->has_revision)
		n += fmt_snprintf(fields + n, sizeof(fields) - n, " revision=0x%x", r->revision);
	if (r->has_vmxon)
		fmt_snprintf(fields + n, sizeof(fields) - n, " vmxon=0x%lx", r->vmxon_pa);
	n = 0;
	if (r->has_error)
		n += fmt_snprintf(more + n, sizeof(more) - n, " error=%u", r->error);
	if (r->vector >= 0)
		fmt_snprintf(more + n, sizeof(more) - n, " vector=%d", r->vector);
	if (r->detail) {
		char q[128];
		fmt_quote(q, sizeof(q), r->detail);
		fmt_snprintf(detail, sizeof(detail), " detail=\"%s\"", q);
	}
	kprintf("vmx: cpu=%u apic=%u result=%s%s%s%s\n", i, cpus[i].apic_id,
		vmx_token_str(r->token), fields, more, detail);
	/* Report CR0/CR4 when the fixed bits changed more than CR4.VMXE. */
	if (r->has_vmxon && (r->cr0_after != r->cr0_before ||
			     ((r->cr4_after ^ r->cr4_before) & ~X86_CR4_VMXE)))
		kprintf("vmx: cpu=%u cr0=0x%lx->0x%lx cr4=0x%lx->0x%lx\n", i, r->cr0_before,
			r->cr0_after, r->cr4_before, r->cr4_after);
	if (r->feat_ctl_written)
		kprintf("vmx: cpu=%u feature control was unlocked: wrote and locked it (now 0x%lx)\n",
			i, r->feat_ctl);
}

/* 7. Cross-CPU consistency of the capability MSRs against the BSP's. */
static unsigned compare_caps(unsigned i)
{
	const struct vmx_result *a = &cpus[0].vmx, *r = &cpus[i].vmx;
	unsigned diffs = 0;

	for (unsigned k = 0; k < VMXCAP_MSRS; k++) {
		bool ra = a->caps.present[k], rr = r->caps.present[k];
		if (ra == rr && (!ra || a->caps.value[k] == r->caps.value[k]))
			continue;
		diffs++;
		kprintf("vmx: cpu=%u apic=%u mismatch msr=0x%x value=%s0x%lx cpu0=%s0x%lx\n", i,
			cpus[i].apic_id, VMXCAP_FIRST_MSR + k, rr ? "" : "unread:",
			r->caps.value[k], ra ? "" : "unread:", a->caps.value[k]);
	}
	return diffs;
}

static void emit_cap(void *ctx, const char *line)
{
	(void)ctx;
	kprintf("vmxcap: %s\n", line);
}

/* The capability report: the BSP's (vmxcap=bsp) or every CPU's (vmxcap=all). */
static void print_caps(void)
{
	unsigned n = options.vmxcap == VMXCAP_ALL ? smp_cpu_count() : 1;

	if (options.vmxcap == VMXCAP_OFF)
		return;
	for (unsigned i = 0; i < n; i++) {
		const struct vmx_result *r = &cpus[i].vmx;
		if (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE) || !r->caps.present[0])
			continue;       /* no VMX (or no result): nothing to decode */
		kprintf("vmxcap: cpu=%u apic=%u\n", i, cpus[i].apic_id);
		vmxcap_raw(&r->caps, emit_cap, 0);
		vmxcap_decode(&r->caps, emit_cap, 0);
		vmxcap_table(&r->caps, emit_cap, 0);
	}
}

void vmx_report(void)
{
	unsigned n = smp_cpu_count(), seen[VMX_TOKENS] = { 0 }, mismatched = 0;
	uint64_t deadline = time_deadline_us(VMX_REPORT_TIMEOUT_US);

	/* Wait for every online AP to finish its probe (or fault), bounded. */
	for (;;) {
		unsigned pending = 0;
		for (unsigned i = 1; i < n; i++)
			if (cpu_online(i) && !cpu_faulted(i) &&
			    !__atomic_load_n(&cpus[i].vmx.done, __ATOMIC_ACQUIRE))
				pending++;
		if (!pending || time_passed(deadline))
			break;
		cpu_relax();
	}

	for (unsigned i = 0; i < n; i++) {
		bool done = __atomic_load_n(&cpus[i].vmx.done, __ATOMIC_ACQUIRE);
		if (!done) {
			if (cpu_faulted(i)) {
				counts.fault = true;
				kprintf("vmx: cpu=%u apic=%u result=fault detail=\"an exception ended the probe (see its fault: line)\"\n",
					i, cpus[i].apic_id);
				counts.failed++;
			} else if (cpu_online(i)) {
				kprintf("vmx: cpu=%u apic=%u result=fault detail=\"no result within %u ms\"\n",
					i, cpus[i].apic_id, VMX_REPORT_TIMEOUT_US / 1000);
				counts.failed++;
			}
			continue;
		}
		print_result(i);
		enum vmx_token t = cpus[i].vmx.token;
		seen[t]++;
		if (t == VMX_ON)
			counts.on++;
		else if (t == VMX_NO_VMX)
			counts.no_vmx++;
		else if (t == VMX_LOCKED_OFF)
			counts.locked_off++;
		else
			counts.failed++;
		if (i > 0 && t != VMX_NO_VMX && cpus[0].vmx.done && cpus[0].vmx.token != VMX_NO_VMX)
			mismatched += compare_caps(i) != 0;
	}
	for (unsigned t = 0; t < VMX_TOKENS; t++)
		if (seen[t] && vmx_token_advice((enum vmx_token)t))
			kprintf("vmx: advice result=%s cpus=%u: %s\n", vmx_token_str((enum vmx_token)t),
				seen[t], vmx_token_advice((enum vmx_token)t));
	if (mismatched)
		kprintf("vmx: %u CPUs report VMX capabilities that differ from cpu 0's\n", mismatched);
	kprintf("vmx: pool=0x%lx-0x%lx pages=%u used=%lu\n", (uint64_t)pool.start,
		(uint64_t)pool.end - 1, MAX_CPUS, (uint64_t)(bump_used(&pool) / 4096));
	counts.vmx_probed = true;
	print_caps();
	if (options.selftest == SELFTEST_VMXON)
		counts.selftest_failed = vmx_selftest_report();
}
