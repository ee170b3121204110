/* Exception dispatch, fault reports and the fix-up ("try") mechanism. */
#ifndef VMXPROBE_ARCH_TRAP_H
#define VMXPROBE_ARCH_TRAP_H

#include <stdbool.h>
#include <stdint.h>

/* Frame built by arch/isr.S (lowest address first). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;      /* pushed by the CPU */
};

void trap_dispatch(struct trap_frame *f);

/* Called on every NMI once the CPU has its per-CPU block; returns true when the
 * NMI was one the kernel sent itself (then it is not counted as an NMI). */
struct percpu;
extern bool (*trap_nmi_hook)(struct percpu *c);

/* "#GP" for 13 and so on; "#INT" for vectors from 32 up. */
const char *trap_name(unsigned vector);

#endif
