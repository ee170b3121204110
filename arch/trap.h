/* SPDX-License-Identifier: MIT */
/* Exception dispatch, the fix-up ("try") mechanism and the kernel's handler. */
#ifndef VMXPROBE_ARCH_TRAP_H
#define VMXPROBE_ARCH_TRAP_H

#include <stdint.h>

struct arch_cpu;

/* Frame built by arch/isr.S (lowest address first). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;      /* pushed by the CPU */
};

void trap_dispatch(struct trap_frame *f);

/*
 * The handler for every exception that is not a fix-up, NMIs included; c is
 * the CPU's block, or NULL before it has one. It returns to resume the
 * interrupted code (an NMI) or never returns.
 */
typedef void (*trap_handler_fn)(struct trap_frame *f, struct arch_cpu *c);
void trap_set_handler(trap_handler_fn fn);

/* "#GP" for 13 and so on; "#INT" for vectors from 32 up. */
const char *trap_name(unsigned vector);

#endif
