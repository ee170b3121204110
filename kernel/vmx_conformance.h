/* SPDX-License-Identifier: MIT */
/* selftest=vmx: conformance rules that need a VMCS and a guest (kernel/vmx_conformance.c). */
#ifndef VMXPROBE_KERNEL_VMX_CONFORMANCE_H
#define VMXPROBE_KERNEL_VMX_CONFORMANCE_H

#include "kernel/vmx.h"
#include "lib/vmx_rules.h"

/* How the rules' results reach the self-test (kernel/vmx_selftest.c). */
struct conf_sink {
	void (*record)(void *ctx, enum st_rule_id id, struct st_observed o);
	void (*skip)(void *ctx, enum st_rule_id id, const char *why);
	void *ctx;
};

/* What the rules' guest (conf_guest) does: its RDI, with RSI the MSR, port or
 * address and RDX the value. OP_WAIT_INIT: the cross-CPU INIT rule's wait
 * (kernel/vmx_cross.c). */
enum conf_op { OP_VMCALL, OP_UD, OP_SPIN, OP_RDMSR, OP_WRMSR, OP_OUT, OP_READ, OP_WRITE,
	       OP_OUTW, OP_OUTSB, OP_READ_CR0, OP_WRITE_CR0, OP_REWRITE, OP_FETCH, OP_READ_CR4,
	       OP_WRITE_CR4, OP_WRITE_CR3, OP_WRITE_CR8, OP_WAIT_INIT };

/* The guest's code: a rule's VMCS starts it here (kernel/guest.h:
 * guest_vmcs_prepare()). It ends with VMCALL, RAX its result. */
__attribute__((noreturn)) void conf_guest(uint64_t op, uint64_t arg, uint64_t val);

/* The event-injection rules' guest IDT, vectors 00H-41H, each an interrupt
 * gate to conf_stub_handler (a VMCALL); conf_stub_hlt: HLT, then VMCALL. */
extern uint64_t guest_idt[][2];
extern const char conf_stub_hlt[], conf_stub_handler[];

/* What a VMX instruction did: an exception (vector >= 0), or its outcome from
 * the RFLAGS it left, with the VM-instruction error for VMfailValid. For the
 * rule files' VMXON, VMREAD, VMWRITE, INVEPT and INVVPID rules. */
struct st_observed vmx_conformance_observe(int vector, uint64_t rflags);

/* Enter the guest of this CPU's current VMCS (VMLAUNCH, or VMRESUME when
 * launched) with RDI = op, RSI = arg, RDX = val, and observe the result: the
 * exit's reason, qualification, interruption information, guest RIP (and
 * whether it moved), the guest's RAX as value. NMI exits are handled and the
 * guest resumed (up to a bound), as for every rule. For the rule files beside
 * kernel/vmx_conformance.c. */
struct st_observed vmx_conformance_enter(uint64_t op, uint64_t arg, uint64_t val, int launched);

/* Boot CPU, before the APs start (selftest=vmx): the mappings the EPT rules use. */
void vmx_conformance_init(void);

/* On CPU `cpu`, in VMX root operation: the VMCS-access, exception-bitmap,
 * preemption-timer, MSR-bitmap, I/O-bitmap and VPID rules, each on a fresh
 * VMCS for the guest; SKIP where the CPU does not advertise the feature. */
void vmx_conformance_cpu(unsigned cpu, const struct vmx_result *r, const struct conf_sink *s);

#endif
