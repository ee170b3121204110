/* SPDX-License-Identifier: MIT */
/*
 * vmxprobe: kmain() is the checklist of what the boot CPU does, in order.
 */
#include "arch/desc.h"
#include "arch/x86.h"
#include "kernel/acpi.h"
#include "kernel/bootinfo.h"
#include "kernel/fault.h"
#include "kernel/guest.h"
#include "kernel/hooks.h"
#include "kernel/log.h"
#include "kernel/model.h"
#include "kernel/percpu.h"
#include "kernel/reloc.h"
#include "kernel/run.h"
#include "kernel/screen.h"
#include "kernel/smp.h"
#include "kernel/svm.h"
#include "kernel/time.h"
#include "kernel/vmx.h"
#include "lib/fmt.h"
#include "lib/string.h"

#ifndef VP_VERSION
#define VP_VERSION "0.0.0"
#endif

void kmain(uint32_t magic, uint64_t mbi_addr);

/* Switch to the console the command line asked for; say so (after the banner) if absent. */
static bool console_select(void)
{
	if (options.console_port == COM1_PORT && options.console_baud == UART_CLOCK_BAUD)
		return true;
	return log_use_uart(options.console_port, options.console_baud);
}

/*
 * The first line of the result protocol, always whole: the quoted fields are
 * shortened to fit one log line (LOG_LINE_MAX), never the line itself, and a
 * trailing " truncated=<fields>" names the fields that were shortened.
 */
#define BANNER_LOADER_MAX       96

static void banner(void)
{
	static const char fixed[] = "vmxprobe: version= firmware= bootloader=\"\" cmdline=\"\""
				    " truncated=bootloader,cmdline\n";
	char loader[BANNER_LOADER_MAX], cmdline[LOG_LINE_MAX];
	const char *fw = bootinfo_firmware();

	bool loader_whole = fmt_quote_all(loader, sizeof(loader), boot_info.loader);
	size_t used = sizeof(fixed) + strlen(VP_VERSION) + strlen(fw) + strlen(loader);
	bool cmdline_whole = fmt_quote_all(cmdline, LOG_LINE_MAX - used, boot_info.cmdline) &&
			     !boot_info.cmdline_truncated;
	kprintf("vmxprobe: version=%s firmware=%s bootloader=\"%s\" cmdline=\"%s\"%s%s%s\n",
		VP_VERSION, fw, loader, cmdline,
		loader_whole && cmdline_whole ? "" : " truncated=",
		loader_whole ? "" : cmdline_whole ? "bootloader" : "bootloader,",
		cmdline_whole ? "" : "cmdline");
}

/* What every AP does once it is online (kernel/smp.c: ap_entry()). */
static void ap_main(struct percpu *c)
{
	/* inject=fault-ap: an exception on purpose (vmxprobe's own tests). */
	hooks_ap(c);

	/* VMX (and a guest) on this CPU; the boot CPU reports every CPU's results. */
	vmx_run_cpu(c);
	/* SVM (AMD): enabled and left again on this CPU. */
	svm_run_cpu(c);
}

void kmain(uint32_t magic, uint64_t mbi_addr)
{
	/* Per-CPU block and GS base, before anything else. */
	percpu_setup();
	struct percpu *bsp = percpu_init(0);
	log_percpu_ready();

	/* The serial console: COM1 until the command line says otherwise. */
	log_use_uart(COM1_PORT, UART_CLOCK_BAUD);

	/* Descriptor tables and the fault handler: from here on every exception
	 * (and NMI) is reported. */
	fault_init();
	idt_init();
	cpu_load_descriptors(&bsp->arch);
	__atomic_store_n(&bsp->online, true, __ATOMIC_RELEASE);
	counts.enumerated = 1;
	counts.online = 1;

	/* Copy the boot information out of the loader's memory; read the options. */
	bootinfo_init(magic, mbi_addr);

	/* Decide how the run will end (QEMU port, Bochs port, halt or reset). */
	run_choose_exit(options.exit, options.reboot_after);

	/* The consoles the user chose: serial, and the screen when there is one;
	 * then the first line of the result protocol. */
	bool console_ok = console_select();
	screen_init();
	banner();
	if (!console_ok)
		kprintf("console: no UART answers at port 0x%x: staying on 0x%x\n",
			options.console_port, log_uart_port());
	run_print_exit();
	bootinfo_report();
	screen_report();

	/* Stop if the loader put the kernel on memory the firmware keeps, or if
	 * the image could not be moved to where it runs (kernel/reloc.c). */
	bootinfo_check_image();
	if (reloc_unknown) {
		kprintf("boot: fatal: %u of the image's relocations are of a type the kernel does "
			"not apply: its pointers are wrong; stopping\n", reloc_unknown);
		run_stop_before_cpus();
	}

	/* inject=fault|fixup: exceptions on purpose (vmxprobe's own tests). */
	hooks_bsp();

	/* The VMXON, VMCS and guest-stack pools; each AP probes VMX (and runs
	 * its guest) as soon as it is online. */
	vmx_init();
	svm_init();
	guest_init();
	smp_ap_work = ap_main;

	/* The boot CPU's vendor, family, model and brand: a fleet groups by it. */
	model_report();

	/* ACPI: the RSDP, the MADT's CPUs, the FADT's PM timer. */
	acpi_init();

	/* Calibrate the TSC (every delay and timeout after this depends on it). */
	time_init();

	/* Find every CPU (MADT, else the MP table) and start the APs. */
	smp_init();

	/* inject=nmi|nmi-wait: NMIs on every CPU, counted, the run goes on. */
	hooks_after_smp();

	/* VMX (and a guest) on the boot CPU, then every CPU's results in index order. */
	vmx_run_cpu(bsp);
	svm_run_cpu(bsp);
	vmx_report();
	svm_report();
	guest_report();

	run_finish();
}
