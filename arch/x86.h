/* SPDX-License-Identifier: MIT */
/*
 * Every inline-assembly wrapper of vmxprobe lives here (the kvm-unit-tests
 * processor.h habit). Instruction semantics: SDM Vol. 2 (instruction reference).
 */
#ifndef VMXPROBE_ARCH_X86_H
#define VMXPROBE_ARCH_X86_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "lib/extable.h"
#include "lib/msr-index.h"
#include "lib/processor-flags.h"
#include "lib/svm.h"
#include "lib/vmx.h"

#define __stringify_1(x)        #x
#define __stringify(x)          __stringify_1(x)

struct cpuid_regs {
	uint32_t a, b, c, d;
};

static inline struct cpuid_regs cpuid_count(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	asm volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d)
		     : "a"(leaf), "c"(subleaf));
	return r;
}

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
	return cpuid_count(leaf, 0);
}

/* SDM Vol. 2A, CPUID 80000008H: EAX[7:0] is the physical-address width
 * (MAXPHYADDR); "If CPUID.80000008H is not supported, 36". */
static inline unsigned phys_addr_bits(void)
{
	if (cpuid(0x80000000).a >= 0x80000008)
		return cpuid(0x80000008).a & 0xff;
	return 36;
}

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

/* REP OUTSB: count bytes from buf to one port, in order (SDM Vol. 2B, "OUTS/
 * OUTSB/OUTSW/OUTSD" and "REP/REPE/REPZ/REPNE/REPNZ"; EFLAGS.DF is clear, as
 * the ABI keeps it). A hypervisor that traps the port takes them all in one
 * exit (KVM hands QEMU the whole string), where OUTB exits once per byte. */
static inline void outsb(uint16_t port, const void *buf, unsigned long count)
{
	asm volatile("rep outsb" : "+S"(buf), "+c"(count) : "d"(port) : "memory");
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
		     : "memory");
}

#define DEFINE_READ_CR(n)						\
	static inline uint64_t read_cr##n(void)				\
	{								\
		uint64_t v;						\
		asm volatile("mov %%cr" #n ", %0" : "=r"(v));		\
		return v;						\
	}
#define DEFINE_WRITE_CR(n)						\
	static inline void write_cr##n(uint64_t v)			\
	{								\
		asm volatile("mov %0, %%cr" #n : : "r"(v) : "memory");	\
	}
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)
DEFINE_WRITE_CR(0)
DEFINE_WRITE_CR(3)
DEFINE_WRITE_CR(4)

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_relax(void)
{
	asm volatile("pause" : : : "memory");
}

static inline void irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}

static inline void halt(void)
{
	asm volatile("hlt" : : : "memory");
}

/* Stop this CPU for good (an NMI still runs its handler and comes back here). */
static inline __attribute__((noreturn)) void halt_forever(void)
{
	for (;;) {
		irq_disable();
		halt();
	}
}

static inline void ud2(void)
{
	asm volatile("ud2");
}

/*
 * A pointer to physical address pa (identity-mapped). The empty asm hides the
 * constant from the compiler, which would otherwise warn about dereferencing
 * small fixed addresses such as the BIOS data area.
 */
static inline void *phys_to_virt(uint64_t pa)
{
	void *p = (void *)(uintptr_t)pa;

	asm("" : "+r"(p));
	return p;
}

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static inline void load_gdt(const struct desc_ptr *p)
{
	asm volatile("lgdt %0" : : "m"(*p));
}

static inline void load_idt(const struct desc_ptr *p)
{
	asm volatile("lidt %0" : : "m"(*p));
}

static inline void store_gdt(struct desc_ptr *p)
{
	asm volatile("sgdt %0" : "=m"(*p));
}

static inline void store_idt(struct desc_ptr *p)
{
	asm volatile("sidt %0" : "=m"(*p));
}

static inline uint16_t store_tr(void)
{
	uint16_t sel;

	asm volatile("str %0" : "=r"(sel));
	return sel;
}

