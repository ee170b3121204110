/* SPDX-License-Identifier: MIT */
/*
 * kvmclock, only for the TSC rate: find KVM's CPUID leaves, switch the clock on
 * for the boot CPU, read one consistent copy of its scale factor, switch it
 * off. Linux does the same steps in arch/x86/kernel/kvmclock.c: kvmclock_init()
 * picks MSR_KVM_SYSTEM_TIME_NEW when KVM_FEATURE_CLOCKSOURCE2 is offered, else
 * MSR_KVM_SYSTEM_TIME; kvm_register_clock() writes the structure's physical
 * address with bit 0 set; kvm_get_tsc_khz() is pvclock_tsc_khz() of it
 * (lib/tsc.c); kvmclock_disable() writes 0. The ABI: the kernel's
 * Documentation/virt/kvm/x86/cpuid.rst and msr.rst.
 */
#include "arch/kvmclock.h"

#include "arch/x86.h"
#include "lib/cpufeatures.h"
#include "lib/kvm_para.h"
#include "lib/string.h"
#include "lib/tsc.h"

/* KVM fills it before the vCPU runs again after the MSR write; a version that
 * stays 0 or odd for this many reads means no clock. */
#define PVTI_READS      10000u

/* Written by KVM only between the two MSR writes below. The kernel is
 * identity-mapped, so its address is the physical one the MSR takes. */
static struct pvclock_vcpu_time_info pvti __attribute__((aligned(64)));

/*
 * KVM's signature leaf: at 0x40000000 or a multiple of 0x100 above it, where
 * CPUID.01H:ECX bit 31 says a hypervisor is there (SDM Vol. 2A, CPUID,
 * "Feature Information": reserved for hypervisors); as Linux's kvm_cpuid_base()
 * and hypervisor_cpuid_base() scan for it. 0: not under KVM.
 */
static uint32_t kvm_cpuid_base(void)
{
	if (!(cpuid(1).c & (1u << X86_FEATURE_HYPERVISOR_BIT)))
		return 0;
	for (uint32_t base = KVM_CPUID_SIGNATURE; base < KVM_CPUID_BASE_END;
	     base += KVM_CPUID_BASE_STEP) {
		struct cpuid_regs r = cpuid(base);
		if (kvm_signature_is(r.b, r.c, r.d))
			return base;
	}
	return 0;
}

/* One consistent copy of the scale factor: the version even and non-zero, and
 * the same before and after the reads (Linux's pvclock_read_begin() and
 * pvclock_read_retry(); x86 keeps loads in order, so a compiler barrier does). */
static bool read_scale(uint32_t *mul, int8_t *shift)
{
	for (unsigned i = 0; i < PVTI_READS; i++) {
		uint32_t v = __atomic_load_n(&pvti.version, __ATOMIC_ACQUIRE);
		if (v && !(v & 1)) {
			*mul = __atomic_load_n(&pvti.tsc_to_system_mul, __ATOMIC_RELAXED);
			*shift = __atomic_load_n(&pvti.tsc_shift, __ATOMIC_RELAXED);
			if (__atomic_load_n(&pvti.version, __ATOMIC_ACQUIRE) == v)
				return true;
		}
		cpu_relax();
	}
	return false;
}

uint64_t kvmclock_tsc_khz(void)
{
	uint32_t base = kvm_cpuid_base(), msr;

	if (!base)
		return 0;
	/* cpuid.rst, KVM_CPUID_FEATURES: EAX bit 3 offers the MSR at 0x4b564d01,
	 * bit 0 the older one at 0x12 (the same structure). */
	uint32_t features = cpuid(base + (KVM_CPUID_FEATURES - KVM_CPUID_SIGNATURE)).a;
	if (features & (1u << KVM_FEATURE_CLOCKSOURCE2))
		msr = MSR_KVM_SYSTEM_TIME_NEW;
	else if (features & (1u << KVM_FEATURE_CLOCKSOURCE))
		msr = MSR_KVM_SYSTEM_TIME;
	else
		return 0;

	/* msr.rst, MSR_KVM_SYSTEM_TIME_NEW: the structure's 4-byte aligned
	 * guest-physical address with bit 0 (enable) set; KVM fills it before the
	 * vCPU runs again. Writing 0 stops the updates. */
	memset(&pvti, 0, sizeof(pvti));
	if (wrmsr_safe(msr, (uint64_t)(uintptr_t)&pvti | 1) >= 0)
		return 0;
	uint32_t mul = 0;
	int8_t shift = 0;
	bool ok = read_scale(&mul, &shift);
	wrmsr_safe(msr, 0);
	return ok ? tsc_khz_from_pvclock(mul, shift) : 0;
}
