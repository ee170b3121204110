/* SPDX-License-Identifier: MIT */
/*
 * What the SDM says the CPU must do in the topic rules of selftest=vmx (event
 * injection, interrupt and NMI windows, the monitor trap flag, MSR lists, CR0
 * masks and shadows, I/O bitmaps, EPT permissions, the preemption timer),
 * pure: kernel/vmx_conformance.c asks these for each rule's expectation and
 * lib/vmx_rules.c judges. Intel SDM Vol. 3C, by section title at each function.
 */
#ifndef VMXPROBE_LIB_VMX_TOPICS_H
#define VMXPROBE_LIB_VMX_TOPICS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * "VMX-Preemption Timer": the timer counts down by 1 each time bit X of the
 * TSC changes (X = IA32_VMX_MISC[4:0]), and a VM exit occurs when it reaches
 * zero. The first tick comes after between 1 and 2^X cycles, so `value` ticks
 * take more than (value - 1) << X cycles: *min. The cycles a rule measures
 * (TSC just before VMLAUNCH to just after the exit) also hold the entry and the
 * exit: *max allows value << X, plus an eighth of it, plus
 * PREEMPTION_SLACK_CYCLES for the entry and the exit.
 */
#define PREEMPTION_SLACK_CYCLES         (1ull << 16)
void preemption_timer_bounds(uint32_t value, unsigned rate, uint64_t *min, uint64_t *max);

/*
 * Linux's KVM (arch/x86/kvm/vmx/vmx.c, vmx_preemption_cpu_tfms[] and
 * cpu_has_broken_vmx_preemption_timer()) does not use the timer on these CPU
 * signatures (CPUID.1:EAX with bits 15:14 and 31:28 cleared): their errata
 * (Xeon 7500 BA86, Core i7/i5 AAJ124, AAK139, AAM126, AAN92, AAO95, AAP86,
 * AAT59, AAU65, AAX65, Xeon E3-1220 V2) make it run at another rate than
 * IA32_VMX_MISC[4:0] says. The timing rule skips there.
 */
bool preemption_timer_broken(uint32_t cpuid1_eax);

/*
 * "I/O-Bitmap Addresses" and "Instructions That Cause VM Exits Conditionally"
 * (IN, INS/INSB/INSW/INSD, OUT, OUTS/...): with "use I/O bitmaps" 1, an access
 * of `size` bytes at `port` exits if the bit of any port it touches is 1 in
 * bitmap A (0000H-7FFFH) or B (8000H-FFFFH), or if it wraps around the 16-bit
 * port space (touches FFFFH and 0000H).
 */
bool io_access_exits(const uint8_t *bitmap_a, const uint8_t *bitmap_b, uint16_t port, unsigned size);
/* "Exit Qualification for I/O Instructions": size - 1 in bits 2:0, bit 3 the
 * direction (1 = IN), bit 4 string, bit 5 REP, bit 6 operand encoding (1 =
 * immediate), the port in bits 31:16. */
uint64_t io_exit_qualification(uint16_t port, unsigned size, bool in, bool string, bool rep,
			       bool immediate);

/*
 * "VM-Entry Loading MSRs": VM entry fails (exit reason 34, bit 31 set, the
 * 1-based index of the failing entry in the qualification) if an entry's
 * bits 31:0 are C0000100H or C0000101H (IA32_FS_BASE, IA32_GS_BASE), its
 * bits 31:8 are 000008H (an x2APIC MSR), it names an MSR written only in SMM
 * (IA32_SMM_MONITOR_CTL 9BH, IA32_SMBASE 9EH) outside SMM, or its bits 63:32
 * are not 0.
 * Returns whether one entry (its first quadword) may be loaded outside SMM.
 */
bool msr_load_entry_allowed(uint64_t index_and_reserved);

/* "Guest/Host Masks and Read Shadows for CR0 and CR4": a MOV from CR0 returns
 * the shadow's bits where the mask is 1 and the register's elsewhere; a MOV to
 * CR0 exits if it would set a masked bit to a value other than the shadow's. */
uint64_t cr_guest_read(uint64_t reg, uint64_t mask, uint64_t shadow);
bool cr_write_exits(uint64_t value, uint64_t mask, uint64_t shadow);
/* "Exit Qualification for Control-Register Accesses": the CR number in 3:0,
 * the access type in 5:4 (0 MOV to CR, 1 MOV from CR), the GPR in 11:8. */
uint64_t cr_exit_qualification(unsigned cr, unsigned access_type, unsigned gpr);

