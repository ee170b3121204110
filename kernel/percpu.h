/*
 * Per-CPU state: one struct per CPU, reached through the GS base
 * (IA32_GS_BASE, SDM Vol. 3A "Segment Loading Instructions in IA-32e Mode"),
 * which each CPU sets before it does anything else.
 */
#ifndef VMXPROBE_KERNEL_PERCPU_H
#define VMXPROBE_KERNEL_PERCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/segment.h"
#include "kernel/vmx.h"

#ifndef MAX_CPUS
#define MAX_CPUS 512
#endif

/* SDM Vol. 3A, "Task-State Segment (TSS)" in 64-bit mode. */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

/* An AP checks in (WAITING -> ONLINE) only while the BSP still waits for it; at
 * its deadline the BSP closes the door (WAITING -> LATE) with the same atomic
 * compare-and-swap, so each AP is counted either online or not, never both. */
enum { CHECKIN_WAITING, CHECKIN_ONLINE, CHECKIN_LATE, CHECKIN_LATE_ARRIVED };

struct percpu {
	struct percpu *self;            /* offset 0: this_cpu() reads %gs:0 */
	uint32_t index;
	uint32_t apic_id;               /* the local APIC's ID (what IPIs and the MADT use) */
	uint32_t cpuid_apic_id;         /* the ID CPUID reports: a cross-check */
	uint32_t checkin;               /* CHECKIN_*: the AP's check-in against the BSP's deadline */
	bool online;                    /* checked in: running our 64-bit code (atomic) */
	bool faulted;                   /* an exception the fix-ups did not expect (atomic) */
	volatile int trap_vector;       /* set by a fix-up; -1 when none */
	uint64_t trap_error;
	uint64_t up_tsc;                /* TSC at the AP's first instruction in C */
	bool in_fault;                  /* reporting an exception: a second one exits at once */
	bool left_vmx;                  /* was still in VMX operation at its end: VMXOFF then */
	uint32_t nmi_count;             /* NMIs this CPU received (atomic; written by it alone) */
	struct vmx_result vmx;
	uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
	struct tss64 tss __attribute__((aligned(16)));
};

extern struct percpu cpus[MAX_CPUS];
extern uint8_t cpu_stacks[MAX_CPUS][CPU_STACK_SIZE];

static inline struct percpu *this_cpu(void)
{
	struct percpu *c;

	asm volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}

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