/* The selector in a segment register: read_seg(cs), read_seg(ss), ... */
#define read_seg(reg)							\
	({								\
		uint16_t __sel;						\
		asm volatile("mov %%" #reg ", %0" : "=r"(__sel));	\
		__sel;							\
	})

static inline void load_tr(uint16_t sel)
{
	asm volatile("ltr %0" : : "r"(sel));
}

/*
 * Reload CS with a far return and the data segment registers after LGDT
 * (SDM Vol. 3A, "Segment Registers": a new GDT takes effect for a segment
 * register only when the register is loaded again).
 */
static inline void reload_segments(uint16_t cs, uint16_t ds)
{
	asm volatile("pushq %q0\n\t"
		     "leaq 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:\n\t"
		     "mov %w1, %%ds\n\t"
		     "mov %w1, %%es\n\t"
		     "mov %w1, %%ss\n\t"
		     : : "r"((uint64_t)cs), "r"(ds) : "rax", "memory");
}

/*
 * Exception fix-ups: an instruction at label 1 that faults resumes at label 2,
 * and the trap handler records the vector in the per-CPU trap slot (see
 * arch/trap.c: trap_try_begin()/trap_try_end()).
 */
#define _ASM_EXTABLE(from, to, vectors)					\
	".pushsection .ex_table, \"a\"\n\t"				\
	".balign 8\n\t"							\
	".quad " #from ", " #to ", " __stringify(vectors) "\n\t"		\
	".popsection\n\t"

void trap_try_begin(void);
int trap_try_end(uint64_t *error_code);

/* RDMSR that returns the exception vector (13 for #GP) instead of dying, or -1. */
static inline int rdmsr_safe(uint32_t msr, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;

	trap_try_begin();
	asm volatile("1: rdmsr\n2:\n\t" _ASM_EXTABLE(1b, 2b, EX_MASK_MSR)
		     : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	*val = ((uint64_t)hi << 32) | lo;
	return trap_try_end(0);
}

static inline int wrmsr_safe(uint32_t msr, uint64_t v)
{
	trap_try_begin();
	asm volatile("1: wrmsr\n2:\n\t" _ASM_EXTABLE(1b, 2b, EX_MASK_MSR)
		     : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
	return trap_try_end(0);
}

/* MOV to CR0/CR4 that returns the vector (#GP for a forbidden bit) instead of dying. */
static inline int write_cr0_safe(uint64_t v)
{
	trap_try_begin();
	asm volatile("1: mov %0, %%cr0\n2:\n\t" _ASM_EXTABLE(1b, 2b, EX_MASK_CR) : : "r"(v) : "memory");
	return trap_try_end(0);
}

static inline int write_cr4_safe(uint64_t v)
{
	trap_try_begin();
	asm volatile("1: mov %0, %%cr4\n2:\n\t" _ASM_EXTABLE(1b, 2b, EX_MASK_CR) : : "r"(v) : "memory");
	return trap_try_end(0);
}

/*
 * VMX instructions (SDM Vol. 3C, chapter "VMX Instruction Reference"). Each
 * returns the exception vector (-1 when none) and stores RFLAGS as it was right
 * after the instruction, whose CF and ZF carry VMfailInvalid / VMfailValid.
 */
/* VMXON, VMCLEAR, VMPTRLD: a memory operand holding a physical address. */
#define DEFINE_VMX_PA_OP(name, insn)						\
	static inline int name##_safe(uint64_t pa, uint64_t *rflags)		\
	{									\
		uint64_t f = 0;							\
										\
		trap_try_begin();						\
		asm volatile("1: " insn " %1\n\t"				\
			     "pushfq\n\t"					\
			     "popq %0\n"					\
			     "2:\n\t" _ASM_EXTABLE(1b, 2b, EX_MASK_VMX)		\
			     : "+r"(f) : "m"(pa) : "cc", "memory");		\
		*rflags = f;							\
		return trap_try_end(0);						\
	}
DEFINE_VMX_PA_OP(vmxon, "vmxon")
DEFINE_VMX_PA_OP(vmclear, "vmclear")
DEFINE_VMX_PA_OP(vmptrld, "vmptrld")

static inline int vmxoff_safe(uint64_t *rflags)
{
	uint64_t f = 0;

	trap_try_begin();
	asm volatile("1: vmxoff\n\t"
		     "pushfq\n\t"
		     "popq %0\n"
		     "2:\n\t" _ASM_EXTABLE(1b, 2b, EX_MASK_VMX)
		     : "+r"(f) : : "cc", "memory");
	*rflags = f;
	return trap_try_end(0);
}

static inline int vmread_safe(uint64_t field, uint64_t *val, uint64_t *rflags)
{
	uint64_t f = 0, v = 0;

	trap_try_begin();
	asm volatile("1: vmread %2, %1\n\t"
		     "pushfq\n\t"
		     "popq %0\n"
		     "2:\n\t" _ASM_EXTABLE(1b, 2b, EX_MASK_VMX)
		     : "+r"(f), "+r"(v) : "r"(field) : "cc", "memory");
	*val = v;
	*rflags = f;
	return trap_try_end(0);
}

static inline int vmwrite_safe(uint64_t field, uint64_t val, uint64_t *rflags)
{
	uint64_t f = 0;

	trap_try_begin();
	asm volatile("1: vmwrite %2, %1\n\t"
		     "pushfq\n\t"
		     "popq %0\n"
		     "2:\n\t" _ASM_EXTABLE(1b, 2b, EX_MASK_VMX)
		     : "+r"(f) : "r"(field), "rm"(val) : "cc", "memory");
	*rflags = f;
	return trap_try_end(0);
}

/* INVEPT and INVVPID (SDM Vol. 3C, "VMX Instruction Reference"): the type in a
 * register, a 128-bit descriptor in memory. */
static inline int invept_safe(uint64_t type, uint64_t eptp, uint64_t *rflags)
{
	struct { uint64_t eptp, reserved; } desc = { eptp, 0 };
	uint64_t f = 0;

	trap_try_begin();
	asm volatile("1: invept %1, %2\n\t"
		     "pushfq\n\t"
		     "popq %0\n"
		     "2:\n\t" _ASM_EXTABLE(1b, 2b, EX_MASK_VMX)
		     : "+r"(f) : "m"(desc), "r"(type) : "cc", "memory");
	*rflags = f;
	return trap_try_end(0);
}

static inline int invvpid_safe(uint64_t type, uint16_t vpid, uint64_t address, uint64_t *rflags)
{
	struct { uint64_t vpid, address; } desc = { vpid, address };
	uint64_t f = 0;

	trap_try_begin();
	asm volatile("1: invvpid %1, %2\n\t"
		     "pushfq\n\t"
		     "popq %0\n"
		     "2:\n\t" _ASM_EXTABLE(1b, 2b, EX_MASK_VMX)
		     : "+r"(f) : "m"(desc), "r"(type) : "cc", "memory");
	*rflags = f;
	return trap_try_end(0);
}

/* The VM-instruction error of the last VMfailValid (VMREAD of the VMCS field
 * VM_INSTRUCTION_ERROR); false (and *err untouched) if it cannot be read. */
static inline bool vmx_read_instruction_error(uint32_t *err)
{
	uint64_t v = 0, f = 0;

	if (vmread_safe(VM_INSTRUCTION_ERROR, &v, &f) >= 0 ||
	    vmx_outcome_from_rflags(f) != VMX_SUCCEED)
		return false;
	*err = (uint32_t)v;
	return true;
}

/*
 * Leave VMX operation if this CPU may be in it (CR4.VMXE set): VMXOFF, which
 * raises #UD outside VMX operation (caught), then clear CR4.VMXE (SDM Vol. 3C,
 * "Leaving VMX Operation"; INIT is blocked in VMX root operation, so a CPU must
 * leave it before a reset or a halt: Linux's cpu_emergency_disable_virtualization()
 * does this on every CPU before an emergency reboot). Returns true if VMXOFF
 * succeeded, i.e. the CPU was still in VMX operation. Not on a CPU marked
 * keep_vmx: an INIT is pending there, which VMXOFF would deliver.
 */
static inline bool cpu_leave_vmx(void)
{
	uint64_t cr4 = read_cr4(), f = 0;
	const struct arch_cpu *c = arch_cpu_current();
	bool was_on;

	if (!(cr4 & X86_CR4_VMXE) || (c && c->keep_vmx))
		return false;
	was_on = vmxoff_safe(&f) < 0 && !(f & (X86_EFLAGS_CF | X86_EFLAGS_ZF));
	write_cr4_safe(cr4 & ~X86_CR4_VMXE);
	return was_on;
}

/* STGI (APM Vol. 3, "STGI": #UD when EFER.SVME is clear) that returns the
 * vector instead of dying, or -1. */
static inline int stgi_safe(void)
{
	trap_try_begin();
	asm volatile("1: stgi\n2:\n\t" _ASM_EXTABLE(1b, 2b, EX_VEC(X86_TRAP_UD)) : : : "memory");
	return trap_try_end(0);
}

/*
 * Leave SVM on this CPU if it is on, on every path (faults included), as
 * Linux's kvm_cpu_svm_disable() does: VM_HSAVE_PA = 0, then, with EFER.SVME
 * set, STGI (GIF = 1, so INIT and NMIs are not left blocked after a failure
 * between CLGI and STGI) and EFER.SVME cleared (APM Vol. 2, "Enabling SVM",
 * "Global Interrupt Flag"). MSRs under the fix-up: a CPU without SVM faults
 * on VM_HSAVE_PA, which changes nothing. Returns true if SVM was on.
 */
static inline bool cpu_leave_svm(void)
{
	uint64_t efer;

	if (rdmsr_safe(MSR_EFER, &efer) >= 0 || !(efer & EFER_SVME))
		return false;
	wrmsr_safe(MSR_VM_HSAVE_PA, 0);
	stgi_safe();
	wrmsr_safe(MSR_EFER, efer & ~EFER_SVME);
	return true;
}

/* A 64-bit load that returns the vector (13 for a non-canonical address) instead of dying. */
static inline int read64_safe(uint64_t addr, uint64_t *val)
{
	uint64_t v = 0;

	trap_try_begin();
	asm volatile("1: movq (%1), %0\n2:\n\t" _ASM_EXTABLE(1b, 2b, EX_MASK_LOAD)
		     : "+r"(v) : "r"(addr) : "memory");
	*val = v;
	return trap_try_end(0);
}

#endif
