/* SPDX-License-Identifier: MIT */
/*
 * Local APIC: xAPIC through MMIO, x2APIC through MSRs. SDM Vol. 3A, chapter
 * "Advanced Programmable Interrupt Controller (APIC)". Register names as in
 * Linux's asm/apicdef.h.
 */
#ifndef VMXPROBE_ARCH_APIC_H
#define VMXPROBE_ARCH_APIC_H

#include <stdbool.h>
#include <stdint.h>

#define APIC_DEFAULT_PHYS_BASE  0xfee00000UL

#define APIC_ID         0x20
#define APIC_SPIV       0xf0
#define  APIC_SPIV_APIC_ENABLED (1u << 8)
#define APIC_EOI        0x0b0
#define APIC_IRR        0x200   /* 8 registers, 10H apart: vectors 32n to 32n + 31 */
#define APIC_ESR        0x280
#define APIC_ICR        0x300
#define  APIC_DEST_SELF         0x40000
#define  APIC_INT_LEVELTRIG     0x08000
#define  APIC_INT_ASSERT        0x04000
#define  APIC_ICR_BUSY          0x01000
#define  APIC_DM_NMI            0x00400
#define  APIC_DM_INIT           0x00500
#define  APIC_DM_STARTUP        0x00600
#define APIC_ICR2       0x310
#define APIC_SPURIOUS_VECTOR    0xff

/* x2APIC: register R is MSR 0x800 + (R >> 4) ("x2APIC Register Address Space"). */
#define APIC_BASE_MSR   0x800

enum apic_mode { APIC_MODE_XAPIC, APIC_MODE_X2APIC };

/* BSP: pick the mode (stay in x2APIC if the firmware handed over in it; switch
 * to it when want_x2apic and the CPU has it), map the xAPIC page uncacheable,
 * software-enable the APIC. Returns false if the APIC is unusable. */
bool lapic_init_bsp(bool want_x2apic);
/* AP: enter the BSP's mode and software-enable its APIC. */
void lapic_init_ap(void);

enum apic_mode lapic_mode(void);
uint64_t lapic_phys_base(void);
bool cpu_has_x2apic(void);

/* This CPU's initial APIC ID as CPUID reports it (leaf 0BH where present, else
 * leaf 1): a cross-check only. */
uint32_t cpu_apic_id_cpuid(void);
/* This CPU's local APIC ID, read from the APIC (after lapic_init_bsp/_ap). */
uint32_t lapic_id(void);
/* Write the xAPIC ID register (xAPIC mode only; a test hook). */
void lapic_set_xapic_id(uint32_t id);

/* Send an IPI (ICR low bits) to dest; waits (bounded) for delivery in xAPIC mode.
 * false if the delivery-status bit never cleared. */
bool lapic_send_ipi(uint32_t dest, uint32_t icr_low);

/* "Interrupt Acceptance for Fixed Interrupts": is `vector` requested in the
 * IRR? false when the APIC is not in use. */
bool lapic_irr_pending(uint8_t vector);
/* A fixed self-IPI of `vector` ("Issuing Interprocessor Interrupts", the self
 * shorthand), then wait at most timeout_us for it in the IRR (this CPU runs
 * with RFLAGS.IF 0: it stays there). false if it never showed. */
bool lapic_self_ipi_pending(uint8_t vector, uint64_t timeout_us);
/* "Signaling Interrupt Servicing Completion": write EOI. */
void lapic_eoi(void);

/* Clear and read the error status register (write, then read: "Error Handling"). */
uint32_t lapic_read_esr(void);

#endif
