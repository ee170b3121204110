/* SPDX-License-Identifier: MIT */
/*
 * Running an SVM guest until its next #VMEXIT (arch/svm_entry.S). AMD64 APM
 * Vol. 2, section 15.5 "VMRUN Instruction" (RAX holds the VMCB's physical
 * address; the processor saves host state to VM_HSAVE_PA and loads the
 * guest's RAX, RSP, RIP and the rest of the VMCB's save area) and 15.6
 * "#VMEXIT" (host RAX, RSP and RIP come back; the other general-purpose
 * registers hold what the guest left in them). The guest's registers but RAX
 * and RSP (which the VMCB holds) travel in struct guest_regs (arch/vmx_entry.h),
 * as in kvm-unit-tests' svm.c, whose SAVE_GPR_C/LOAD_GPR_C do the same around
 * its VMRUN.
 */
#ifndef VMXPROBE_ARCH_SVM_ENTRY_H
#define VMXPROBE_ARCH_SVM_ENTRY_H

#include <stdint.h>

#include "arch/vmx_entry.h"
#include "arch/x86.h"

/* VMRUN the VMCB at vmcb_pa with the guest's registers in *regs; returns at
 * the next #VMEXIT with them updated. Call with GIF clear (CLGI). VMRUN may
 * fault (#GP for an unaligned or out-of-range VMCB address, #UD without
 * EFER.SVME): under the fix-up, the vector is returned, else -1. */
int svm_vmrun(uint64_t vmcb_pa, struct guest_regs *regs);

/* One-instruction guests for the conformance rules (kernel/svm_selftest.c),
 * each followed by HLT: HLT; UD2; INT3; CPUID; RDTSC; PAUSE; MOV CR0 to CR0;
 * MOV from CR3; CR0.CD set; RDMSR (ECX); WRMSR of 0 (ECX); OUT and IN on port
 * 80h; VMLOAD, VMSAVE (RAX); STGI; CLGI; VMMCALL; a load from and a store
 * to (RDI); a jump to RDI. */
extern const uint8_t svm_stub_hlt[], svm_stub_ud[], svm_stub_bp[], svm_stub_cpuid[],
	svm_stub_rdtsc[], svm_stub_pause[], svm_stub_cr0_write[], svm_stub_cr3_read[],
	svm_stub_cr0_cd[], svm_stub_rdmsr[], svm_stub_wrmsr[], svm_stub_out[], svm_stub_in[],
	svm_stub_vmload[], svm_stub_vmsave[], svm_stub_stgi[], svm_stub_clgi[], svm_stub_vmmcall[],
	svm_stub_load[], svm_stub_store[], svm_stub_jump[];
/* More: INVLPG (RDI); INVD; WBINVD; RDPMC 0; PUSHF; PUSHF, POPF; INT 30h; SIDT
 * and SGDT below RSP; MOV from DR7; MOV from and to DR7; MOV from and to CR4;
 * RDTSCP; a divide by zero; OUTSB and a 16-bit IN on port 80h; a 16-bit OUT on
 * port 7Fh; RCX PAUSEs. Then the rules' 256 IDT handlers, SR_HANDLER_SIZE apart. */
extern const uint8_t svm_stub_invlpg[], svm_stub_invd[], svm_stub_wbinvd[], svm_stub_rdpmc[],
	svm_stub_pushf[], svm_stub_popf[], svm_stub_intn[], svm_stub_sidt[], svm_stub_sgdt[],
	svm_stub_dr7_read[], svm_stub_dr7_write[], svm_stub_cr4_write[], svm_stub_rdtscp[],
	svm_stub_divide[], svm_stub_outsb[], svm_stub_in_word[], svm_stub_out_word_7f[],
	svm_stub_pause_loop[], svm_rule_handlers[];

/* VMSAVE and VMLOAD of the VMCB at pa (APM Vol. 2, 15.5.2 "VMSAVE and VMLOAD
 * Instructions"), under the fix-up: the vector they raised, or -1. */
static inline int svm_vmsave_safe(uint64_t pa)
{
	trap_try_begin();
	asm volatile("1: vmsave %%rax\n2:\n\t" _ASM_EXTABLE(1b, 2b, EX_VEC(X86_TRAP_GP) | EX_VEC(X86_TRAP_UD))
		     : : "a"(pa) : "memory");
	return trap_try_end(0);
}

static inline int svm_vmload_safe(uint64_t pa)
{
	trap_try_begin();
	asm volatile("1: vmload %%rax\n2:\n\t" _ASM_EXTABLE(1b, 2b, EX_VEC(X86_TRAP_GP) | EX_VEC(X86_TRAP_UD))
		     : : "a"(pa) : "memory");
	return trap_try_end(0);
}

#endif
