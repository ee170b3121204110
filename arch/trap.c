/* SPDX-License-Identifier: MIT */
/*
 * Exception dispatch. SDM Vol. 3A, chapter "Interrupt and Exception Handling",
 * section "Exception and Interrupt Reference" for the vectors and their names.
 *
 * An instruction wrapped with _ASM_EXTABLE (arch/x86.h) that raises one of the
 * exceptions it can raise does not end the run: the vector goes to the per-CPU
 * trap slot and execution resumes at its fix-up label (lib/extable.c). Every
 * other exception, NMIs included, goes to the one handler the kernel
 * registered (kernel/fault.c), which decides what it means for the run.
 */
#include "arch/trap.h"

#include "arch/cpu.h"
#include "arch/x86.h"

extern const struct extable_entry __start_ex_table[], __stop_ex_table[];

static const char *const names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "#CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#RES15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#RES22", "#RES23",
	"#RES24", "#RES25", "#RES26", "#RES27", "#HV", "#VC", "#SX", "#RES31",
};

static trap_handler_fn handler;

const char *trap_name(unsigned vector)
{
	return vector < 32 ? names[vector] : "#INT";
}

void trap_set_handler(trap_handler_fn fn)
{
	handler = fn;
}

void trap_try_begin(void)
{
	this_arch_cpu()->trap_vector = -1;
}

int trap_try_end(uint64_t *error_code)
{
	struct arch_cpu *c = this_arch_cpu();
	int v = c->trap_vector;

	if (error_code)
		*error_code = c->trap_error;
	c->trap_vector = -1;
	return v;
}

void trap_dispatch(struct trap_frame *f)
{
	struct arch_cpu *c = arch_cpu_current();

	if (c) {
		/* Linker-made bounds: count them as addresses, not as pointers to one object. */
		size_t n = ((uintptr_t)__stop_ex_table - (uintptr_t)__start_ex_table) /
			   sizeof(struct extable_entry);
		const struct extable_entry *e = extable_find(__start_ex_table, n, f->rip,
							     (unsigned)f->vector);
		if (e) {
			c->trap_vector = (int)f->vector;
			c->trap_error = f->error;
			f->rip = e->fixup;
			return;
		}
	}
	if (!handler)
		halt_forever();         /* before the kernel is ready: nothing to say it with */
	handler(f, c);
}
