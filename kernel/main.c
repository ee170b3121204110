/*
 * vmxprobe: kmain() is the checklist of what the boot CPU does, in order.
 */
#include "arch/desc.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/report.h"
#include "kernel/screen.h"
#include "kernel/smp.h"
#include "kernel/vmx.h"
#include "lib/fmt.h"
#include "lib/string.h"

#ifndef VP_VERSION
#define VP_VERSION "0.0.0"
#endif

void kmain(uint32_t magic, uint64_t mbi_addr);

/* An MSR index no CPU implements (outside every architectural and vendor range). */
#define SELFTEST_BAD_MSR        0x3fffffffu
#define SELFTEST_NONCANONICAL   0x8000000000000000ul

/*
 * SDM Vol. 2A, CPUID leaf 01H: ECX bit 31 is reserved for use by hypervisors
 * to say they are there; leaf 40000000H then returns their vendor signature
 * in EBX, ECX, EDX (the convention KVM and QEMU TCG follow).
 */
static void exit_facts_read(struct exit_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->hypervisor = (cpuid(1).c >> 31) & 1;
	if (f->hypervisor) {
		struct cpuid_regs r = cpuid(0x40000000);
		memcpy(f->hv_vendor + 0, &r.b, 4);
		memcpy(f->hv_vendor + 4, &r.c, 4);
		memcpy(f->hv_vendor + 8, &r.d, 4);
	}
	bootinfo_acpi_oem(f->acpi_oem);
}

/* Switch to the console the command line asked for; say so (after the banner) if absent. */
static bool console_select(void)
{
	if (options.console_port == COM1_PORT && options.console_baud == UART_CLOCK_BAUD)
		return true;
	return log_use_uart(options.console_port, options.console_baud);
}

static void banner(void)
{
	char loader[MB2_LOADER_MAX * 4], cmdline[MB2_CMDLINE_MAX * 2];

	fmt_quote(loader, sizeof(loader), boot_info.loader);
	fmt_quote(cmdline, sizeof(cmdline), boot_info.cmdline);
	kprintf("vmxprobe: version=%s firmware=%s bootloader=\"%s\" cmdline=\"%s\"\n",
		VP_VERSION, bootinfo_firmware(), loader, cmdline);
}

/* What each AP does once online: selftest=fault-ap makes CPU 1 execute ud2 first. */
static void ap_work(struct percpu *c)
{
	if (options.selftest == SELFTEST_FAULT_AP && c->index == 1)
		ud2();
	vmx_run_cpu(c);
}

void kmain(uint32_t magic, uint64_t mbi_addr)
{
	/* Per-CPU block and GS base, before anything else. */
	struct percpu *bsp = percpu_init(0);
	log_percpu_ready();

	/* The serial console: COM1 until the command line says otherwise. */
	log_use_uart(COM1_PORT, UART_CLOCK_BAUD);

	/* Descriptor tables: from here on every exception is reported. */
	idt_init();
	cpu_load_descriptors(bsp);
	__atomic_store_n(&bsp->online, true, __ATOMIC_RELEASE);
	counts.enumerated = 1;
	counts.online = 1;

	/* Copy the boot information out of the loader's memory; read the options. */
	bootinfo_init(magic, mbi_addr);

	/* Decide how the run will end (QEMU port, Bochs port, or halt). */
	struct exit_facts facts;
	exit_facts_read(&facts);
	report_set_exit(exit_method_decide(options.exit, &facts));

	report_set_reboot(options.reboot_after);

	/* The consoles the user chose: serial, and the screen when there is one;
	 * then the first line of the result protocol. */
	bool console_ok = console_select();
	screen_init();
	banner();
	if (!console_ok)
		kprintf("console: no UART answers at port 0x%x: staying on 0x%x\n",
			options.console_port, log_uart_port());
	if (report_exit_method() == EXIT_HALT && options.reboot_after >= 0)
		kprintf("exit: method=halt reboot_after_s=%d\n", options.reboot_after);
	else
		kprintf("exit: method=%s\n", exit_mode_str(report_exit_method()));
	bootinfo_report();
	screen_report();

	/* selftest=fault: a deliberate #UD, so tests see the fault report. */
	if (options.selftest == SELFTEST_FAULT) {
		kprintf("selftest: executing ud2 on purpose\n");
		ud2();
	}
	/*
	 * selftest=fixup: exceptions that the fix-up table catches. SDM Vol. 3A,
	 * "Canonical Addressing": a load from a non-canonical address raises #GP;
	 * Vol. 2B, RDMSR/WRMSR: "#GP(0) if the value in ECX specifies a reserved or
	 * unimplemented MSR address" (QEMU TCG reads such MSRs as 0 instead).
	 */
	if (options.selftest == SELFTEST_FIXUP) {
		uint64_t v = 0;
		int vec = read64_safe(SELFTEST_NONCANONICAL, &v);
		kprintf("selftest: fixup load(0x%lx) vector=%d\n", SELFTEST_NONCANONICAL, vec);
		vec = rdmsr_safe(SELFTEST_BAD_MSR, &v);
		kprintf("selftest: fixup rdmsr(0x%x) vector=%d\n", SELFTEST_BAD_MSR, vec);
		vec = wrmsr_safe(SELFTEST_BAD_MSR, 0);
		kprintf("selftest: fixup wrmsr(0x%x) vector=%d\n", SELFTEST_BAD_MSR, vec);
	}

	/* The VMXON page pool; each AP probes VMX as soon as it is online. */
	vmx_init();
	smp_ap_work = ap_work;

	/* Find every CPU in the MADT and start the APs. */
	smp_init();

	/* VMX on the boot CPU, then every CPU's result in index order. */
	vmx_run_cpu(bsp);
	vmx_report();

	report_finish();
}
