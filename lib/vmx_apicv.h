/* SPDX-License-Identifier: MIT */
/*
 * What the SDM says the CPU must do in the APIC-virtualization and
 * VMCS-shadowing rules of selftest=vmx (kernel/vmx_apicv.c), pure: the kernel
 * asks these for each rule's expectation, lib/vmx_rules.c judges, and
 * tests/unit/test_vmx_apicv.c breaks each. Intel SDM Vol. 3C, chapter "APIC
 * Virtualization and Virtual Interrupts" and chapter "VMX Non-Root Operation"
 * ("VMCS Shadowing" under "Changes to Instruction Behavior in VMX Non-Root
 * Operation"), by section title at each function.
 */
#ifndef VMXPROBE_LIB_VMX_APICV_H
#define VMXPROBE_LIB_VMX_APICV_H

#include <stdbool.h>
#include <stdint.h>

/* Local APIC register offsets on the APIC-access and virtual-APIC pages, as
 * Linux's apicdef.h names them (spelt as arch/apic.h spells those it has too). */
#define APIC_ID         0x20
#define APIC_TASKPRI    0x80
#define APIC_PROCPRI    0xa0
#define APIC_EOI        0x0b0
#define APIC_SPIV       0xf0
#define APIC_ISR        0x100   /* 8 registers, 10H apart: vectors 32n to 32n + 31 */
#define APIC_IRR        0x200   /* 8 registers, 10H apart: vectors 32n to 32n + 31 */

/*
 * "Virtualizing Reads from the APIC-Access Page", with "use TPR shadow" 1: a
 * read of `size` bytes at page offset `offset` is virtualized (it returns the
 * virtual-APIC page's bytes, no VM exit) if it is at most 32 bits, within the
 * low 4 bytes of a naturally aligned 16-byte region, and, with "APIC-register
 * virtualization" 0, at 080H-083H (VTPR); with it 1, in one of the registers
 * the SDM lists (ID, version, TPR, EOI, LDR, DFR, SVR, ISR, TMR, IRR, ESR, ICR,
 * the LVT entries, timer initial count and divide configuration: not PPR,
 * arbitration priority or current count). Otherwise an APIC-access VM exit.
 */
bool apic_read_virtualized(unsigned offset, unsigned size, bool register_virt);

/*
 * "Virtualizing Writes to the APIC-Access Page", with "use TPR shadow" 1: a
 * write (the same size and alignment rules) is virtualized at 080H-083H always;
 * at 0B0H (EOI) and 300H (ICR low) with "virtual-interrupt delivery" 1; at
 * the ID, TPR, EOI, LDR, DFR, SVR, ESR, ICR low and high, LVT, timer initial
 * count and divide configuration offsets with "APIC-register virtualization"
 * 1. Otherwise an APIC-access VM exit (before the write).
 */
bool apic_write_virtualized(unsigned offset, unsigned size, bool register_virt, bool vid);

/*
 * "APIC-Write Emulation": what follows a virtualized write at `offset`: TPR
 * virtualization (080H: bytes 081H-083H cleared first), EOI virtualization
 * (0B0H, with virtual-interrupt delivery), self-IPI virtualization or an
 * APIC-write VM exit (300H, with virtual-interrupt delivery: by the ICR's
 * value, not modelled here), nothing (310H: bits 23:0 cleared), else an
 * APIC-write VM exit (reason 56, the offset as its qualification).
 */
enum apic_write_emulation { APIC_EMUL_TPR, APIC_EMUL_EOI, APIC_EMUL_ICR_LOW, APIC_EMUL_NONE,
			    APIC_EMUL_EXIT };
enum apic_write_emulation apic_write_emulation(unsigned offset, bool vid);

/* "Exit Qualification for APIC-Access VM Exits...": bits 11:0 the page offset
 * of a linear access, bits 15:12 the access type (0 a linear read, 1 a linear
 * write, during instruction execution). */
#define APIC_ACCESS_LINEAR_READ         0
#define APIC_ACCESS_LINEAR_WRITE        1
uint64_t apic_access_qualification(unsigned offset, unsigned access_type);

/* "APIC-Write Emulation" (080H): the 32-bit value a write of `value` leaves in
 * VTPR, bytes 081H-083H cleared. */
uint32_t vtpr_after_apic_write(uint32_t value);

/* "PPR Virtualization": VPPR is VTPR if VTPR[7:4] >= SVI[7:4], else SVI & F0H. */
uint8_t vppr_virtualized(uint8_t vtpr, uint8_t svi);

/*
 * "Evaluation of Pending Virtual Interrupts" and "Virtual-Interrupt Delivery":
 * a virtual interrupt is recognized if RVI[7:4] > VPPR[7:4]; delivered (guest
 * RFLAGS.IF 1, no blocking, no interrupt-window exiting), its vector V = RVI
 * is set in VISR and cleared in VIRR, SVI := V, VPPR := V & F0H, and RVI := the
 * highest vector left in VIRR (0 if none). The guest interrupt status after
 * delivery from `status` (RVI 7:0, SVI 15:8) and VIRR (eight 32-bit words,
 * vectors 0-255), or `status` unchanged if nothing is recognized.
 */
uint16_t intr_status_after_delivery(uint16_t status, uint8_t vtpr, const uint32_t virr[8]);

/*
 * "EOI Virtualization": the vector SVI is cleared in VISR, SVI := the highest
 * vector left in VISR (0 if none), PPR virtualization; then a VM exit (reason
 * 45, "virtualized EOI", the vector as qualification) if that vector's bit is 1
 * in the EOI-exit bitmap, else pending virtual interrupts are evaluated. The
 * guest interrupt status after it (RVI unchanged).
 */
uint16_t intr_status_after_eoi(uint16_t status, const uint32_t visr[8]);
bool eoi_exits(const uint64_t eoi_exit_bitmap[4], uint8_t vector);

/*
 * "VMCS Shadowing" ("Changes to Instruction Behavior in VMX Non-Root
 * Operation", VMREAD and VMWRITE): with "VMCS shadowing" 1, a VMREAD (VMWRITE)
 * in the guest exits if bits 63:15 of its field encoding are not all 0, or if
 * bit n of the VMREAD (VMWRITE) bitmap is 1, n the encoding's bits 14:0;
 * otherwise it reads (writes) the shadow VMCS, the one the VMCS link pointer
 * references. Without the control, every VMREAD and VMWRITE exits.
 */
bool vmcs_shadow_access_exits(const uint8_t *bitmap, uint64_t field);

#endif
