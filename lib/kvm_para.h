/* SPDX-License-Identifier: MIT */
/*
 * KVM's paravirtual interface, as far as vmxprobe uses it: the CPUID leaves
 * that name KVM and its features, and the kvmclock MSR with the structure it
 * points at. Names as Linux's arch/x86/include/uapi/asm/kvm_para.h and
 * asm/pvclock-abi.h give them; the layout is the kernel's documented ABI
 * (Documentation/virt/kvm/x86/cpuid.rst and msr.rst).
 */
#ifndef VMXPROBE_LIB_KVM_PARA_H
#define VMXPROBE_LIB_KVM_PARA_H

#include <stdint.h>

/* EBX, ECX, EDX of the signature leaf read "KVMKVMKVM\0\0\0". The leaves sit at
 * 0x40000000 or, next to another hypervisor's (Hyper-V enlightenments), at a
 * multiple of 0x100 above it: Linux's hypervisor_cpuid_base() scans for them. */
#define KVM_CPUID_SIGNATURE             0x40000000u
#define KVM_CPUID_FEATURES              0x40000001u     /* EAX: KVM_FEATURE_* bits */
#define KVM_CPUID_BASE_END              0x40010000u
#define KVM_CPUID_BASE_STEP             0x100u

#define KVM_FEATURE_CLOCKSOURCE         0       /* MSR_KVM_SYSTEM_TIME */
#define KVM_FEATURE_CLOCKSOURCE2        3       /* MSR_KVM_SYSTEM_TIME_NEW */

/* Written with the guest-physical address of a struct pvclock_vcpu_time_info
 * (4-byte aligned) with bit 0 set; 0 stops the updates. */
#define MSR_KVM_SYSTEM_TIME             0x12u
#define MSR_KVM_SYSTEM_TIME_NEW         0x4b564d01u

/* 32 bytes; version is odd while the hypervisor rewrites the rest. */
struct pvclock_vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
} __attribute__((packed));

_Static_assert(sizeof(struct pvclock_vcpu_time_info) == 32, "pvclock_vcpu_time_info is 32 bytes");

/* Is EBX:ECX:EDX of a hypervisor leaf KVM's signature? */
static inline int kvm_signature_is(uint32_t ebx, uint32_t ecx, uint32_t edx)
{
	return ebx == 0x4b4d564bu && ecx == 0x564b4d56u && edx == 0x0000004du;
}

#endif
