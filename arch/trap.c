/*
 * Exception dispatch. SDM Vol. 3A, chapter "Interrupt and Exception Handling",
 * section "Exception and Interrupt Reference" for the vectors and their names.
 *
 * An instruction wrapped with _ASM_EXTABLE (arch/x86.h) that raises one of the
 * exceptions it can raise does not end the run: the vector goes to the per-CPU
 * trap slot and execution resumes at its fix-up label (lib/extable.c). An NMI
 * is counted and execution goes on. Any other exception is reported on the console as
 *   fault: cpu=<i> vector=<n> name=<#XX> error=0x<e> rip=0x<r> cr2=0x<c>
 * and ends the run with verdict FAIL (on the BSP) or parks the AP as faulted,
 * which the BSP then counts as a failure.
 */
#include "arch/trap.h"

#include "arch/x86.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/report.h"

extern const struct extable_entry __start_ex_table[], __stop_ex_table[];

static const char *const names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "#CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#RES15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#RES22", "#RES23",
	"#RES24", "#RES25", "#RES26", "#RES27", "#HV", "#VC", "#SX", "#RES31",
};

const char *trap_name(unsigned vector)
{
	return vector < 32 ? names[vector] : "#INT";
}

void trap_try_begin(void)
{
	this_cpu()->trap_vector = -1;
}

int trap_try_end(uint64_t *error_code)
{
	struct percpu *c = this_cpu();
	int v = c->trap_vector;

	if (error_code)
		*error_code = c->trap_error;
	c->trap_vector = -1;
	return v;
}

bool (*trap_nmi_hook)(struct percpu *c);

/*
 * SDM Vol. 3A, "Nonmaskable Interrupt (NMI)" and "Handling Multiple NMIs": an
 * NMI (a BMC, a watchdog, the chassis button, another CPU) is not an error: count
 * it and return; further NMIs are held off until the IRET. The hook (set by the
 * kernel) may take it as a request it made itself; then it is not counted.
 */
static void nmi(struct percpu *c)
{
	if (!c)
		return;         /* before this CPU's per-CPU block: nothing to record */
	if (trap_nmi_hook && trap_nmi_hook(c))
		return;
	__atomic_add_fetch(&c->nmi_count, 1, __ATOMIC_RELAXED);
}

void trap_dispatch(struct trap_frame *f)
{
	struct percpu *c = percpu_current();

	if (f->vector == X86_TRAP_NMI) {
		nmi(c);
		return;
	}
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

	/* A second exception while reporting the first: end the run without printing. */
	if (c && c->in_fault)
		report_exit_now(VERDICT_FAIL);
	if (c)
		c->in_fault = true;

	log_break_lock_if_held();
	kprintf("fault: cpu=%u vector=%lu name=%s error=0x%lx rip=0x%lx cr2=0x%lx\n",
		c ? c->index : 0, f->vector, trap_name((unsigned)f->vector), f->error,
		f->rip, read_cr2());

	if (c && c->index != 0) {
		/* An AP: leave VMX operation if it faulted inside it (so INIT and a
		 * reset are not blocked), then park it; the BSP sees the flag and
		 * counts a failure. */
		c->left_vmx = cpu_leave_vmx();
		__atomic_store_n(&c->faulted, true, __ATOMIC_RELEASE);
		for (;;) {
			irq_disable();
			halt();
		}
	}
	report_fault_and_exit();
}
