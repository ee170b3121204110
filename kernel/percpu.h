/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU state: one struct per CPU, reached through the GS base, which each
 * CPU sets before it does anything else. It starts with the x86 mechanisms'
 * part (arch/cpu.h: the fix-up slot, GDT, TSS, IST stacks); the rest is the
 * boot story's: who the CPU is and how far it got. Subsystems keep their own
 * per-CPU results (kernel/vmx.c), indexed by the CPU's index.
 */
#ifndef VMXPROBE_KERNEL_PERCPU_H
#define VMXPROBE_KERNEL_PERCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "kernel/config.h"
#include "kernel/stack.h"

/* An AP checks in (WAITING -> ONLINE) only while the BSP still waits for it; at
 * its deadline the BSP closes the door (WAITING -> LATE) with the same atomic
 * compare-and-swap, so each AP is counted either online or not, never both. */
enum { CHECKIN_WAITING, CHECKIN_ONLINE, CHECKIN_LATE, CHECKIN_LATE_ARRIVED };

struct percpu {
	struct arch_cpu arch;           /* first: the GS base points at both */
	uint32_t index;
	uint32_t apic_id;               /* the local APIC's ID (what IPIs and the MADT use) */
	uint32_t cpuid_apic_id;         /* the ID CPUID reports: a cross-check */
	uint32_t checkin;               /* CHECKIN_*: the AP's check-in against the BSP's deadline */
	bool online;                    /* checked in: running our 64-bit code (atomic) */
	bool faulted;                   /* an exception the fix-ups did not expect (atomic) */
	bool in_fault;                  /* reporting an exception: a second one exits at once */
	bool left_vmx;                  /* was still in VMX operation at its end: VMXOFF then */
	uint32_t nmi_count;             /* NMIs this CPU received (atomic; written by it alone) */
	uint64_t up_tsc;                /* TSC at the AP's first instruction in C */
};

extern struct percpu cpus[MAX_CPUS];
/* The APs' stacks: the AP with trampoline ticket t runs on ap_stacks[t]. The
 * boot CPU runs on boot_stack (boot/entry.S), beside the kernel image. */
extern uint8_t ap_stacks[MAX_CPUS - 1][CPU_STACK_SIZE];

static inline struct percpu *this_cpu(void)
{
	return (struct percpu *)this_arch_cpu();
}

/* Before any CPU's percpu_init(): tell arch/ where the per-CPU blocks are, and
 * zero the boot CPU's. */
void percpu_setup(void);

/* Zero CPU `index`'s block (the blocks are pool memory, kernel/pool.h, which no
 * loader has to zero): the boot CPU does it for each AP before starting it. */
void percpu_clear(uint32_t index);

/* Set up CPU `index`'s block and point GS base at it. */
struct percpu *percpu_init(uint32_t index);

/* The current CPU's block, or NULL if this CPU has not set its GS base yet. */
struct percpu *percpu_current(void);

static inline bool cpu_is_online(const struct percpu *c)
{
	return __atomic_load_n(&c->online, __ATOMIC_ACQUIRE);
}

static inline bool cpu_has_faulted(const struct percpu *c)
{
	return __atomic_load_n(&c->faulted, __ATOMIC_ACQUIRE);
}

#endif