/* "CR3-Target Controls" and "Instructions That Cause VM Exits Conditionally"
 * (MOV to CR3): with "CR3-load exiting" 1, a MOV to CR3 exits unless its value
 * equals one of the first `count` CR3-target values (count 0: it always
 * exits). */
bool cr3_write_exits(uint64_t value, const uint64_t *targets, unsigned count);

/*
 * "MSR-Bitmap Address" and "Instructions That Cause VM Exits Conditionally"
 * (RDMSR, WRMSR): with "use MSR bitmaps" 1, RDMSR exits if ECX is in
 * 00000000H-00001FFFH and its bit in the read bitmap for low MSRs (bytes
 * 0-1023) is 1, or ECX is in C0000000H-C0001FFFH and bit ECX & 1FFFH of the
 * read bitmap for high MSRs (bytes 1024-2047) is 1, or ECX is in neither
 * range; WRMSR likewise with the write bitmaps (bytes 2048-3071, 3072-4095).
 */
bool msr_access_exits(const uint8_t *bitmap, uint32_t msr, bool write);

/* "Accessed and Dirty Flags for EPT": with bit 6 of the EPTP set, an access
 * through an EPT entry sets its accessed flag (bit 8); a write also sets the
 * dirty flag (bit 9) of the leaf that maps the address. What bits 9:8 of a
 * leaf hold after a read, or a write, through a leaf whose flags were 0. */
uint64_t ept_leaf_ad_after(bool write);

/* "Virtualizing MOV to CR8" and "TPR Virtualization": with "use TPR shadow",
 * a MOV to CR8 writes bits 3:0 of its source to bits 7:4 of VTPR (offset 80H
 * of the virtual-APIC page) and clears the rest of VTPR; then, without
 * virtual-interrupt delivery, a VM exit (reason 43, TPR below threshold)
 * follows if VTPR bits 7:4 are below the TPR threshold's bits 3:0. */
uint32_t vtpr_after_mov_cr8(uint64_t source);
bool tpr_below_threshold(uint32_t vtpr, uint32_t threshold);

/* "Acknowledge interrupt on exit" ("VM-Exit Controls", "Information for VM
 * Exits Due to Vectored Events"): an external-interrupt exit with the control
 * 1 acknowledges the interrupt and saves its vector in bits 7:0 of the VM-exit
 * interruption information, type 0 (external interrupt) in bits 10:8, bit 31
 * valid. */
uint32_t ack_exit_intr_info(uint8_t vector);

/* "Exit Qualification for EPT Violations": bits 0-2 the access (read, write,
 * fetch), bits 3-5 the logical AND of bits 0-2 (R, W, X) of the EPT entries
 * that translate the address, bit 7 the guest linear-address field valid, bit
 * 8 the access was to the translation of a linear address (not to a guest
 * paging-structure entry). */
uint64_t ept_violation_qualification(unsigned access, unsigned rwx, bool gla_valid, bool translation);
#define EPT_QUAL_ACCESS_MASK            0x7ull
#define EPT_QUAL_RWX_MASK               0x38ull
#define EPT_QUAL_GLA_VALID              (1ull << 7)
#define EPT_QUAL_TRANSLATION            (1ull << 8)
#define EPT_QUAL_NMI_UNBLOCKING         (1ull << 12)
/* The bits every EPT-violation rule checks (those above; bit 12 is 0: no IRET). */
#define EPT_QUAL_CHECKED                (EPT_QUAL_ACCESS_MASK | EPT_QUAL_RWX_MASK | EPT_QUAL_GLA_VALID | \
					 EPT_QUAL_TRANSLATION | EPT_QUAL_NMI_UNBLOCKING)

/*
 * "Event Injection" ("VM-Entry Controls for Event Injection", "Details of
 * Vectored-Event Injection"): an event injected with interruption type `type`
 * is delivered through the guest's IDT as if it had occurred right at entry:
 * the RIP pushed is the guest's RIP, plus the VM-entry instruction length for
 * a software interrupt, privileged or software exception (types 4, 5, 6), and
 * an error code is pushed when bit 11 is set. The topic rules observe one
 * value: the pushed RIP's offset from the guest's RIP in bits 63:32 and the
 * pushed error code (0 without one) in bits 31:0.
 */
uint64_t injected_frame_value(unsigned type, uint32_t instruction_len, bool has_error,
			      uint32_t error_code);
#define INTR_TYPE_EXT_INTR              0
#define INTR_TYPE_NMI                   2
#define INTR_TYPE_HARD_EXCEPTION        3
#define INTR_TYPE_SOFT_INTR             4

#endif
