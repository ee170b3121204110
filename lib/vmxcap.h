/* SPDX-License-Identifier: MIT */
/*
 * VMX capability report, pure: decodes the VMX capability MSRs (IA32_VMX_BASIC
 * 480H through IA32_VMX_PROCBASED_CTLS3 492H) the way QEMU's scripts/kvm/vmxcap
 * does, with the SDM's names. Intel SDM Vol. 3D, appendix A "VMX Capability
 * Reporting Facility"; control names from Vol. 3C, chapter "Virtual Machine
 * Control Structures" (tables of pin-based, primary, secondary and tertiary
 * processor-based VM-execution controls, VM-exit and VM-entry controls).
 *
 * Machine-readable lines ("<group>.<name>=<value>"): a control is
 *   no            forbidden: must be 0
 *   yes           allowed: may be 0 or 1 (default-0 class)
 *   yes-default1  allowed, but only with the TRUE MSRs (default-1 class: the
 *                 non-TRUE MSR reports it as fixed to 1)
 *   default1      fixed to 1
 */
#ifndef VMXPROBE_LIB_VMXCAP_H
#define VMXPROBE_LIB_VMXCAP_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/msr-index.h"

#define VMXCAP_FIRST_MSR        MSR_IA32_VMX_BASIC
#define VMXCAP_MSRS             (MSR_IA32_VMX_PROCBASED_CTLS3 - MSR_IA32_VMX_BASIC + 1)
/* The index of an MSR in struct vmxcap_msrs. */
#define VMXCAP_INDEX(msr)       ((msr) - VMXCAP_FIRST_MSR)

struct vmxcap_msrs {
	bool present[VMXCAP_MSRS];
	uint64_t value[VMXCAP_MSRS];
};

/* An MSR's value, and whether it was read (0 when not). */
bool vmxcap_has(const struct vmxcap_msrs *m, unsigned msr);
uint64_t vmxcap_get(const struct vmxcap_msrs *m, unsigned msr);

/* Cross-CPU consistency: call diff for each MSR that differs between a and b
 * (read on one and not the other, or different values); returns how many. */
typedef void (*vmxcap_diff_fn)(void *ctx, unsigned msr, bool a_present, uint64_t a,
			       bool b_present, uint64_t b);
unsigned vmxcap_compare(const struct vmxcap_msrs *a, const struct vmxcap_msrs *b,
			vmxcap_diff_fn diff, void *ctx);

/* Called once per output line (without a "vmxcap: " prefix). */
typedef void (*vmxcap_emit_fn)(void *ctx, const char *line);

/* "msr.0x480=0x..." for every MSR present: the raw values. */
void vmxcap_raw(const struct vmxcap_msrs *m, vmxcap_emit_fn emit, void *ctx);
/* "<group>.<name>=<value>" for every field and control. */
void vmxcap_decode(const struct vmxcap_msrs *m, vmxcap_emit_fn emit, void *ctx);
/* The same, as a table for people: "| <title>" then "|   <name> ... <value>". */
void vmxcap_table(const struct vmxcap_msrs *m, vmxcap_emit_fn emit, void *ctx);

/* Which MSRs exist according to those read so far (A.2-A.11): call with the
 * MSRs read in index order; true if MSR 480H+index may be read. */
bool vmxcap_msr_exists(const struct vmxcap_msrs *m, unsigned index);

/* "Load IA32_PAT" -> "load-ia32-pat": lowercase, other characters as '-'. */
void vmxcap_slug(char *out, unsigned size, const char *name);

#endif
