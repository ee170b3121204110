/*
 * vmxprobe: kmain() is the checklist of what the boot CPU does, in order.
 */
#include "arch/desc.h"
#include "arch/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/hooks.h"
#include "kernel/log.h"
#include "kernel/percpu.h"
#include "kernel/report.h"
#include "kernel/screen.h"
#include "kernel/smp.h"
#include "kernel/vmx.h"
#include "lib/fmt.h"

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

static void banner(void)
{
	char loader[MB2_LOADER_MAX * 4], cmdline[MB2_CMDLINE_MAX * 2];

	fmt_quote(loader, sizeof(loader), boot_info.loader);
	fmt_quote(cmdline, sizeof(cmdline), boot_info.cmdline);
	kprintf("vmxprobe: version=%s firmware=%s bootloader=\"%s\" cmdline=\"%s\"\n",
		VP_VERSION, bootinfo_firmware(), loader, cmdline);
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

	/* Decide how the run will end (QEMU port, Bochs port, halt or reset). */
	report_choose_exit(options.exit, options.reboot_after);

	/* The consoles the user chose: serial, and the screen when there is one;
	 * then the first line of the result protocol. */
	bool console_ok = console_select();
	screen_init();
	banner();
	if (!console_ok)
		kprintf("console: no UART answers at port 0x%x: staying on 0x%x\n",
			options.console_port, log_uart_port());
	report_print_exit();
	bootinfo_report();
	screen_report();

	/* selftest=fault|fixup: exceptions on purpose (vmxprobe's own tests). */
	hooks_bsp();

	/* The VMXON page pool; each AP probes VMX as soon as it is online. */
	vmx_init();
	smp_ap_work = hooks_ap_work;

	/* Find every CPU in the MADT and start the APs. */
	smp_init();

	/* VMX on the boot CPU, then every CPU's result in index order. */
	vmx_run_cpu(bsp);
	vmx_report();

	report_finish();
}
