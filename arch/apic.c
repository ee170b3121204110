/* SPDX-License-Identifier: MIT */
/*
 * Local APIC access. SDM Vol. 3A, chapter "Advanced Programmable Interrupt
 * Controller (APIC)": "Local APIC Status and Location" (IA32_APIC_BASE),
 * "Issuing Interprocessor Interrupts" (ICR), "Error Handling" (ESR), and
 * "Extended XAPIC (x2APIC)".
 */
#include "arch/apic.h"

#include "arch/paging.h"
#include "arch/tsc.h"
#include "arch/x86.h"
#include "lib/apic.h"
#include "lib/msr-index.h"
#include "lib/processor-flags.h"

static enum apic_mode mode;
static volatile uint8_t *mmio;
static uint64_t phys_base = APIC_DEFAULT_PHYS_BASE;

/* ICR delivery-status wait: an IPI is accepted in microseconds; 100 ms is lavish. */
#define ICR_IDLE_TIMEOUT_US     100000

bool cpu_has_x2apic(void)
{
	return (cpuid(1).c >> 21) & 1;  /* CPUID.01H:ECX.x2APIC[bit 21] */
}

uint32_t cpu_apic_id_cpuid(void)
{
	/* SDM Vol. 3A, "Identifying Logical Processors in an MP System": CPUID
	 * leaf 0BH EDX is the x2APIC ID; leaf 01H EBX[31:24] the 8-bit initial ID.
	 * Only a cross-check: the local APIC's own ID (lapic_id()) is what IPIs
	 * and the MADT use, and hypervisors have shipped leaf 0BH values that
	 * disagree with it (Linux's parallel bring-up reads the APIC for that reason). */
	if (cpuid(0).a >= 0xb) {
		struct cpuid_regs r = cpuid_count(0xb, 0);
		if (r.b != 0)
			return r.d;
	}
	return cpuid(1).b >> 24;
}

static uint32_t apic_read(uint32_t reg)
{
	if (mode == APIC_MODE_X2APIC)
		return (uint32_t)rdmsr(APIC_BASE_MSR + (reg >> 4));
	return *(volatile uint32_t *)(mmio + reg);
}

static void apic_write(uint32_t reg, uint32_t v)
{
	if (mode == APIC_MODE_X2APIC)
		wrmsr(APIC_BASE_MSR + (reg >> 4), v);
	else
		*(volatile uint32_t *)(mmio + reg) = v;
}

static void apic_enable_spiv(void)
{
	/* "Spurious-Interrupt Vector Register": bit 8 software-enables the APIC. */
	apic_write(APIC_SPIV, APIC_SPIV_APIC_ENABLED | APIC_SPURIOUS_VECTOR);
}

bool lapic_init_bsp(bool want_x2apic)
{
	uint64_t base = rdmsr(MSR_IA32_APICBASE);

	phys_base = apic_base_addr(base, phys_addr_bits());
	if (!(base & MSR_IA32_APICBASE_ENABLE))
		return false;   /* globally disabled by firmware */
	/* "x2APIC State Transitions": xAPIC -> x2APIC by setting EXTD with EN set. */
	if (!(base & MSR_IA32_APICBASE_EXTD) && want_x2apic && cpu_has_x2apic()) {
		base |= MSR_IA32_APICBASE_EXTD;
		wrmsr(MSR_IA32_APICBASE, base);
	}
	if (base & MSR_IA32_APICBASE_EXTD) {
		mode = APIC_MODE_X2APIC;
	} else {
		/* SDM Vol. 3A, "Memory Types and Their Properties": the APIC page
		 * must be strong uncacheable (also when relocated above 4 GiB). */
		if (!paging_map_uncached(phys_base))
			return false;
		mode = APIC_MODE_XAPIC;
		mmio = (volatile uint8_t *)(uintptr_t)phys_base;
	}
	apic_enable_spiv();
	return true;
}

void lapic_init_ap(void)
{
	if (mode == APIC_MODE_X2APIC) {
		uint64_t base = rdmsr(MSR_IA32_APICBASE);
		if (!(base & MSR_IA32_APICBASE_EXTD))
			wrmsr(MSR_IA32_APICBASE, base | MSR_IA32_APICBASE_EXTD);
	}
	apic_enable_spiv();
}

uint32_t lapic_id(void)
{
	/* "Local APIC ID": in xAPIC mode bits 31:24 of the ID register (8 bits);
	 * in x2APIC mode the whole 32-bit x2APIC ID register (MSR 802H). */
	if (mode == APIC_MODE_X2APIC)
		return apic_read(APIC_ID);
	return apic_read(APIC_ID) >> 24;
}

void lapic_set_xapic_id(uint32_t id)
{
	/* "Local APIC ID": writable in xAPIC mode on many implementations (and in
	 * QEMU and Bochs); used only by inject=apic-id. */
	if (mode == APIC_MODE_XAPIC)
		apic_write(APIC_ID, id << 24);
}

enum apic_mode lapic_mode(void)
{
	return mode;
}

uint64_t lapic_phys_base(void)
{
	return phys_base;
}

uint32_t lapic_read_esr(void)
{
	/* "Error Handling": write the ESR (any value) to latch errors, then read it.
	 * In x2APIC mode, a write of 0 is the only one allowed. */
	apic_write(APIC_ESR, 0);
	return apic_read(APIC_ESR);
}

bool lapic_irr_pending(uint8_t vector)
{
	if (mode != APIC_MODE_X2APIC && !mmio)
		return false;
	return apic_read(APIC_IRR + (vector / 32) * 0x10) & (1u << (vector % 32));
}

bool lapic_self_ipi_pending(uint8_t vector, uint64_t timeout_us)
{
	lapic_send_ipi(0, APIC_DEST_SELF | APIC_INT_ASSERT | vector);
	uint64_t deadline = time_deadline_us(timeout_us);
	while (!lapic_irr_pending(vector) && !time_passed(deadline))
		cpu_relax();
	return lapic_irr_pending(vector);
}

void lapic_eoi(void)
{
	if (mode == APIC_MODE_X2APIC || mmio)
		apic_write(APIC_EOI, 0);
}

bool lapic_send_ipi(uint32_t dest, uint32_t icr_low)
{
	if (mode == APIC_MODE_X2APIC) {
		/* "Interrupt Command Register (ICR)" in x2APIC mode: one 64-bit MSR
		 * write, destination in bits 63:32; no delivery-status bit. */
		wrmsr(APIC_BASE_MSR + (APIC_ICR >> 4), ((uint64_t)dest << 32) | icr_low);
		return true;
	}
	/* xAPIC: destination in ICR bits 63:56 (ICR2); writing the low half sends. */
	apic_write(APIC_ICR2, dest << 24);
	apic_write(APIC_ICR, icr_low);
	uint64_t deadline = time_deadline_us(ICR_IDLE_TIMEOUT_US);
	while (apic_read(APIC_ICR) & APIC_ICR_BUSY) {
		if (time_passed(deadline))
			return false;
		cpu_relax();
	}
	return true;
}
