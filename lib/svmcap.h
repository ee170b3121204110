/* SPDX-License-Identifier: MIT */
/*
 * The SVM capability report (svmcap: lines, vmxcap=), pure: CPUID Fn8000_000A
 * and VM_CR as raw values, decoded (revision, ASIDs, each named feature), and a
 * table for people, as lib/vmxcap.c reports the VMX capability MSRs. AMD64 APM
 * Vol. 3, appendix E "CPUID Fn8000_000A"; Vol. 2, "VM_CR Register".
 */
#ifndef VMXPROBE_LIB_SVMCAP_H
#define VMXPROBE_LIB_SVMCAP_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/svm.h"

struct svmcap {
	uint32_t eax, ebx, edx;         /* CPUID Fn8000_000A */
	bool has_vm_cr;
	uint64_t vm_cr;
};

typedef void (*svmcap_emit_fn)(void *ctx, const char *line);

/* "cpuid.0x8000000a.eax=0x...", "msr.0xc0010114=0x..." (or "=unreadable"). */
void svmcap_raw(const struct svmcap *c, svmcap_emit_fn emit, void *ctx);
/* "svm.revision=1", "svm.asids=16", "svm.<feature>=yes|no" for every named
 * feature, "vm_cr.svmdis=yes|no", "vm_cr.lock=yes|no". */
void svmcap_decode(const struct svmcap *c, svmcap_emit_fn emit, void *ctx);
/* "| ..." lines: the same for people. */
void svmcap_table(const struct svmcap *c, svmcap_emit_fn emit, void *ctx);

#endif
