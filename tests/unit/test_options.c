/* links: lib/options.c lib/fmt.c */
/* Command-line parser. */
#include "check.h"
#include "lib/options.h"

static struct vp_options parse(const char *s)
{
	struct vp_options o;

	options_defaults(&o);
	options_parse(s, &o);
	return o;
}

int main(void)
{
	struct vp_options o = parse("");
	CHECK_EQ(o.console_port, 0x3f8);
	CHECK_EQ(o.console_baud, 115200);
	CHECK_EQ(o.exit, EXIT_AUTO);
	CHECK_EQ(o.selftest, SELFTEST_NONE);
	CHECK_EQ(o.smp_delay, SMP_DELAY_SDM);
	CHECK_EQ(o.nwarn, 0);

	o = parse("  console=ttyS1   exit=qemu\tselftest=fault smp.delay=modern ");
	CHECK_EQ(o.console_port, 0x2f8);
	CHECK_EQ(o.exit, EXIT_QEMU);
	CHECK_EQ(o.selftest, SELFTEST_FAULT);
	CHECK_EQ(o.smp_delay, SMP_DELAY_MODERN);
	CHECK_EQ(o.nwarn, 0);

	o = parse("selftest=fixup");
	CHECK_EQ(o.selftest, SELFTEST_FIXUP);
	o = parse("selftest=fault-ap");
	CHECK_EQ(o.selftest, SELFTEST_FAULT_AP);
	o = parse("selftest=no-sipi");
	CHECK_EQ(o.selftest, SELFTEST_NO_SIPI);
	o = parse("selftest=vmxon");
	CHECK_EQ(o.selftest, SELFTEST_VMXON);
	CHECK_EQ(o.vmxcap, VMXCAP_BSP);
	o = parse("time.source=pit");
	CHECK_EQ(o.time_source, TIME_PIT);
	o = parse("time.source=cpuid time.source=hpet");
	CHECK_EQ(o.time_source, TIME_CPUID);
	CHECK_EQ(o.nwarn, 1);
	o = parse("vmxcap=all");
	CHECK_EQ(o.vmxcap, VMXCAP_ALL);
	o = parse("vmxcap=off vmxcap=some");
	CHECK_EQ(o.vmxcap, VMXCAP_OFF);
	CHECK_EQ(o.nwarn, 1);

	o = parse("screen=off reboot=30");
	CHECK(!o.screen);
	CHECK_EQ(o.reboot_after, 30);
	o = parse("screen=on reboot=0");
	CHECK(o.screen);
	CHECK_EQ(o.reboot_after, 0);
	o = parse("screen=maybe reboot=-1 reboot=86401 reboot=soon");
	CHECK(o.screen);
	CHECK_EQ(o.reboot_after, -1);
	CHECK_EQ(o.nwarn, 4);

	o = parse("console=ttyS3,9600");
	CHECK_EQ(o.console_port, 0x2e8);
	CHECK_EQ(o.console_baud, 9600);
	o = parse("console=0x3e8,57600 exit=bochs");
	CHECK_EQ(o.console_port, 0x3e8);
	CHECK_EQ(o.console_baud, 57600);
	CHECK_EQ(o.exit, EXIT_BOCHS);
	o = parse("exit=halt exit=auto");       /* the last word wins */
	CHECK_EQ(o.exit, EXIT_AUTO);

	/* Bad values keep the default and warn with the word. */
	o = parse("console=ttyS4 console=ttyS0,7 console=0x console=0x10000 console=ttyS1,");
	CHECK_EQ(o.console_port, 0x3f8);
	CHECK_EQ(o.console_baud, 115200);
	CHECK_EQ(o.nwarn, 5);
	CHECK(strstr(o.warn[0], "'console=ttyS4'") != 0);
	CHECK(strstr(o.warn[1], "'console=ttyS0,7'") != 0);

	o = parse("exit= exit=qemuu selftest=nothing smp.delay=fast");
	CHECK_EQ(o.exit, EXIT_AUTO);
	CHECK_EQ(o.nwarn, 4);

	/* Unknown words, bare keys, and keys that merely start like a known one. */
	o = parse("quiet consolex=ttyS1 console exit");
	CHECK_EQ(o.nwarn, 4);
	CHECK_STR(o.warn[0], "unknown option 'quiet'");
	CHECK_STR(o.warn[1], "unknown option 'consolex=ttyS1'");
	CHECK_EQ(o.console_port, 0x3f8);

	/* More warnings than are kept: counted, not overflowed. */
	o = parse("a b c d e f g h i j k");
	CHECK_EQ(o.nwarn, 11);
	CHECK_STR(o.warn[OPT_WARN_MAX - 1], "unknown option 'h'");

	/* A very long word is cut in the warning, not overflowing it. */
	char longw[400];
	memset(longw, 'z', sizeof(longw) - 1);
	longw[sizeof(longw) - 1] = 0;
	o = parse(longw);
	CHECK_EQ(o.nwarn, 1);
	CHECK(strlen(o.warn[0]) == OPT_WARN_LEN - 1);

	options_parse(0, &o);   /* no command line at all */

	uint16_t port = 1;
	uint32_t baud = 2;
	CHECK(!options_parse_console("ttyS", 4, &port, &baud));
	CHECK(port == 1 && baud == 2);
	CHECK(options_parse_console("ttyS0,115200", 12, &port, &baud));
	CHECK(port == 0x3f8 && baud == 115200);
	CHECK(!options_parse_console("ttyS0,230400", 12, &port, &baud));
	CHECK(!options_parse_console("0x3f8,0", 7, &port, &baud));
	CHECK(!options_parse_console("0xffffffffff", 12, &port, &baud));

	CHECK_STR(exit_mode_str(EXIT_QEMU), "qemu");
	return check_report("options");
}
